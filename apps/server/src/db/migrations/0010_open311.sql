-- Open311 GeoReport v2: the keys partner systems post with, and what an Open311 request carries
-- beyond the appeal it becomes.

-- A key is shown once when created; only its SHA-256 is kept. Revoked keys stay for the record.
CREATE TABLE open311_api_key (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  key_hash text NOT NULL UNIQUE,
  -- The first characters of the key, so an operator can tell keys apart in a list.
  key_prefix text NOT NULL,
  rate_per_minute integer NOT NULL DEFAULT 60 CHECK (rate_per_minute BETWEEN 1 AND 100000),
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz
);
-- A name belongs to one live key at a time; a revoked key's name may be reused.
CREATE UNIQUE INDEX open311_api_key_live_name ON open311_api_key (name) WHERE revoked_at IS NULL;

-- Written in the appeal's intake transaction. The e-mail address is AES-256-GCM ciphertext;
-- device and account ids are kept only as HMACs (enough to find one sender's requests, never shown).
CREATE TABLE open311_request (
  appeal_id uuid PRIMARY KEY REFERENCES appeal (id),
  api_key_id uuid NOT NULL REFERENCES open311_api_key (id),
  address_string text,
  address_id text,
  media_url text,
  email_enc text,
  device_hmac text,
  account_hmac text,
  received_at timestamptz NOT NULL
);
CREATE INDEX open311_request_key ON open311_request (api_key_id, received_at);
