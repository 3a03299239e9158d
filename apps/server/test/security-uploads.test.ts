import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DECODES_AT_ONCE,
  inDecodeQueue,
  MAX_ANONYMOUS_PIXELS,
  MAX_WAITING_DECODES,
} from '../src/modules/uploads/uploads.media.ts';
import { AppError } from '../src/platform/errors.ts';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import { type FormPart, multipart, phonePhoto } from './support/uploads.ts';

/**
 * Issue #19, finding 7: image decompression. A 213 KB WebP of 10,950 × 10,950 took 2.2 s and
 * 170 MB to decode, and 12 in parallel reached 1.4 GB. Now the size is read from the header before
 * any decoding, residents' uploads have a lower pixel limit than staff's, and decodes run in a
 * bounded queue.
 */
let h: Harness;
let staff: string;
beforeAll(async () => {
  h = await createHarness();
  staff = await h.login('dept-handler');
});
afterAll(() => h?.close());

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header claims width × height but whose pixel data is a few bytes: a bomb's shape. */
function claimedPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method variants, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const send = (bytes: Buffer, token?: string) => {
  const part: FormPart = { field: 'file', filename: 'photo.png', contentType: 'image/png', bytes };
  const form = multipart([part]);
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...form.headers, ...(token ? bearer(token) : {}) },
    payload: form.payload,
  });
};

describe('the size an image claims is checked before it is decoded', () => {
  test('a 10,950 × 10,950 claim from a resident is refused as too large, without decoding', async () => {
    const bomb = claimedPng(10_950, 10_950);
    expect(bomb.length).toBeLessThan(1024);
    const reply = await send(bomb);
    expect(reply.statusCode).toBe(413);
    expect(reply.json().error).toMatchObject({
      code: 'image_too_large',
      details: { maxPixels: MAX_ANONYMOUS_PIXELS, width: 10_950, height: 10_950 },
    });
  });

  test('residents have a lower limit than staff: 6,000 × 6,000 is refused for one, decoded for the other', async () => {
    const claim = claimedPng(6000, 6000);
    expect((await send(claim)).json().error.code).toBe('image_too_large');
    // Staff pass the size check; these pixels then fail to decode (there are none), cleanly.
    const asStaff = await send(claim, staff);
    expect(asStaff.statusCode).toBe(400);
    expect(asStaff.json().error.code).toBe('unreadable_image');
  });

  test('an ordinary phone photo still goes through', async () => {
    const form = multipart([
      { field: 'file', filename: 'a.jpg', contentType: 'image/jpeg', bytes: await phonePhoto() },
    ]);
    const reply = await h.app.inject({ method: 'POST', url: '/api/v1/uploads', ...form });
    expect(reply.statusCode, reply.body).toBe(201);
  });
});

describe('the decode queue', () => {
  test(`runs ${DECODES_AT_ONCE} at once, holds ${MAX_WAITING_DECODES} in line and refuses more with 503`, async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await gate;
      running--;
      return 'done';
    };
    const admitted = Array.from({ length: DECODES_AT_ONCE + MAX_WAITING_DECODES }, () => inDecodeQueue(work));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await inDecodeQueue(work).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'busy', httpStatus: 503 });
    release();
    expect(await Promise.all(admitted)).toEqual(admitted.map(() => 'done'));
    expect(most).toBe(DECODES_AT_ONCE);
    // Drained: the next one is taken again.
    expect(await inDecodeQueue(async () => 'again')).toBe('again');
  });
});
