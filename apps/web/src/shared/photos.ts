// Photos are shrunk in the browser before they travel: a 12-megapixel phone photo (4–6 MB) becomes
// a 1920 px JPEG of about 400 KB — enough to see a broken manhole cover, and sent in seconds on 4G.
// Shared by the resident H5 and the staff workbench.

import type { Options } from 'browser-image-compression';

const options: Options = {
  maxSizeMB: 0.4,
  maxWidthOrHeight: 1920,
  initialQuality: 0.8,
  // Its worker loads the library from a CDN (libURL): no third-party origin, and none on an
  // isolated network. On the main thread a photo takes a few hundred milliseconds.
  useWebWorker: false,
};

const loadCompressor = () => import('browser-image-compression');

/**
 * Fetches the compressor ahead of need. The workbench calls it at start: a photo is often taken
 * where there is no network, and a module not yet loaded cannot be fetched then.
 */
export function preloadCompressor(): void {
  loadCompressor().catch(() => undefined);
}

export async function compressPhoto(file: File): Promise<Blob> {
  try {
    // Loaded on the first photo only: most of the resident's pages never need it.
    const { default: imageCompression } = await loadCompressor();
    return await imageCompression(file, options);
  } catch {
    // The compressor could not be loaded (offline before it ever was) or
    // cannot draw this format (HEIC outside Safari): the original goes, and the server judges it.
    return file;
  }
}

const extensions: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp' };

/** The file name an upload of this image carries (the server checks the bytes, not the name). */
export function photoFileName(blob: Blob): string {
  return `photo.${extensions[blob.type] ?? 'jpg'}`;
}
