-- Uploads: photos residents attach to an appeal and evidence staff attach when they handle it.
-- The bytes live in the blob store (platform/blobs); this row is their metadata.

CREATE TABLE upload (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Random key made by the server, never derived from the file name.
  blob_key text NOT NULL UNIQUE,
  -- Detected from the bytes (magic numbers), never the client's claim.
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  byte_size integer NOT NULL CHECK (byte_size > 0),
  -- Of the stored (re-encoded) bytes.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  width integer CHECK (width IS NULL OR width > 0),
  height integer CHECK (height IS NULL OR height > 0),
  -- Whether the original carried an EXIF GPS position; the position itself is stored only with the
  -- uploader's consent (keepLocation=true), as WGS-84.
  has_location boolean NOT NULL DEFAULT false,
  location_kept boolean NOT NULL DEFAULT false,
  lat double precision CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng IS NULL OR lng BETWEEN -180 AND 180),
  -- Staff uploads name their author; residents' uploads are anonymous.
  uploaded_by_user uuid REFERENCES app_user (id),
  -- Keyed hash (HMAC) of an anonymous uploader's IP, only to cap unclaimed uploads per address;
  -- cleared when an appeal claims the upload (PIPL: kept no longer than that purpose needs).
  uploader_ip_hash text,
  -- The appeal that claimed the upload; null until then. The appeals module owns the link.
  attached_to uuid,
  attached_at timestamptz,
  created_at timestamptz NOT NULL,
  CHECK ((lat IS NULL) = (lng IS NULL)),
  CHECK (location_kept = (lat IS NOT NULL)),
  CHECK (has_location OR NOT location_kept),
  CHECK ((attached_to IS NULL) = (attached_at IS NULL))
);
CREATE INDEX upload_attached_to ON upload (attached_to) WHERE attached_to IS NOT NULL;
CREATE INDEX upload_unclaimed ON upload (created_at) WHERE attached_to IS NULL;
CREATE INDEX upload_unclaimed_ip ON upload (uploader_ip_hash, created_at) WHERE attached_to IS NULL AND uploader_ip_hash IS NOT NULL;
