import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer as readAll } from 'node:stream/consumers';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.ts';
import { claimForAppeal, listForAppeal } from '../src/modules/uploads/index.ts';
import { createFileBlobStore, newBlobKey } from '../src/platform/blobs/index.ts';
import { createServices } from '../src/services.ts';
import { bearer, createHarness, DEFAULT_SETTINGS, type Harness } from './support/harness.ts';
import { type FormPart, multipart, phonePhoto } from './support/uploads.ts';

const MiB = 1024 * 1024;
// 光明区政府 — where the resident stood when taking the photo.
const HERE = { lat: 22.7483, lng: 113.9357 };

let h: Harness;
let dataDir: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'doorstep-uploads-'));
  h = await createHarness({ settings: { dataDir } });
  for (const user of ['dept-handler', 'district-dispatcher', 'auditor']) tokens[user] = await h.login(user);
});
afterAll(async () => {
  await h?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function send(parts: FormPart[], options: { token?: string; remoteAddress?: string } = {}) {
  const form = multipart(parts);
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...form.headers, ...(options.token ? bearer(options.token) : {}) },
    payload: form.payload,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

function file(bytes: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg'): FormPart {
  return { field: 'file', filename, contentType, bytes };
}

async function fetchBytes(id: string, token?: string) {
  return h.app.inject({ url: `/api/v1/uploads/${id}`, headers: token ? bearer(token) : {} });
}

/** Noise does not compress: a photo of a given size on disk. */
function noisePng(width: number, height: number) {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function uploadRow(id: string) {
  return h.services.db.one<{
    has_location: boolean;
    location_kept: boolean;
    lat: number | null;
    lng: number | null;
    sha256: string;
    blob_key: string;
    uploader_ip_hash: string | null;
    uploaded_by_user: string | null;
  }>('SELECT * FROM upload WHERE id = $1', [id]);
}

describe('a resident attaches a phone photo', () => {
  test('the photo comes back upright, re-encoded, with no EXIF and no location', async () => {
    const original = await phonePhoto({ width: 64, height: 48, gps: HERE, orientation: 6 });
    expect(await exifr.gps(original)).toMatchObject({ latitude: HERE.lat, longitude: HERE.lng });

    const response = await send([file(original)]);
    expect(response.statusCode).toBe(201);
    const upload = response.json();
    // Orientation 6 = held upright: the stored pixels are turned, 64x48 becomes 48x64.
    expect(upload).toEqual({
      id: expect.any(String),
      contentType: 'image/jpeg',
      byteSize: expect.any(Number),
      width: 48,
      height: 64,
    });
    expect(upload.location).toBeUndefined();

    const served = await fetchBytes(upload.id);
    expect(served.statusCode).toBe(200);
    const bytes = served.rawPayload;
    expect(bytes.length).toBe(upload.byteSize);
    expect(bytes.equals(original)).toBe(false);
    expect(await exifr.parse(bytes)).toBeUndefined();
    expect(await exifr.gps(bytes)).toBeUndefined();
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.exif, meta.xmp, meta.iptc, meta.icc, meta.orientation]).toEqual([
      'jpeg',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    // The server remembers that there was a position, but not the position.
    const row = await uploadRow(upload.id);
    expect(row).toMatchObject({ has_location: true, location_kept: false, lat: null, lng: null });
    expect(row?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // The address is kept only as a keyed hash (for the per-address quota), never in clear.
    expect(row?.uploader_ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(row?.uploaded_by_user).toBeNull();
  });

  test('with keepLocation=true the position is returned for the map pin, and still stripped from the file', async () => {
    const original = await phonePhoto({ gps: HERE });
    const response = await send([file(original), { field: 'keepLocation', value: 'true' }]);
    expect(response.statusCode).toBe(201);
    const { id, location } = response.json();
    expect(location.lat).toBeCloseTo(HERE.lat, 5);
    expect(location.lng).toBeCloseTo(HERE.lng, 5);
    expect(await uploadRow(id)).toMatchObject({ has_location: true, location_kept: true });
    expect(await exifr.parse((await fetchBytes(id)).rawPayload)).toBeUndefined();
  });

  test('a photo without GPS has no location to keep', async () => {
    const response = await send([{ field: 'keepLocation', value: 'true' }, file(await phonePhoto())]);
    expect(response.statusCode).toBe(201);
    expect(response.json().location).toBeUndefined();
    expect(await uploadRow(response.json().id)).toMatchObject({ has_location: false, location_kept: false });
  });

  test('the type comes from the bytes: a PNG named photo.jpg and sent as image/jpeg is a PNG', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: '#00f8' } })
      .png()
      .toBuffer();
    const response = await send([file(png, 'photo.jpg', 'image/jpeg')]);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ contentType: 'image/png', width: 20, height: 10 });
    const served = await fetchBytes(response.json().id);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  test('WebP is accepted and re-encoded as WebP', async () => {
    const webp = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#f80' } })
      .webp()
      .withExif({ IFD0: { Make: 'DoorstepPhone' } })
      .toBuffer();
    const response = await send([file(webp, 'x.webp', 'image/webp')]);
    expect(response.statusCode).toBe(201);
    expect(response.json().contentType).toBe('image/webp');
    expect((await sharp((await fetchBytes(response.json().id)).rawPayload).metadata()).exif).toBeUndefined();
  });
});

describe('what is refused', () => {
  test('a program, a text file or a HEIC named photo.jpg is 415, whatever it claims', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(2000)]);
    const text = Buffer.from('这不是照片，是一段文字。'.repeat(20));
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from('ftypheic'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from('mif1heic'),
      randomBytes(200),
    ]);
    for (const bytes of [exe, text, heic]) {
      const response = await send([file(bytes)]);
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('unsupported_file_type');
    }
    expect((await send([file(heic)])).json().error.message).toMatch(/HEIC/);
  });

  test('a JPEG cut off halfway has the right magic bytes but is a 400, not a 500', async () => {
    const whole = await sharp(randomBytes(300 * 200 * 3), { raw: { width: 300, height: 200, channels: 3 } })
      .jpeg()
      .toBuffer();
    const response = await send([file(whole.subarray(0, Math.floor(whole.length * 0.6)))]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('unreadable_image');
  });

  test('a file over 10 MiB is 413; a 6 MiB photo is fine (the 1 MiB JSON limit does not apply)', async () => {
    const tooLarge = Buffer.concat([await phonePhoto(), Buffer.alloc(10 * MiB)]);
    const refused = await send([file(tooLarge)]);
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error).toMatchObject({ code: 'file_too_large', details: { maxBytes: 10 * MiB } });

    const big = await noisePng(1450, 1450);
    expect(big.length).toBeGreaterThan(6 * MiB);
    const accepted = await send([file(big, 'scan.png', 'image/png')]);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ width: 1450, height: 1450 });
  });

  test('the form must be one file in "file", and keepLocation true or false', async () => {
    const photo = await phonePhoto();
    const cases: [FormPart[], number][] = [
      [[], 400],
      [[{ field: 'keepLocation', value: 'true' }], 400],
      [[{ ...file(photo), field: 'photo' }], 400],
      [[file(photo), file(photo)], 400],
      [[file(photo), { field: 'keepLocation', value: 'yes' }], 400],
      [[file(photo), { field: 'caption', value: 'hi' }], 400],
      [[file(Buffer.alloc(0))], 400],
    ];
    for (const [parts, status] of cases) expect((await send(parts)).statusCode).toBe(status);
    const json = await h.app.inject({ method: 'POST', url: '/api/v1/uploads', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  test('other routes still refuse multipart bodies', async () => {
    const form = multipart([
      { field: 'username', value: 'leader' },
      { field: 'password', value: 'whatever-1A' },
    ]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: form.headers,
      payload: form.payload,
    });
    expect(response.statusCode).toBe(415);
  });

  test('a PDF is staff evidence: refused from a resident, taken from a handler and served as a download', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const resident = await send([file(pdf, 'agreement.pdf', 'application/pdf')]);
    expect(resident.statusCode).toBe(415);
    expect(resident.json().error.details.allowed).not.toContain('application/pdf');

    const handler = await send([file(pdf, 'agreement.pdf', 'application/pdf')], {
      token: tokens['dept-handler'],
    });
    expect(handler.statusCode).toBe(201);
    expect(handler.json()).toMatchObject({ contentType: 'application/pdf', width: null, height: null });
    expect((await uploadRow(handler.json().id))?.uploaded_by_user).not.toBeNull();
    const served = await fetchBytes(handler.json().id);
    expect(served.rawPayload.equals(pdf)).toBe(true);
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);

    const truncated = await send([file(pdf.subarray(0, 30), 'a.pdf', 'application/pdf')], {
      token: tokens['dept-handler'],
    });
    expect(truncated.statusCode).toBe(400);
  });
});

