import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Authorizer } from '../../platform/auth/policy.ts';
import { type BlobStore, newBlobKey } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { hmacHex } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import {
  assertCompletePdf,
  DOCUMENT_TYPES,
  detectContentType,
  gpsFromExif,
  IMAGE_TYPES,
  inDecodeQueue,
  isImageType,
  type LatLng,
  MAX_ANONYMOUS_PIXELS,
  MAX_INPUT_PIXELS,
  readImageHeader,
  reencodeImage,
  type UploadContentType,
} from './uploads.media.ts';
import { CLAIM_WINDOW_MS, createUploadRepository, type UploadRow } from './uploads.repository.ts';

export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/**
 * Unclaimed uploads one address may hold over 24 hours: a public endpoint must not let one
 * client fill the disk. Generous, because a community hall's residents can share one address.
 */
export const UNCLAIMED_PER_ADDRESS = 100;
/** The purge waits a little past the claim window, so it never races a claim at the boundary. */
const PURGE_GRACE_MS = 60 * 60 * 1000;

export interface UploadView {
  id: string;
  contentType: UploadContentType;
  byteSize: number;
  width: number | null;
  height: number | null;
  location?: LatLng;
}

export interface UploadServiceDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  authorizer: Authorizer;
  /** Keys the HMAC of anonymous uploaders' addresses (the session secret, domain-separated). */
  addressSecret: string;
  maxBytes?: number;
  /**
   * Who may read an upload once an appeal holds it. The default: staff with `uploads.read`.
   * The appeals module may pass a rule that also checks the appeal's scope or a resident's
   * tracking code.
   */
  canServeAttached?: (actor: Actor | null, upload: UploadRow) => Promise<boolean>;
}

function view(row: UploadRow): UploadView {
  return {
    id: row.id,
    contentType: row.contentType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    ...(row.locationKept && row.lat !== null && row.lng !== null
      ? { location: { lat: row.lat, lng: row.lng } }
      : {}),
  };
}

function unsupported(detected: string | null, allowed: readonly string[]): AppError {
  const heic = detected === 'image/heic' || detected === 'image/heif';
  return new AppError(
    'unsupported_file_type',
    415,
    heic
      ? 'HEIC photos are not accepted; send JPEG (iPhone: Settings → Camera → Formats → Most Compatible)'
      : `only ${allowed.join(', ')} files are accepted`,
    { detected, allowed },
  );
}

