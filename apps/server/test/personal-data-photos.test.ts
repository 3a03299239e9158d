import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { uploadPhoto } from './support/uploads.ts';

/**
 * 信访工作条例 art. 46(5) on the photo path: the resident's own photos of a complaint about the
 * community are complaint material, so the community — though the appeal lies in its area — never
 * gets them by id, while the dispatcher does. (The case itself is never given to the unit it
 * complains about: appeals-privacy.test.ts.)
 */
let w: AppealWorld;
let photo: string;
let plain: string;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'community-worker']);
  photo = await uploadPhoto(w.h.app);
  plain = await uploadPhoto(w.h.app);
  const community = (
    await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('community-worker') })
  ).json().user.orgId;
  const accused = await w.newAppeal({ accusedOrgId: community, attachments: [photo] });
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
  const response = await fetchAs('community-worker', photo);
  expect(response.statusCode).toBe(404);
  expect(response.json().error.code).toBe('not_found');
});

test('the same unit sees the photo of an appeal that does not accuse it, and the dispatcher sees both', async () => {
  expect((await fetchAs('community-worker', plain)).statusCode).toBe(200);
  expect((await fetchAs('district-dispatcher', photo)).statusCode).toBe(200);
  expect((await fetchAs('district-dispatcher', plain)).statusCode).toBe(200);
});
