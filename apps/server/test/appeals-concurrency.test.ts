import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * What happens when things arrive twice or at once: a resident's phone retrying a submission on
 * a bad connection, and two dispatchers pressing 派单 on the same appeal in the same second.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'street-dispatcher', 'dept-handler']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

async function appealsWithKey(key: string): Promise<number> {
  const row = await w.h.testDb.db.one<{ n: number }>(
    'SELECT count(*)::int AS n FROM appeal WHERE idempotency_key = $1',
    [key],
  );
  return row!.n;
}

describe('a resident’s phone retries a submission (Idempotency-Key)', () => {
  const body = { content: '小区门口的井盖松动，踩上去会翻', contact: { phone: '13700001111' } };

  test('the retry gets the first appeal back, marked as a replay, and no second appeal exists', async () => {
    const key = 'phone-retry-0001';
    const first = await w.submit(body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await w.submit(body, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await appealsWithKey(key)).toBe(1);
  });

  test('the same key with a different body is 422 idempotency_key_reused and creates nothing', async () => {
    const key = 'phone-retry-0002';
    expect((await w.submit(body, { 'idempotency-key': key })).statusCode).toBe(201);
    const changed = await w.submit({ ...body, content: '另一件事：路灯不亮了' }, { 'idempotency-key': key });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error.code).toBe('idempotency_key_reused');
    expect(await appealsWithKey(key)).toBe(1);
  });

  test('five identical retries at once make exactly one appeal', async () => {
    const key = 'phone-retry-0003';
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => w.submit(body, { 'idempotency-key': key })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await appealsWithKey(key)).toBe(1);
  });

  test('two different bodies racing on one key: one appeal, and the other is told the key is taken', async () => {
    const key = 'phone-retry-0004';
    const responses = await Promise.all([
      w.submit(body, { 'idempotency-key': key }),
      w.submit({ ...body, content: '另一件事：楼道灯坏了' }, { 'idempotency-key': key }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expect(responses.find((r) => r.statusCode === 422)!.json().error.code).toBe('idempotency_key_reused');
    expect(await appealsWithKey(key)).toBe(1);
  });

  test('without a key, two submissions are two appeals', async () => {
    const [a, b] = await Promise.all([w.submit(body), w.submit(body)]);
    expect(a!.json().id).not.toBe(b!.json().id);
  });
});

describe('two dispatchers dispatch the same appeal at the same moment', () => {
  test('one wins, the other gets 409, and the appeal is dispatched once', async () => {
    const appeal = await w.driveTo('accepted');
    const version = (await w.detail('district-dispatcher', appeal.id)).json().version;
    const [a, b] = await Promise.all([
      w.act(
        'district-dispatcher',
        appeal.id,
        'dispatch',
        { orgId: w.dept.urban },
        { 'if-match': `${version}` },
      ),
      w.act(
        'street-dispatcher',
        appeal.id,
        'dispatch',
        { orgId: w.dept.housing },
        { 'if-match': `${version}` },
      ),
    ]);
    const statuses = [a!.statusCode, b!.statusCode];
    expect([...statuses].sort()).toEqual([200, 409]);
    const loser = statuses[0] === 409 ? a! : b!;
    const winner = statuses[0] === 200 ? a! : b!;
    expect(['version_conflict', 'illegal_transition']).toContain(loser.json().error.code);

    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail.version).toBe(version + 1);
    expect(detail.assigned.id).toBe(winner.json().assigned.id);
    expect(detail.timeline.filter((e: { action: string }) => e.action === 'appeal.dispatch')).toHaveLength(1);
  });

  test('without If-Match, the loser of the race is still refused by the state', async () => {
    const appeal = await w.driveTo('accepted');
    const responses = await Promise.all([
      w.act('district-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.urban }),
      w.act('street-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.housing }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail.timeline.filter((e: { action: string }) => e.action === 'appeal.dispatch')).toHaveLength(1);
  });

  test('a stale If-Match is 409 version_conflict, naming the current version', async () => {
    const appeal = await w.driveTo('accepted');
    const seen = (await w.detail('street-dispatcher', appeal.id)).json().version;
    await w.must('district-dispatcher', appeal.id, 'note', { text: '已电话联系居民' });
    const stale = await w.act(
      'street-dispatcher',
      appeal.id,
      'dispatch',
      { orgId: w.dept.urban },
      { 'if-match': `W/"${seen}"` },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      details: { expected: seen, current: seen + 1 },
    });
    expect((await w.detail('street-dispatcher', appeal.id)).json().status).toBe('accepted');
    const fresh = await w.act(
      'street-dispatcher',
      appeal.id,
      'dispatch',
      { orgId: w.dept.urban },
      { 'if-match': `"${seen + 1}"` },
    );
    expect(fresh.statusCode).toBe(200);
  });

  test('a handler claiming twice at once: one claim, one 409', async () => {
    const appeal = await w.driveTo('dispatched');
    const responses = await Promise.all([
      w.act('dept-handler', appeal.id, 'claim'),
      w.act('dept-handler', appeal.id, 'claim'),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});
