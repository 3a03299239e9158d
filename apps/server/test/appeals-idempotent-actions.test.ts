import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * A field worker's phone queues 办结 while offline and resends it when the network is back, not
 * knowing whether an earlier attempt arrived. Under the same Idempotency-Key the resend answers the
 * case as it is, once acted on; the same key for anything else is refused; keys are per person.
 */
let w: AppealWorld;

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker', 'leader']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const key = (name: string) => ({ 'idempotency-key': `test-${name}-${Math.random().toString(36).slice(2)}` });

async function timeline(id: string) {
  const body = (await w.detail('district-dispatcher', id)).json() as { timeline: { action: string }[] };
  return body.timeline.map((entry) => entry.action);
}

describe('a resent action under the same Idempotency-Key', () => {
  test('办结 sent twice with one key resolves once and answers the case both times', async () => {
    const appeal = await w.driveTo('in_progress');
    const k = key('resolve');
    const body = { summary: '已更换井盖，现场恢复通行' };
    const first = await w.act('dept-handler', appeal.id, 'resolve', body, k);
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await w.act('dept-handler', appeal.id, 'resolve', body, k);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toMatchObject({ id: appeal.id, status: 'resolved', version: first.json().version });
    expect((await timeline(appeal.id)).filter((a) => a === 'appeal.resolve')).toHaveLength(1);
  });

  test('without a key the same resend is the state conflict it always was', async () => {
    const appeal = await w.driveTo('in_progress');
    await w.must('dept-handler', appeal.id, 'resolve', { summary: '已更换井盖' });
    const again = await w.act('dept-handler', appeal.id, 'resolve', { summary: '已更换井盖' });
    expect(again.statusCode).toBe(409);
  });

  test('the replay comes before the version check: the first attempt moved the version', async () => {
    const appeal = await w.driveTo('dispatched');
    const seen = (await w.detail('dept-handler', appeal.id)).json().version as number;
    const k = key('claim');
    const ifMatch = { 'if-match': `"${seen}"`, ...k };
    expect((await w.act('dept-handler', appeal.id, 'claim', {}, ifMatch)).statusCode).toBe(200);
    const again = await w.act('dept-handler', appeal.id, 'claim', {}, ifMatch);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  test('a note resent twice is one note, not two', async () => {
    const appeal = await w.driveTo('in_progress');
    const k = key('note');
    for (let i = 0; i < 3; i++) {
      expect((await w.act('dept-handler', appeal.id, 'note', { text: '已联系物业' }, k)).statusCode).toBe(
        200,
      );
    }
    expect((await timeline(appeal.id)).filter((a) => a === 'appeal.note')).toHaveLength(1);
  });

  test('two copies racing each other act once', async () => {
    const appeal = await w.driveTo('in_progress');
    const k = key('race');
    const replies = await Promise.all(
      [1, 2, 3].map(() => w.act('dept-handler', appeal.id, 'note', { text: '同时重发' }, k)),
    );
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(replies.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect((await timeline(appeal.id)).filter((a) => a === 'appeal.note')).toHaveLength(1);
  });

  test('the same key with another body, action or appeal is refused with 422 and changes nothing', async () => {
    const appeal = await w.driveTo('in_progress');
    const other = await w.driveTo('in_progress');
    const k = key('reuse');
    expect((await w.act('dept-handler', appeal.id, 'note', { text: '第一次' }, k)).statusCode).toBe(200);
    for (const [id, action, body] of [
      [appeal.id, 'note', { text: '换了内容' }],
      [appeal.id, 'resolve', { summary: '换了动作的办结' }],
      [other.id, 'note', { text: '第一次' }],
    ] as const) {
      const refused = await w.act('dept-handler', id, action, body, k);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('idempotency_key_reused');
    }
    expect((await w.detail('dept-handler', appeal.id)).json().status).toBe('in_progress');
    expect((await timeline(other.id)).filter((a) => a === 'appeal.note')).toHaveLength(0);
  });

  test("another person's key is theirs: the same string from someone else acts for them", async () => {
    const appeal = await w.driveTo('resolved');
    const k = key('shared');
    expect((await w.act('dept-handler', appeal.id, 'note', { text: '部门备注' }, k)).statusCode).toBe(200);
    const verified = await w.act('grid-worker', appeal.id, 'verify', { passed: true, note: '现场已看过' }, k);
    expect(verified.statusCode).toBe(200);
    expect(verified.headers['idempotent-replayed']).toBeUndefined();
    expect(verified.json().status).toBe('verified');
  });

  test('a key is no way around the rules: a replay needs the first call to have succeeded', async () => {
    const appeal = await w.driveTo('dispatched');
    const k = key('denied');
    // The grid worker may not claim a department's work: refused, and nothing is remembered.
    expect((await w.act('grid-worker', appeal.id, 'claim', {}, k)).statusCode).toBe(403);
    expect((await w.act('grid-worker', appeal.id, 'claim', {}, k)).statusCode).toBe(403);
  });

  test('a malformed key is a 400, not an action', async () => {
    const appeal = await w.driveTo('dispatched');
    const bad = await w.act(
      'dept-handler',
      appeal.id,
      'claim',
      {},
      { 'idempotency-key': 'no spaces allowed here' },
    );
    expect(bad.statusCode).toBe(400);
    expect((await w.detail('dept-handler', appeal.id)).json().status).toBe('dispatched');
  });
});

describe('现场核实 with the verifier’s position', () => {
  test('the journal keeps where the verifier stood and how far that was from the reported place', async () => {
    const appeal = await w.driveTo('resolved');
    const near = { lat: w.pin.lat + 0.0003, lng: w.pin.lng, accuracyM: 12 };
    const verified = await w.act('grid-worker', appeal.id, 'verify', {
      passed: true,
      note: '现场查看已修复',
      position: near,
    });
    expect(verified.statusCode).toBe(200);
    const entry = (verified.json().timeline as { action: string; data: Record<string, unknown> }[]).find(
      (e) => e.action === 'appeal.verify',
    );
    // 0.0003° of latitude is about 33 m.
    expect(entry?.data.distanceM).toBeGreaterThan(28);
    expect(entry?.data.distanceM).toBeLessThan(38);
    expect(entry?.data.position).toMatchObject({ accuracyM: 12 });
  });

  test('a position off the globe is a 400', async () => {
    const appeal = await w.driveTo('resolved');
    const bad = await w.act('grid-worker', appeal.id, 'verify', {
      passed: true,
      note: '现场',
      position: { lat: 123, lng: 0 },
    });
    expect(bad.statusCode).toBe(400);
  });
});
