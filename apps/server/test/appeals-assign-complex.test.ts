import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * Issue #24 items 3 and 4. 指派: the unit holding the work names the person who does it (Kuiwen:
 * "the community assigns a grid worker"); that person's inbox, the timeline and their reach speak
 * of them, another worker's do not. 复杂疑难: a dispatcher marks a case complex with a reason; its
 * finish deadline becomes the item's complexFinishDays (5 working days) on the official calendar.
 */
let w: AppealWorld;
let community: number;
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await createAppealWorld([
    'district-dispatcher',
    'community-worker',
    'grid-worker',
    'grid-worker-2',
    'dept-handler',
    'legal-adviser',
    'leader',
  ]);
  for (const user of ['grid-worker', 'grid-worker-2', 'dept-handler', 'community-worker', 'legal-adviser']) {
    const me = await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as(user) });
    ids[user] = me.json().user.id;
    if (user === 'community-worker') community = me.json().user.orgId;
  }
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const at = (chinaTime: string) => new Date(`${chinaTime}+08:00`).toISOString();

/** A new appeal dispatched to 光明社区 (the community desk holds it). */
async function atCommunity(): Promise<Created> {
  const appeal = await w.newAppeal();
  await w.must('district-dispatcher', appeal.id, 'accept');
  await w.must('district-dispatcher', appeal.id, 'dispatch', { orgId: community });
  return appeal;
}

async function inbox(user: string) {
  const reply = await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as(user) });
  expect(reply.statusCode).toBe(200);
  const body = reply.json() as Record<string, { id: string }[]>;
  return { assignedToMe: body.assignedToMe!.map((a) => a.id), toClaim: body.toClaim!.map((a) => a.id) };
}

