// Photos are shrunk in the browser before they travel: a 12-megapixel phone photo (4–6 MB) becomes
// a 1920 px JPEG of about 400 KB — enough to see a broken manhole cover, and sent in seconds on 4G.

import type { UploadReply } from '@doorstep/contracts';
import type { Options } from 'browser-image-compression';
import { isRetryable, residentApi } from './api';

export const MAX_PHOTOS = 9;

const options: Options = {
  maxSizeMB: 0.4,
  maxWidthOrHeight: 1920,
  initialQuality: 0.8,
  // Its worker loads the library from a CDN (libURL): no third-party origin, and none on an
  // isolated network. On the main thread a photo takes a few hundred milliseconds.
  useWebWorker: false,
};

export async function compressPhoto(file: File): Promise<Blob> {
  // Loaded on the first photo only: most of the page never needs it.
  const { default: imageCompression } = await import('browser-image-compression');
  try {
    return await imageCompression(file, options);
  } catch {
    // A format this browser cannot draw (HEIC outside Safari): let the server judge the original,
    // its answer names the problem.
    return file;
  }
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp' };

export function uploadPhoto(blob: Blob): Promise<UploadReply> {
  return residentApi.upload(blob, `photo.${extensions[blob.type] ?? 'jpg'}`);
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
