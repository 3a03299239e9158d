import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * 吹哨报到: the community cannot fix it alone, blows the whistle and summons departments with a
 * uniformly numbered coordination notice; each summoned department must report in. The ladder
 * goes up one level per whistle and stops at the district leaders (level 4). Automatic
 * escalation of unanswered summons is a job and is tested with the jobs.
 */
let w: AppealWorld;
let a: Created;
let b: Created;

beforeAll(async () => {
  w = await createAppealWorld([
    'district-dispatcher',
    'street-dispatcher',
    'community-worker',
    'dept-handler',
    'leader',
  ]);
  // A: dispatched to 住建, so 城管 is involved only if summoned. B: dispatched to 城管.
  a = await w.driveTo('accepted');
  await w.must('district-dispatcher', a.id, 'dispatch', { orgId: w.dept.housing });
  b = await w.driveTo('dispatched');
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const number = (seq: number) => `光明-协调-2026-${String(seq).padStart(6, '0')}`;
type Notice = { number: string; level: number; summons: { orgId: number; reportedAt: string | null }[] };

async function notices(id: string, user = 'district-dispatcher'): Promise<Notice[]> {
  return (await w.detail(user, id)).json().notices;
}

async function summonsOf(
  user: string,
): Promise<{ subjectType: string; subjectId: string; number: string }[]> {
  return (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as(user) })).json().summons;
}

describe('the community worker blows the whistle on a blocked drain', () => {
  test('escalation goes to level 1 and notice 光明-协调-2026-000001 summons 城管 and 住建', async () => {
    const whistled = await w.must('community-worker', a.id, 'whistle', {
      reason: '排水管堵塞涉及道路和小区管网，需城管和住建联合处置',
      summonOrgIds: [w.dept.urban, w.dept.housing],
    });
    expect(whistled.escalationLevel).toBe(1);
    const [notice] = await notices(a.id);
    expect(notice).toMatchObject({ number: number(1), level: 1 });
    expect(notice!.summons.map((s) => s.orgId).sort()).toEqual([w.dept.urban, w.dept.housing].sort());
  });

  test('城管, summoned but not assigned, sees the summons in its inbox and can read the appeal', async () => {
    expect(await summonsOf('dept-handler')).toContainEqual(
      expect.objectContaining({ subjectType: 'appeal', subjectId: a.id, number: number(1) }),
    );
    expect((await w.detail('dept-handler', a.id)).statusCode).toBe(200);
  });

  test('城管 cannot claim 住建’s work (403): a summons is not an assignment', async () => {
    const claim = await w.act('dept-handler', a.id, 'claim');
    expect(claim.statusCode).toBe(403);
    expect(claim.json().error.code).toBe('action_not_allowed');
  });

  test('城管 reports in; the summons leaves its inbox; 住建’s is still open', async () => {
    const reported = await w.act('dept-handler', a.id, 'report-in', { note: '已派执法队员到场' });
    expect(reported.statusCode).toBe(200);
    expect((await summonsOf('dept-handler')).map((s) => s.subjectId)).not.toContain(a.id);
    const [notice] = await notices(a.id);
    const byOrg = new Map(notice!.summons.map((s) => [s.orgId, s.reportedAt]));
    expect(byOrg.get(w.dept.urban)).toEqual(expect.any(String));
    expect(byOrg.get(w.dept.housing)).toBeNull();
  });

  test('reporting in twice is 409', async () => {
    const again = await w.act('dept-handler', a.id, 'report-in');
    expect(again.statusCode).toBe(409);
  });

  test('a unit that was not summoned cannot report in', async () => {
    await w.must('community-worker', b.id, 'whistle', {
      reason: '需住建核查管网产权',
      summonOrgIds: [w.dept.housing],
    });
    expect((await notices(b.id))[0]!.number).toBe(number(2));
    // 城管 does the work on B and sees it, but only 住建 was summoned.
    const response = await w.act('dept-handler', b.id, 'report-in');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('action_not_allowed');
  });
});

describe('the ladder goes up to the district leaders and no further', () => {
  test('street, district and leader each take it one level up, with the next number each time', async () => {
    const steps = [
      ['street-dispatcher', 2, 3],
      ['district-dispatcher', 3, 4],
      ['leader', 4, 5],
    ] as const;
    for (const [user, level, seq] of steps) {
      const whistled = await w.must(user, a.id, 'whistle', {
        reason: `第${level}级协调`,
        summonOrgIds: [w.dept.housing],
      });
      expect([user, whistled.escalationLevel]).toEqual([user, level]);
      expect((await notices(a.id)).at(-1)).toMatchObject({ number: number(seq), level });
    }
  });

  test('at level 4 another whistle is 422 already_at_top and issues no notice', async () => {
    const top = await w.act('leader', a.id, 'whistle', { reason: '再次协调', summonOrgIds: [w.dept.urban] });
    expect(top.statusCode).toBe(422);
    expect(top.json().error.code).toBe('already_at_top');
    expect(await notices(a.id)).toHaveLength(4);
  });

  test('numbering stays gap-free after the refusal: the next notice is 000006', async () => {
    await w.must('street-dispatcher', b.id, 'whistle', { reason: '升级协调', summonOrgIds: [w.dept.urban] });
    expect((await notices(b.id)).at(-1)!.number).toBe(number(6));
  });

  test('whistles blown at the same moment on four appeals get four consecutive numbers', async () => {
    const appeals = await Promise.all([1, 2, 3, 4].map(() => w.driveTo('accepted')));
    const responses = await Promise.all(
      appeals.map((x) =>
        w.act('community-worker', x.id, 'whistle', { reason: '同时吹哨', summonOrgIds: [w.dept.urban] }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const numbers = await Promise.all(appeals.map(async (x) => (await notices(x.id))[0]!.number));
    expect(numbers.sort()).toEqual([7, 8, 9, 10].map(number));
  });

  test('the resident sees that departments were called in, not why or who', async () => {
    const tracked = await w.track(a.trackingCode);
    const steps = tracked.json().timeline.filter((s: { label: string }) => s.label === '吹哨协调');
    expect(steps).toHaveLength(4);
    expect(tracked.body).not.toContain('第3级协调');
    expect(tracked.body).not.toContain('光明-协调');
  });
});

describe('the inbox holds what the caller must do, not all they can see', () => {
  test('the district dispatcher is not asked to claim 城管’s work or to report in for 城管', async () => {
    const inbox = (
      await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('district-dispatcher') })
    ).json();
    expect(inbox.toClaim.map((x: { id: string }) => x.id)).not.toContain(b.id);
    expect(inbox.summons).toEqual([]);
  });

  test('the grid worker, who may not accept, is not asked to', async () => {
    const fresh = await w.newAppeal();
    const inbox = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('grid-worker') })).json();
    expect(inbox.toAccept.map((x: { id: string }) => x.id)).not.toContain(fresh.id);
    const desk = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('community-worker') })).json();
    expect(desk.toAccept.map((x: { id: string }) => x.id)).toContain(fresh.id);
  });
});
