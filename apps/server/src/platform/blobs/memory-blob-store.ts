import { Readable } from 'node:stream';
import { assertBlobKey, type BlobStore } from './blob-store.ts';

/**
 * Blobs in process memory: what the services use when they are composed without a data folder
 * (as the in-memory PGlite is to the database). Lost when the process ends.
 */
export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, { bytes: Buffer; contentType: string }>();
  return {
    async put(key, bytes, contentType) {
      assertBlobKey(key);
      blobs.set(key, { bytes: Buffer.from(bytes), contentType });
    },
    async get(key) {
      assertBlobKey(key);
      const blob = blobs.get(key);
      if (!blob) return null;
      return {
        contentType: blob.contentType,
        byteSize: blob.bytes.length,
        body: Readable.from([blob.bytes]),
      };
    },
    async delete(key) {
      assertBlobKey(key);
      blobs.delete(key);
    },
    async exists(key) {
      assertBlobKey(key);
      return blobs.has(key);
    },
  };
}
