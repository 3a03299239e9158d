import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where uploaded bytes live, apart from the database: rows hold the metadata and a key, the store
 * holds the bytes. Keys are always made by `newBlobKey()` — never from a file name or any other
 * user input — so a key can never name a path outside the store.
 */
export interface BlobStore {
  /** Stores the bytes under a key; when `put` resolves the bytes are durable. */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The bytes and their content type, or null when the key is unknown. */
  get(key: string): Promise<BlobObject | null>;
  /** Removes a blob; removing an unknown key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export interface BlobObject {
  contentType: string;
  byteSize: number;
  /** The bytes, read lazily: the file is already open, so a reply never starts on a vanished blob. */
  body: Readable;
}

/** 128 random bits as 32 lowercase hex digits. */
export function newBlobKey(): string {
  return randomBytes(16).toString('hex');
}

const KEY = /^[0-9a-f]{32}$/;

/** Adapters refuse any key `newBlobKey` could not have made (defence in depth against traversal). */
export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`not a blob key: ${JSON.stringify(key.slice(0, 40))}`);
}
