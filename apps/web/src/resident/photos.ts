// The resident's photos: compressed (shared/photos), uploaded as soon as they are picked, and the
// ones that could not go kept for the outbox.

import type { UploadReply } from '@doorstep/contracts';
import { photoFileName } from '../shared/photos';
import { isRetryable, residentApi } from './api';

export { compressPhoto } from '../shared/photos';

export const MAX_PHOTOS = 9;

export function uploadPhoto(blob: Blob): Promise<UploadReply> {
  return residentApi.upload(blob, photoFileName(blob));
}

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/** A photo in the form: Vant's uploader item plus what we know about its upload. */
export interface PhotoItem {
  file?: File;
  status?: '' | 'uploading' | 'done' | 'failed';
  message?: string;
  /** The compressed image, kept until the upload is done (and for the outbox if it fails). */
  blob?: Blob;
  uploadId?: string;
  task?: Promise<void>;
}

/**
 * At submit time: waits for the uploads in flight and tries the failed ones once more. Returns the
 * upload ids, and the photos still not sent (offline) for the outbox to carry.
 */
export async function settlePhotos(items: PhotoItem[]): Promise<{ uploaded: string[]; pending: Blob[] }> {
  await Promise.all(items.map((item) => item.task));
  for (const item of items) {
    if (item.uploadId || !item.blob) continue;
    try {
      item.status = 'uploading';
      item.uploadId = (await uploadPhoto(item.blob)).id;
      item.status = 'done';
      item.message = '';
    } catch (error) {
      item.status = 'failed';
      if (!isRetryable(error)) throw error;
    }
  }
  return {
    uploaded: items.flatMap((item) => (item.uploadId ? [item.uploadId] : [])),
    pending: items.flatMap((item) => (!item.uploadId && item.blob ? [item.blob] : [])),
  };
}
