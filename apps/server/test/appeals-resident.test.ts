import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * The resident's side of the loop: two neighbours report the same broken manhole cover and the
 * dispatcher makes one case of it; a resident who is not satisfied sends the work back.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'street-dispatcher', 'dept-handler', 'grid-worker']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const rate = (appeal: Created, score: string, comment?: string) => w.rate(appeal, score, comment);

describe('two residents report the same thing; the dispatcher merges B into A', () => {
  let a: Created;
  let b: Created;

  beforeAll(async () => {
    a = await w.newAppeal({ content: '华夏路口井盖不见了', contact: { name: '李明', phone: '13600001111' } });
    b = await w.newAppeal({
      content: '华夏路路口有个井没盖子',
      contact: { name: '周芳', phone: '13600002222' },
    });
    await w.must('district-dispatcher', a.id, 'accept');
  });

  test('merging an appeal into itself is 422', async () => {
    const self = await w.act('district-dispatcher', b.id, 'merge', { intoId: b.id });
    expect(self.statusCode).toBe(422);
    expect(self.json().error.code).toBe('invalid_merge');
  });

  test('merging into a closed or rejected case is 422', async () => {
    for (const state of ['closed', 'rejected']) {
      const finished = await w.driveTo(state);
      const response = await w.act('district-dispatcher', b.id, 'merge', { intoId: finished.id });
      expect([state, response.statusCode, response.json().error.code]).toEqual([state, 422, 'invalid_merge']);
    }
  });

  test('merging into an appeal that does not exist is 404', async () => {
    const response = await w.act('district-dispatcher', b.id, 'merge', {
      intoId: '00000000-0000-4000-8000-000000000000',
    });
    expect(response.statusCode).toBe(404);
    expect((await w.detail('district-dispatcher', b.id)).json().status).toBe('submitted');
  });

  test('B becomes 已合并 and A lists B among its merged appeals', async () => {
    const merged = await w.must('street-dispatcher', b.id, 'merge', { intoId: a.id });
    expect(merged).toMatchObject({ status: 'merged', statusLabel: '已合并', mergedInto: a.id });
    const target = (await w.detail('district-dispatcher', a.id)).json();
    expect(target.mergedChildren).toEqual([{ id: b.id, trackingCode: maskTrackingCode(b.trackingCode) }]);
  });

  test('B’s resident keeps tracking and is told which code to follow', async () => {
    const tracked = await w.track(b.trackingCode);
    expect(tracked.statusCode).toBe(200);
    const view = tracked.json();
    expect(view).toMatchObject({ status: 'merged', statusLabel: '已合并', mergedInto: a.trackingCode });
    expect(view.timeline.at(-1)).toEqual(
      expect.objectContaining({ label: '已合并', detail: expect.stringContaining(a.trackingCode) }),
    );
    expect(view.canRate).toBe(false);
    // One resident never learns who the other is.
    expect(tracked.body).not.toContain('李明');
    expect(tracked.body).not.toContain('13600001111');
  });

  test('A’s resident sees that a neighbour’s report joined theirs, without the neighbour', async () => {
    const tracked = await w.track(a.trackingCode);
    expect(tracked.json().timeline.map((s: { label: string }) => s.label)).toContain('同类诉求已并入');
    expect(tracked.body).not.toContain(b.trackingCode);
    expect(tracked.body).not.toContain('周芳');
  });

  test('a merged appeal is finished: it cannot be accepted, merged again or rated', async () => {
    expect((await w.act('district-dispatcher', b.id, 'accept')).statusCode).toBe(409);
    expect((await w.act('district-dispatcher', b.id, 'merge', { intoId: a.id })).statusCode).toBe(409);
    expect((await rate(b, 'satisfied')).statusCode).toBe(409);
  });
});

describe('the resident is not satisfied (不满意)', () => {
  let appeal: Created;
  beforeAll(async () => {
    appeal = await w.driveTo('dispatched');
  });

  test('rating before the work is resolved is 409', async () => {
    const early = await rate(appeal, 'satisfied');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('not_ready_for_rating');
    expect((await w.track(appeal.trackingCode)).json().canRate).toBe(false);
  });

  test('after resolution the resident rates it unsatisfied: it goes back to the dispatcher, reopened', async () => {
    await w.must('dept-handler', appeal.id, 'claim');
    await w.must('dept-handler', appeal.id, 'resolve', { summary: '已放置警示锥' });
    expect((await w.track(appeal.trackingCode)).json().canRate).toBe(true);
    const rated = await rate(appeal, 'unsatisfied', '只放了锥桶，井盖还是没有');
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({ status: 'reopened', rating: 'unsatisfied', canRate: false });
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail).toMatchObject({ status: 'reopened', reopenCount: 1, assigned: null });
    expect(detail.availableActions).toContain('dispatch');
    // The unit that resolved it no longer holds it.
    expect((await w.detail('dept-handler', appeal.id)).statusCode).toBe(404);
  });

  test('rating twice is 409', async () => {
    expect((await rate(appeal, 'satisfied')).statusCode).toBe(409);
    // Where the status would still allow a rating, the first one stands.
    const resolved = await w.driveTo('resolved');
    expect((await rate(resolved, 'basically_satisfied')).statusCode).toBe(200);
    const again = await rate(resolved, 'unsatisfied');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_rated');
    expect((await w.track(resolved.trackingCode)).json()).toMatchObject({
      rating: 'basically_satisfied',
      status: 'resolved',
    });
  });

  test('the dispatcher dispatches it again and the handler gets it back in the inbox', async () => {
    const again = await w.must('district-dispatcher', appeal.id, 'dispatch', {
      orgId: w.dept.urban,
      note: '居民不满意，请更换井盖',
    });
    expect(again).toMatchObject({ status: 'dispatched', reopenCount: 1 });
    const inbox = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('dept-handler') })).json();
    expect(inbox.toClaim.map((x: { id: string }) => x.id)).toContain(appeal.id);
    const labels = (await w.track(appeal.trackingCode))
      .json()
      .timeline.map((s: { label: string }) => s.label);
    expect(labels.slice(-3)).toEqual(['已办结', '已评价', '已派单']);
  });
});
