export { assertBlobKey, type BlobObject, type BlobStore, newBlobKey } from './blob-store.ts';
export { createFileBlobStore } from './fs-blob-store.ts';