/**
 * Photos and documents before an appeal claims them: checked by content, re-encoded without
 * metadata, stored in the blob store, and served back by their unguessable id.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const { db, blobs, clock, authorizer } = deps;
  const repo = createUploadRepository(db);
  const maxBytes = deps.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  /*
   * The default rule for a photo an appeal holds: a business role (uploads.read), the appeal within
   * the actor's reach exactly as the appeal itself is, and — art. 46(5) — never the resident's own
   * submission material to the unit the appeal accuses (its detail hides the contact likewise).
   */
  const canServeAttached =
    deps.canServeAttached ??
    (async (actor: Actor | null, upload: UploadRow) => {
      if (actor === null || !authorizer.allows(actor, 'uploads.read')) return false;
      const access = await repo.attachedAccess(upload.id, actor.orgPath, actor.userId);
      if (!access?.reaches) return false;
      return !(access.accused && access.stage === 'submission');
    });

  function addressHash(ip: string): string {
    return hmacHex(deps.addressSecret, `upload-address:${ip}`).slice(0, 32);
  }

  async function mustFindServable(id: string, actor: Actor | null): Promise<UploadRow> {
    const row = await repo.findById(id);
    // Whatever the reason — unknown, expired, or not the caller's to see — the answer is the
    // same 404, so an id never confirms that an upload exists.
    if (!row) throw errors.notFound('the upload');
    if (row.attachedTo === null) {
      const expired = row.createdAt.getTime() <= clock.now().getTime() - CLAIM_WINDOW_MS;
      if (expired) throw errors.notFound('the upload');
      return row;
    }
    if (!(await canServeAttached(actor, row))) throw errors.notFound('the upload');
    return row;
  }

  return {
    limits: { maxBytes },

    /**
     * Stores one file. `actor` is null for a resident (anonymous, counted against its address);
     * `keepLocation` is the uploader's consent to keep the photo's GPS position.
     */
    async create(input: {
      bytes: Buffer;
      keepLocation: boolean;
      actor: Actor | null;
      ip: string | null;
    }): Promise<UploadView> {
      const { bytes, actor } = input;
      if (bytes.length > maxBytes) {
        throw new AppError('file_too_large', 413, `a file may have at most ${maxBytes} bytes`, { maxBytes });
      }
      if (bytes.length === 0) throw errors.validation('the file is empty');
      const mayUploadDocuments = actor !== null && authorizer.allows(actor, 'uploads.documents');
      const allowed: UploadContentType[] = mayUploadDocuments
        ? [...IMAGE_TYPES, ...DOCUMENT_TYPES]
        : [...IMAGE_TYPES];
      const sniffed = await detectContentType(bytes);
      if (!allowed.includes(sniffed as UploadContentType)) throw unsupported(sniffed, allowed);
      const detected = sniffed as UploadContentType;

      const now = clock.now();
      const ipHash = actor === null && input.ip ? addressHash(input.ip) : null;
      if (ipHash) {
        const held = await repo.countUnclaimedFrom(ipHash, new Date(now.getTime() - CLAIM_WINDOW_MS));
        if (held >= UNCLAIMED_PER_ADDRESS) {
          throw new AppError('upload_quota_exceeded', 429, 'too many uploads from this address today', {
            limit: UNCLAIMED_PER_ADDRESS,
          });
        }
      }

      let stored: Buffer;
      let width: number | null = null;
      let height: number | null = null;
      let found: LatLng | null = null;
      if (isImageType(detected)) {
        // The header first (size refused before any decoding; GPS read now, since the re-encoded
        // image carries no metadata at all), then the decode itself in the bounded queue.
        const maxPixels = actor === null ? MAX_ANONYMOUS_PIXELS : MAX_INPUT_PIXELS;
        const { exif } = await readImageHeader(bytes, detected, maxPixels);
        found = await gpsFromExif(exif);
        const image = await inDecodeQueue(() => reencodeImage(bytes, detected));
        stored = image.bytes;
        width = image.width;
        height = image.height;
      } else {
        assertCompletePdf(bytes);
        stored = bytes;
      }

      const blobKey = newBlobKey();
      await blobs.put(blobKey, stored, detected);
      try {
        const row = await repo.insert({
          blobKey,
          contentType: detected,
          byteSize: stored.length,
          sha256: createHash('sha256').update(stored).digest('hex'),
          width,
          height,
          hasLocation: found !== null,
          location: input.keepLocation ? found : null,
          uploadedByUser: actor?.userId ?? null,
          uploaderIpHash: ipHash,
          createdAt: now,
        });
        return view(row);
      } catch (error) {
        await blobs.delete(blobKey).catch(() => {});
        throw error;
      }
    },

    /**
     * The bytes to serve. Rule: anyone holding the id may read an upload while no appeal holds it
     * and it is younger than the claim window (the resident previews their own photo before
     * submitting; the id is 122 random bits); once attached, only `canServeAttached` decides.
     */
    async open(id: string, actor: Actor | null): Promise<{ upload: UploadView; body: Readable }> {
      const row = await mustFindServable(id, actor);
      const blob = await blobs.get(row.blobKey);
      if (!blob) throw new Error(`upload ${row.id} has no blob ${row.blobKey}`);
      return { upload: view(row), body: blob.body };
    },

    /**
     * A photo attached to `subjectId`, for a caller that decided by its own rule that it may be
     * shown — the resident's view of the handler's result photos, by tracking code. Anything else
     * (another record's upload, a PDF, an unknown id) is the same 404.
     */
    async openAttachedImage(id: string, subjectId: string): Promise<{ upload: UploadView; body: Readable }> {
      const row = await repo.findById(id);
      if (!row || row.attachedTo !== subjectId || !row.contentType.startsWith('image/')) {
        throw errors.notFound('the upload');
      }
      const blob = await blobs.get(row.blobKey);
      if (!blob) throw new Error(`upload ${row.id} has no blob ${row.blobKey}`);
      return { upload: view(row), body: blob.body };
    },

    /**
     * Removes uploads no appeal claimed within the claim window (rows, then blobs), in batches.
     * For a periodic job; returns how many it removed.
     */
    async purgeUnclaimed(batchSize = 500): Promise<{ deleted: number }> {
      const before = new Date(clock.now().getTime() - CLAIM_WINDOW_MS - PURGE_GRACE_MS);
      let deleted = 0;
      for (;;) {
        const batch = await repo.unclaimedBefore(before, batchSize);
        for (const upload of batch) {
          // The row goes first and only if still unclaimed; a blob left behind is only wasted space.
          if (await repo.deleteUnclaimed(upload.id)) {
            await blobs.delete(upload.blobKey);
            deleted++;
          }
        }
        if (batch.length < batchSize) return { deleted };
      }
    },
  };
}
export type UploadService = ReturnType<typeof createUploadService>;
