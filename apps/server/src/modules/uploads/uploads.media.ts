import { IMAGE_TYPES, type ImageType } from '@doorstep/contracts/vocabulary';
import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import pLimit from 'p-limit';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../platform/errors.ts';

export {
  DOCUMENT_TYPES,
  IMAGE_TYPES,
  type ImageType,
  type UploadContentType,
} from '@doorstep/contracts/vocabulary';

/** Longest edge kept: plenty for evidence on a phone or the console, and bounds storage. */
export const MAX_EDGE_PX = 4096;
/**
 * Decoded-size ceiling (a "decompression bomb" of a few KiB can claim gigapixels). 120 MP lets
 * through the 108 MP mode of current phones; sharp decodes at most libuv's thread-pool size of
 * images at once, so this also bounds the memory all uploads in flight can take.
 */
export const MAX_INPUT_PIXELS = 120_000_000;
/**
 * For residents' uploads (no login): the H5 shrinks photos to 1920 px before sending, so 25 MP
 * (a full-size photo from most phones, should the browser not shrink it) is ample, and a hostile
 * anonymous file costs at most ~100 MB to decode.
 */
export const MAX_ANONYMOUS_PIXELS = 25_000_000;
/** Images decoded at once; a decode holds up to its pixels × 4 bytes, so this bounds memory. */
export const DECODES_AT_ONCE = 2;
/** Uploads that may wait for a decode slot; beyond, the server is busy (503) rather than swamped. */
export const MAX_WAITING_DECODES = 16;

const decodeSlots = pLimit(DECODES_AT_ONCE);

/**
 * Runs image work in the bounded decode queue: DECODES_AT_ONCE at a time, MAX_WAITING_DECODES in
 * line, and a 503 `busy` past that. p-limit, not sharp's own queue: sharp would accept every call
 * and hold all their input buffers meanwhile.
 */
export function inDecodeQueue<T>(work: () => Promise<T>): Promise<T> {
  if (decodeSlots.pendingCount >= MAX_WAITING_DECODES) {
    return Promise.reject(
      new AppError('busy', 503, 'too many images are being processed; try again in a few seconds', {
        retryAfterSeconds: 5,
      }),
    );
  }
  return decodeSlots(work);
}

/**
 * The image's header (sharp's metadata() decodes no pixels): its size is refused past the
 * caller's limit before anything is decoded — a 213 KB WebP can claim 10,950 × 10,950 pixels — and
 * its EXIF block is handed back for the GPS position, so the header is read once.
 */
export async function readImageHeader(
  bytes: Buffer,
  type: ImageType,
  maxPixels: number,
): Promise<{ exif: Buffer | undefined }> {
  let header: Metadata;
  try {
    header = await sharp(bytes, { pages: 1 }).metadata();
  } catch {
    throw new AppError('unreadable_image', 400, 'the image is damaged or incomplete and cannot be read', {
      contentType: type,
    });
  }
  const { width, height, exif } = header;
  if (!width || !height) {
    throw new AppError('unreadable_image', 400, 'the image has no readable size', { contentType: type });
  }
  if (width * height > maxPixels) {
    throw new AppError('image_too_large', 413, `the image has more than ${maxPixels} pixels`, {
      maxPixels,
      width,
      height,
    });
  }
  return { exif };
}

export interface LatLng {
  lat: number;
  lng: number;
}

/** The type the bytes say they are, whatever the file name or the client's Content-Type claim. */
export async function detectContentType(bytes: Buffer): Promise<string | null> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected?.mime ?? null;
}

export function isImageType(type: string | null): type is ImageType {
  return (IMAGE_TYPES as readonly string[]).includes(type ?? '');
}

/**
 * The EXIF GPS position of a photo (WGS-84, as cameras write it), or null when it has none or
 * an impossible one — 0,0 is what many cameras write when they had no fix. sharp finds the EXIF
 * block in every accepted format (exifr alone does not read WebP; readImageHeader hands it over)
 * and exifr decodes it.
 */
export async function gpsFromExif(exif: Buffer | undefined): Promise<LatLng | null> {
  if (!exif) return null;
  let gps: { latitude?: number; longitude?: number } | undefined;
  try {
    // sharp hands over the APP1 payload; exifr wants the TIFF structure after its "Exif\0\0" tag.
    const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
    gps = await exifr.gps(tiff);
  } catch {
    return null; // broken metadata is not a broken photo: it is about to be discarded anyway
  }
  const lat = gps?.latitude;
  const lng = gps?.longitude;
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return null;
  return { lat, lng };
}

export interface ReencodedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * Decodes and re-encodes a photo in its own format: turned upright from its EXIF orientation
 * first, shrunk to MAX_EDGE_PX, colour converted to sRGB, and written without any metadata (sharp
 * keeps none unless asked: no EXIF, GPS, XMP, IPTC, ICC, maker notes or comments). What is stored
 * is pixels the server produced, never the client's file. Only the first frame of an animation
 * is kept. A file that does not decode cleanly (truncated, corrupt) is refused.
 */
export async function reencodeImage(bytes: Buffer, type: ImageType): Promise<ReencodedImage> {
  const pipeline = sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS, pages: 1 })
    .autoOrient()
    .resize({ width: MAX_EDGE_PX, height: MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true });
  // Plain libjpeg-turbo: mozjpeg saved ~20 % of bytes but took ~6x the CPU (0.7 s against 0.12 s
  // for a 12 MP photo), and a resident waits on this reply.
  if (type === 'image/jpeg') pipeline.jpeg({ quality: 85 });
  else if (type === 'image/png') pipeline.png({ compressionLevel: 6 });
  else pipeline.webp({ quality: 85 });
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/pixel limit/i.test(message)) {
      throw new AppError('image_too_large', 413, `the image has more than ${MAX_INPUT_PIXELS} pixels`, {
        maxPixels: MAX_INPUT_PIXELS,
      });
    }
    throw new AppError('unreadable_image', 400, 'the image is damaged or incomplete and cannot be read', {
      contentType: type,
    });
  }
}

/**
 * PDF cannot be re-encoded here, so it is checked for its header (done by detection) and for the
 * end-of-file marker a complete PDF carries near its end, which catches truncated transfers.
 */
export function assertCompletePdf(bytes: Buffer): void {
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new AppError('unreadable_document', 400, 'the PDF is incomplete (no end-of-file marker)');
  }
}
