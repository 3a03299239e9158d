import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { uploadPhoto } from './support/uploads.ts';

/**
 * The resident sees what was done: the photos the handler attached when resolving are served by
 * the tracking code (issue #25 item 3, #23 item 5). Nothing else is: not the resident's own
 * submission photos (staff-only material), not a working photo from a note, not another appeal's
 * photo under this code.
 */
let w: AppealWorld;
let appeal: Created;
let other: Created;
const ids = { submission: '', note: '', result: '', otherResult: '' };

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler']);
  ids.submission = await uploadPhoto(w.h.app);
  appeal = await w.newAppeal({ attachments: [ids.submission] });
  for (const [user, action, body] of [
    ['district-dispatcher', 'accept', {}],
    ['district-dispatcher', 'dispatch', { orgId: w.dept.urban }],
    ['dept-handler', 'claim', {}],
    ['dept-handler', 'start', {}],
  ] as const) {
    await w.must(user, appeal.id, action, body);
  }
  ids.note = await uploadPhoto(w.h.app, w.token('dept-handler'));
  await w.must('dept-handler', appeal.id, 'note', { text: '现场作业中', attachments: [ids.note] });
  ids.result = await uploadPhoto(w.h.app, w.token('dept-handler'));
  await w.must('dept-handler', appeal.id, 'resolve', { summary: '已更换井盖', attachments: [ids.result] });

  other = await w.driveTo('in_progress');
  ids.otherResult = await uploadPhoto(w.h.app, w.token('dept-handler'));
  await w.must('dept-handler', other.id, 'resolve', { summary: '已处理', attachments: [ids.otherResult] });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const photo = (code: string, id: string) => w.h.app.inject({ url: `/api/v1/track/${code}/photos/${id}` });

describe('result photos by tracking code', () => {
  test('the tracking view lists the result photo, and the photo is served to anyone with the code', async () => {
    const view = (await w.track(appeal.trackingCode)).json() as {
      photos: { uploadId: string; stage: string }[];
    };
    expect(view.photos).toContainEqual({ uploadId: ids.result, stage: 'resolution' });
    const served = await photo(appeal.trackingCode, ids.result);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['content-security-policy']).toContain('sandbox');
    expect(served.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  test('the typed code works however the resident writes it (lower case, no dashes)', async () => {
    const loose = appeal.trackingCode.replaceAll('-', '').toLowerCase();
    expect((await photo(loose, ids.result)).statusCode).toBe(200);
  });

  test('the resident’s own submission photo and a working photo are not served: 404', async () => {
    for (const id of [ids.submission, ids.note]) {
      const refused = await photo(appeal.trackingCode, id);
      expect(refused.statusCode).toBe(404);
      expect(refused.json().error.code).toBe('not_found');
    }
  });

  test('another appeal’s result photo under this code is a 404, and under its own code a 200', async () => {
    expect((await photo(appeal.trackingCode, ids.otherResult)).statusCode).toBe(404);
    expect((await photo(other.trackingCode, ids.otherResult)).statusCode).toBe(200);
  });

  test('an unknown code or id is a 404, a malformed one a 400', async () => {
    expect((await photo('ZZZZ-ZZZZ-ZZ', ids.result)).statusCode).toBe(404);
    expect((await photo(appeal.trackingCode, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await photo(appeal.trackingCode, 'not-a-uuid')).statusCode).toBe(400);
    expect((await photo('<script>', ids.result)).statusCode).toBe(400);
  });
});