describe('指派: the community names a grid worker for its case', () => {
  let appeal: Created;

  test('the community desk is offered its own people to name, not another unit’s', async () => {
    appeal = await atCommunity();
    const reply = await w.h.app.inject({
      url: `/api/v1/appeals/${appeal.id}/assignees`,
      headers: w.as('community-worker'),
    });
    expect(reply.statusCode).toBe(200);
    const offered = (reply.json().items as { id: string }[]).map((p) => p.id);
    expect(offered).toEqual(expect.arrayContaining([ids['grid-worker'], ids['grid-worker-2']]));
    expect(offered).not.toContain(ids['dept-handler']);
  });

  test('the grid worker named sees it in their inbox; the other grid worker does not', async () => {
    expect((await inbox('grid-worker')).assignedToMe).not.toContain(appeal.id);
    const named = await w.must('community-worker', appeal.id, 'assign', { userId: ids['grid-worker'] });
    expect(named.assignedUser).toMatchObject({ id: ids['grid-worker'], name: '网格员 刘伟' });
    expect((await inbox('grid-worker')).assignedToMe).toContain(appeal.id);
    const other = await inbox('grid-worker-2');
    expect(other.assignedToMe).not.toContain(appeal.id);
    expect(other.toClaim).not.toContain(appeal.id);
    // The community desk, holding it, no longer lists it to claim: it is named for someone.
    expect((await inbox('community-worker')).toClaim).not.toContain(appeal.id);
  });

  test('the named worker reaches the case and works it; the other cannot even open it', async () => {
    expect((await w.detail('grid-worker', appeal.id)).json().availableActions).toContain('claim');
    expect((await w.detail('grid-worker-2', appeal.id)).statusCode).toBe(404);
    expect((await w.act('grid-worker-2', appeal.id, 'claim')).statusCode).toBe(404);
    await w.must('grid-worker', appeal.id, 'claim');
    await w.must('grid-worker', appeal.id, 'start');
    const mine = await w.h.app.inject({ url: '/api/v1/appeals?mine=true', headers: w.as('grid-worker') });
    expect(mine.json().items.map((a: { id: string }) => a.id)).toContain(appeal.id);
  });

  test('the timeline says who named whom', async () => {
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    const entry = detail.timeline.find((e: { action: string }) => e.action === 'appeal.assign');
    expect(entry).toMatchObject({
      actorName: '社区工作人员 张丽',
      data: { userId: ids['grid-worker'], userName: '网格员 刘伟' },
    });
  });

  test('naming someone outside the unit, a person of the unit who handles no work (the legal adviser) or no one is refused with 422', async () => {
    const other = await atCommunity();
    for (const userId of [
      ids['dept-handler'],
      ids['legal-adviser'],
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const refused = await w.act('community-worker', other.id, 'assign', { userId });
      expect([userId, refused.statusCode]).toEqual([userId, 422]);
      expect(refused.json().error.code).toBe('invalid_assignee');
    }
    expect((await w.detail('community-worker', other.id)).json().assignedUser).toBeNull();
  });

  test('only the holding unit’s desk names: not the grid worker, not the district dispatcher', async () => {
    const other = await atCommunity();
    for (const user of ['grid-worker', 'district-dispatcher', 'leader']) {
      const refused = await w.act(user, other.id, 'assign', { userId: ids['grid-worker'] });
      expect([user, refused.statusCode]).toEqual([user, 403]);
      const list = await w.h.app.inject({
        url: `/api/v1/appeals/${other.id}/assignees`,
        headers: w.as(user),
      });
      expect([user, list.statusCode]).toEqual([user, 403]);
    }
  });

  test('a department’s case cannot be named by the community for its grid worker', async () => {
    const other = await w.driveTo('dispatched');
    const refused = await w.act('community-worker', other.id, 'assign', { userId: ids['grid-worker'] });
    expect(refused.statusCode).toBe(403);
  });
});

describe('复杂疑难: 5 working days from acceptance, across National Day', () => {
  let appeal: Created;

  test('accepted at 16:00 on Wednesday 09-30, an ordinary case is due at 16:00 on the 调休 Saturday 10-10', async () => {
    // 占道经营: 3 working days, 5 when complex (the catalogue's 1/3/5).
    const found = await w.h.app.inject({
      url: `/api/v1/categories?q=${encodeURIComponent('占道经营')}&leaf=true`,
      headers: w.as('district-dispatcher'),
    });
    const category = found.json().items.find((c: { name: string }) => c.name === '占道经营');
    expect(category).toMatchObject({ finishDays: 3, complexFinishDays: 5 });
    await w.setClock(at('2026-09-30T15:00'));
    appeal = await w.newAppeal({
      categoryCode: category.code,
      content: '菜市场门口商贩占用人行道摆摊，行人只能走机动车道',
    });
    await w.setClock(at('2026-09-30T16:00'));
    const accepted = await w.must('district-dispatcher', appeal.id, 'accept');
    expect(accepted.finishDueAt).toBe(at('2026-10-10T16:00'));
    expect(accepted.complex).toBe(false);
  });

  test('marked complex, it is due 5 working days from acceptance: 16:00 on Tuesday 10-13', async () => {
    await w.setClock(at('2026-10-08T10:00'));
    const marked = await w.must('district-dispatcher', appeal.id, 'mark-complex', {
      reason: '涉及地下管网产权不清，需住建、城管和供水公司共同确认',
    });
    // 10-08, 10-09, 10-10 (调休), 10-12, 10-13: 10-11 is a Sunday.
    expect(marked.finishDueAt).toBe(at('2026-10-13T16:00'));
    expect(marked).toMatchObject({ complex: true, complexReason: expect.stringContaining('产权不清') });
    expect(marked.availableActions).not.toContain('mark-complex');
  });

  test('it is marked once: a second mark is refused', async () => {
    const again = await w.act('district-dispatcher', appeal.id, 'mark-complex', { reason: '再次标记' });
    expect(again.statusCode).toBe(403);
  });

  test('the list filters complex cases apart', async () => {
    const complex = await w.h.app.inject({
      url: '/api/v1/appeals?complex=true',
      headers: w.as('district-dispatcher'),
    });
    const ordinary = await w.h.app.inject({
      url: '/api/v1/appeals?complex=false',
      headers: w.as('district-dispatcher'),
    });
    expect(complex.json().items.map((a: { id: string }) => a.id)).toEqual([appeal.id]);
    expect(ordinary.json().items.map((a: { id: string }) => a.id)).not.toContain(appeal.id);
  });

  test('a handler may not mark a case complex, nor anyone a resolved one', async () => {
    const held = await w.driveTo('in_progress');
    expect((await w.act('dept-handler', held.id, 'mark-complex', { reason: '复杂' })).statusCode).toBe(403);
    const resolved = await w.driveTo('resolved');
    expect(
      (await w.act('district-dispatcher', resolved.id, 'mark-complex', { reason: '复杂' })).statusCode,
    ).toBe(409);
  });
});
