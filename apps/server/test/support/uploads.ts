import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

export type FormPart =
  | { field: string; value: string }
  | { field: string; filename: string; contentType: string; bytes: Buffer };

/**
 * A multipart/form-data body built byte by byte, so a test controls what a hostile or sloppy
 * client controls: the file name, the claimed Content-Type, the field order and names.
 */
export function multipart(parts: FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----doorstep${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('bytes' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.contentType}\r\n\r\n`,
        ),
        part.bytes,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** EXIF GPS rationals (degrees, minutes, hundredths of seconds) as sharp's withExif writes them. */
function rational(value: number): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutes = Math.floor((abs - degrees) * 60);
  const centiSeconds = Math.round(((abs - degrees) * 60 - minutes) * 60 * 100);
  return `${degrees}/1 ${minutes}/1 ${centiSeconds}/100`;
}

/**
 * A photo as a phone makes one: a JPEG with camera EXIF, optionally a GPS position and an
 * orientation tag (6 = the camera was held upright, pixels stored sideways).
 */
export async function phonePhoto(
  options: { width?: number; height?: number; gps?: { lat: number; lng: number }; orientation?: number } = {},
): Promise<Buffer> {
  const { width = 64, height = 48 } = options;
  let image = sharp({ create: { width, height, channels: 3, background: '#3a7' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'DoorstepPhone', Model: 'Test 1', Software: 'camera 1.0' },
      ...(options.gps
        ? {
            IFD3: {
              GPSLatitudeRef: options.gps.lat >= 0 ? 'N' : 'S',
              GPSLatitude: rational(options.gps.lat),
              GPSLongitudeRef: options.gps.lng >= 0 ? 'E' : 'W',
              GPSLongitude: rational(options.gps.lng),
            },
          }
        : {}),
    });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

/** Uploads a small photo as a resident (or as staff with a token) and returns its id. */
export async function uploadPhoto(app: FastifyInstance, token?: string): Promise<string> {
  const form = multipart([
    { field: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', bytes: await phonePhoto() },
  ]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...form.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: form.payload,
  });
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}
