import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { uploadPhoto } from './support/uploads.ts';

/**
 * 信访工作条例 art. 46(5) on the photo path: the resident's own photos of a complaint about 城管
 * are complaint material, so 城管 — though it handles the appeal — never gets them by id, while
 * the dispatcher who sent the work there does.
 */
let w: AppealWorld;
let photo: string;
let plain: string;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler']);
  photo = await uploadPhoto(w.h.app);
  plain = await uploadPhoto(w.h.app);
  const accused = await w.newAppeal({ accusedOrgId: w.dept.urban, attachments: [photo] });
  const ordinary = await w.newAppeal({ attachments: [plain] });
  for (const appeal of [accused, ordinary]) {
    await w.must('district-dispatcher', appeal.id, 'accept', {});
    await w.must('district-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.urban });
  }
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const fetchAs = (user: string, id: string) =>
  w.h.app.inject({ url: `/api/v1/uploads/${id}`, headers: w.as(user) });

test('the accused unit gets the same 404 for the resident’s photo as for no photo at all', async () => {
  const response = await fetchAs('dept-handler', photo);
  expect(response.statusCode).toBe(404);
  expect(response.json().error.code).toBe('not_found');
});

test('the same unit sees the photo of an appeal that does not accuse it, and the dispatcher sees both', async () => {
  expect((await fetchAs('dept-handler', plain)).statusCode).toBe(200);
  expect((await fetchAs('district-dispatcher', photo)).statusCode).toBe(200);
  expect((await fetchAs('district-dispatcher', plain)).statusCode).toBe(200);
});