describe('serving an upload', () => {
  test('an unattached upload is served by its id, privately, with nosniff and inline', async () => {
    const { id } = (await send([file(await phonePhoto())])).json();
    const response = await fetchBytes(id);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'cache-control': expect.stringMatching(/^private/),
      'content-disposition': `inline; filename="${id}.jpg"`,
    });
  });

  test('an unknown id is 404 and a malformed one 400', async () => {
    expect((await fetchBytes(randomUUID())).statusCode).toBe(404);
    expect((await fetchBytes('..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(400);
    expect((await fetchBytes('not-a-uuid')).statusCode).toBe(400);
  });
});

describe('an appeal claims its photos', () => {
  test('only fresh, unattached uploads are claimed; once attached, only staff within its appeal’s reach', async () => {
    const fresh = (await send([file(await phonePhoto())])).json().id;
    const taken = (await send([file(await phonePhoto())])).json().id;
    const now = h.clock.now();
    h.clock.set(new Date(now.getTime() - 26 * 3_600_000));
    const stale = (await send([file(await phonePhoto())])).json().id;
    h.clock.set(now);

    const otherAppeal = randomUUID();
    const appeal = randomUUID();
    await h.services.db.transaction((tx) => claimForAppeal(tx, [taken], otherAppeal, h.clock.now()));
    const claimed = await h.services.db.transaction((tx) =>
      claimForAppeal(tx, [stale, taken, fresh, randomUUID(), 'junk'], appeal, h.clock.now()),
    );
    expect(claimed.map((u) => u.id)).toEqual([fresh]);
    expect((await listForAppeal(h.services.db, appeal)).map((u) => u.id)).toEqual([fresh]);
    // Claimed: the address hash has served its purpose and goes.
    expect((await uploadRow(fresh))?.uploader_ip_hash).toBeNull();

    expect((await fetchBytes(fresh)).statusCode).toBe(404);
    expect((await fetchBytes(fresh, tokens.auditor)).statusCode).toBe(404);
    // Attached, a photo is served only within its appeal's reach (permission-scope.test.ts shows the
    // allowed side); this id names no appeal at all, so even the district desk gets the same 404.
    expect((await fetchBytes(fresh, tokens['district-dispatcher'])).statusCode).toBe(404);
    // Past the claim window an unclaimed upload is no longer served, and the purge removes it.
    expect((await fetchBytes(stale)).statusCode).toBe(404);
    const staleKey = (await uploadRow(stale))!.blob_key;
    const stillFresh = (await send([file(await phonePhoto())])).json().id;
    const purge = await h.services.uploads.purgeUnclaimed();
    expect(purge.deleted).toBeGreaterThanOrEqual(1);
    expect(await uploadRow(stale)).toBeUndefined();
    expect(await h.services.blobs.exists(staleKey)).toBe(false);
    expect(await uploadRow(stillFresh)).toBeDefined();
    expect(await uploadRow(fresh)).toBeDefined();
  });

  test('one address may hold 100 unclaimed uploads a day; staff are not counted', async () => {
    const photo = await phonePhoto({ width: 8, height: 8 });
    const remoteAddress = '203.0.113.77';
    for (let i = 0; i < 100; i++) {
      expect((await send([file(photo)], { remoteAddress })).statusCode).toBe(201);
    }
    const refused = await send([file(photo)], { remoteAddress });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('upload_quota_exceeded');
    expect((await send([file(photo)], { remoteAddress: '203.0.113.78' })).statusCode).toBe(201);
    const staff = await send([file(photo)], { remoteAddress, token: tokens['dept-handler'] });
    expect(staff.statusCode).toBe(201);
  });
});

describe('the blobs are files that outlive the process', () => {
  test('a new store and a new server over the same folder serve the same bytes', async () => {
    const created = (await send([file(await phonePhoto({ width: 40, height: 30 }))])).json();
    const before = (await fetchBytes(created.id)).rawPayload;
    const key = (await uploadRow(created.id))!.blob_key;

    // Sharded by the key, private to the server's user, no temporary files left behind.
    const shard = path.join(dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4));
    expect(readdirSync(shard).sort()).toEqual(expect.arrayContaining([key, `${key}.json`]));
    expect(readdirSync(shard).some((name) => name.startsWith('.tmp-'))).toBe(false);
    expect(statSync(path.join(shard, key)).mode & 0o777).toBe(0o600);

    const reopened = createFileBlobStore(path.join(dataDir, 'blobs'));
    const blob = await reopened.get(key);
    expect(blob?.contentType).toBe('image/jpeg');
    expect((await readAll(blob!.body)).equals(before)).toBe(true);

    const services = createServices({
      db: h.testDb.db,
      clock: h.clock,
      secrets: { sessionSecret: randomBytes(32).toString('hex'), dataKey: randomBytes(32) },
      settings: { ...DEFAULT_SETTINGS, dataDir },
    });
    const restarted = await buildApp({ services });
    try {
      const again = await restarted.inject({ url: `/api/v1/uploads/${created.id}` });
      expect(again.statusCode).toBe(200);
      expect(again.rawPayload.equals(before)).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  test('the store answers only for keys it could have made', async () => {
    const store = createFileBlobStore(path.join(dataDir, 'blobs'));
    const key = newBlobKey();
    expect(await store.exists(key)).toBe(false);
    expect(await store.get(key)).toBeNull();
    await store.put(key, Buffer.from('abc'), 'text/plain');
    expect(await store.exists(key)).toBe(true);
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    for (const bad of ['../../etc/passwd', `${key}/..`, key.toUpperCase(), '']) {
      await expect(store.get(bad)).rejects.toThrow(/not a blob key/);
      await expect(store.put(bad, Buffer.from('x'), 'text/plain')).rejects.toThrow(/not a blob key/);
    }
  });
});

describe('the size limit is configurable', () => {
  test('DOORSTEP_UPLOAD_MAX_BYTES applies to the upload route', async () => {
    const small = await createHarness({ demo: false, settings: { uploadMaxBytes: 100_000 } });
    try {
      const form = multipart([file(Buffer.concat([await phonePhoto(), Buffer.alloc(100_000)]))]);
      const response = await small.app.inject({
        method: 'POST',
        url: '/api/v1/uploads',
        headers: form.headers,
        payload: form.payload,
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().error.details.maxBytes).toBe(100_000);
    } finally {
      await small.close();
    }
  });
});
