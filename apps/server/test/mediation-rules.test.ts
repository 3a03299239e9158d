import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDisputeRepository } from '../src/modules/mediation/mediation.repository.ts';
import { createDisputeViews } from '../src/modules/mediation/mediation.views.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import { REDACTED } from '../src/platform/text-redaction.ts';
import { WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { createMediationWorld, type MediationWorld } from './support/disputes.ts';

/*
 * Who reaches a dispute case and what they see of it; the referral of an appeal; escalation up the
 * tiers; a failed mediation; the timers; and bad input. The full happy path is
 * mediation-wage-case.test.ts.
 */

let w: MediationWorld;
let community: number;
let otherCommunity: number;
let grid: number;

const parties = [
  { role: 'applicant', kind: 'person', name: '王小明', phone: '13812345678', idNumber: '440306199001011234' },
  { role: 'respondent', kind: 'person', name: '李大海', phone: '13912345678' },
];
const neighbours = (orgId?: number) => ({
  kind: 'neighbour',
  summary: '楼上住户装修噪音扰民，协商未果',
  parties,
  ...(orgId ? { orgId } : {}),
});

async function created(user: string, body: Record<string, unknown>) {
  const reply = await w.register(user, body);
  expect(reply.statusCode, reply.body).toBe(201);
  return reply.json() as { id: string; caseNumber: string; tier: number };
}
async function ok(user: string, id: string, action: string, body: unknown = {}) {
  const reply = await w.act(user, id, action, body);
  expect(reply.statusCode, `${user} ${action}: ${reply.body}`).toBe(200);
  return reply.json();
}
async function mediatorId() {
  const items = (await w.h.app.inject({ url: '/api/v1/mediators', headers: w.as('mediator') })).json().items;
  return items.find((m: { kind: string }) => m.kind === 'mediator').userId as string;
}

beforeAll(async () => {
  w = await createMediationWorld();
  community = await w.orgId('光明社区');
  grid = (await w.h.testDb.db.one<{ id: number }>(
    `SELECT g.id FROM org_unit g JOIN org_unit c ON starts_with(g.path, c.path)
      WHERE c.id = $1 AND g.level = 'grid' ORDER BY g.id LIMIT 1`,
    [community],
  ))!.id;
  // A community of the other subdistrict (公明街道), with a mediator of its own.
  const street2 = (
    await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('street2-dispatcher') })
  ).json().user.orgId;
  otherCommunity = (await w.h.testDb.db.one<{ id: number }>(
    `SELECT c.id FROM org_unit c JOIN org_unit s ON s.id = $1
      WHERE c.level = 'community' AND starts_with(c.path, s.path) ORDER BY c.id LIMIT 1`,
    [street2],
  ))!.id;
  await w.addUser('mediator-b', 'mediator', otherCommunity);
  await w.addUser('grid-worker-b', 'grid_worker', grid);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('who reaches a case', () => {
  test('a mediator of another community cannot read, list or act on it', async () => {
    const c = await created('community-worker', neighbours(community));
    expect((await w.detail('mediator-b', c.id)).statusCode).toBe(404);
    const act = await w.act('mediator-b', c.id, 'accept');
    expect(act.statusCode).toBe(404);
    const list = (await w.h.app.inject({ url: '/api/v1/disputes', headers: w.as('mediator-b') })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    // …nor be given it: the register says which units a mediator serves.
    const userB = (await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('mediator-b') })).json().user
      .id;
    await w.h.services.mediation.registerMediator({ userId: userB, orgId: otherCommunity, kind: 'mediator' });
    await ok('community-worker', c.id, 'accept');
    const wrong = await w.act('community-worker', c.id, 'assign', { mediatorId: userB });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('invalid_mediator');
    // The community's own mediator does see it, in the list and by id.
    expect((await w.detail('mediator', c.id)).statusCode).toBe(200);
  });

  test('roles without the permission cannot register; another area’s unit cannot be named', async () => {
    const denied = await w.register('dept-handler', neighbours());
    expect(denied.statusCode).toBe(403);
    const elsewhere = await w.register('community-worker', neighbours(otherCommunity));
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().error.code).toBe('invalid_unit');
  });

  test('an appeal of the dispute kind is referred; the accused unit never sees the applicant', async () => {
    const station = await w.h.testDb.db.one<{ code: string }>(
      `SELECT s.code FROM org_unit s JOIN org_unit c ON starts_with(s.path, c.path)
        WHERE c.id = $1 AND s.level = 'station' ORDER BY s.id LIMIT 1`,
      [community],
    );
    const submit = (categoryCode: string, accusedOrgId?: number) =>
      w.h.app.inject({
        method: 'POST',
        url: '/api/v1/appeals',
        payload: {
          channel: 'h5',
          categoryCode,
          content: '街道办拆除我家违建引发纠纷，要求调解赔偿',
          stationCode: station!.code,
          contact: { name: '王小明', phone: '13812345678' },
          ...(accusedOrgId ? { accusedOrgId } : {}),
        },
      });
    // The appeal complains about the community committee itself.
    const appeal = await submit('JF-LL-001', community);
    expect(appeal.statusCode, appeal.body).toBe(201);
    const appealId = appeal.json().id;
    const refer = (user: string, id: string) =>
      w.h.app.inject({
        method: 'POST',
        url: `/api/v1/appeals/${id}/actions/refer-to-mediation`,
        headers: w.as(user),
        payload: { kind: 'neighbour', parties },
      });
    expect((await refer('dept-handler', appealId)).statusCode).toBe(403);
    const referred = await refer('community-worker', appealId);
    expect(referred.statusCode, referred.body).toBe(201);
    const caseId = referred.json().id;
    expect((await refer('community-worker', appealId)).statusCode).toBe(409);

    const appealView = (
      await w.h.app.inject({ url: `/api/v1/appeals/${appealId}`, headers: w.as('community-worker') })
    ).json();
    expect(appealView.timeline.map((e: { action: string }) => e.action)).toContain(
      'appeal.refer-to-mediation',
    );

    // The case is not held by the unit complained about, but by the subdistrict above it.
    expect((await w.detail('community-worker', caseId)).statusCode).toBe(404);
    const held = (await w.detail('street-dispatcher', caseId)).json();
    expect(held).toMatchObject({ appealId, tier: 3 });
    expect(held.parties[0].name).toBe('王**');
    // The accused community cannot be summoned to it either.
    await ok('street-dispatcher', caseId, 'accept');
    const summon = await w.act('street-dispatcher', caseId, 'whistle', {
      reason: '请社区到场说明情况',
      summonOrgIds: [community],
    });
    expect(summon.statusCode).toBe(409);
    expect(summon.json().error.code).toBe('accused_unit');
    // Nor can its mediator be given the case.
    const assign = await w.act('street-dispatcher', caseId, 'assign', { mediatorId: await mediatorId() });
    expect(assign.statusCode).toBe(409);
    expect(assign.json().error.code).toBe('accused_unit');

    // Should anyone inside the accused unit ever read the case, the applicants are withheld.
    const views = createDisputeViews(w.h.services.cipher);
    const stored = await createDisputeRepository(w.h.testDb.db).parties(caseId);
    const caseRow = await createDisputeRepository(w.h.testDb.db).findById(caseId);
    const insider = { orgPath: `${caseRow!.accusedOrgPath}9/` } as Actor;
    expect(views.party(insider, caseRow!, stored[0]!)).toMatchObject({
      name: REDACTED,
      phone: null,
      idNumber: null,
    });
    expect(views.party(insider, caseRow!, stored[1]!).name).toBe('李**');

    const snapshot = await w.h.testDb.db.one<{ code: string }>(
      "SELECT code FROM category WHERE kind = 'snapshot' AND NOT is_group AND active ORDER BY code LIMIT 1",
    );
    const notDispute = await submit(snapshot!.code);
    expect(notDispute.statusCode, notDispute.body).toBe(201);
    const refused = await refer('community-worker', notDispute.json().id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('not_a_dispute');
  });
});

describe('the tiers', () => {
  test('a case found on the grid goes up: grid → community → subdistrict → district', async () => {
    const c = await created('grid-worker-b', neighbours(grid));
    expect(c.tier).toBe(1);
    const up = await w.act('grid-worker-b', c.id, 'escalate', { reason: '网格调解未果' });
    expect(up.statusCode, up.body).toBe(200);
    // The grid no longer holds it: its answer is the new state, without actions.
    expect(up.json()).toMatchObject({ tier: 2, status: 'registered', availableActions: [] });
    expect((await w.detail('grid-worker-b', c.id)).statusCode).toBe(404);
    const atCommunity = await ok('community-worker', c.id, 'escalate', { reason: '涉及多个社区' });
    expect(atCommunity).toMatchObject({ tier: 3 });
    const atStreet = await ok('street-dispatcher', c.id, 'escalate', { reason: '需区矛调中心' });
    expect(atStreet.orgName).toMatch(/区$/);
    const timeline = (await w.detail('district-dispatcher', c.id)).json().timeline;
    expect(timeline.filter((e: { action: string }) => e.action === 'dispute.escalate')).toHaveLength(3);
  });

  test('a failed mediation closes with the advice given, and counts as failed', async () => {
    const c = await created('community-worker', { ...neighbours(community), kind: 'property' });
    await ok('community-worker', c.id, 'accept');
    await ok('community-worker', c.id, 'assign', { mediatorId: await mediatorId() });
    const adviser = await w.act('legal-adviser', c.id, 'schedule-session', {
      startsAt: '2026-10-12T14:00:00+08:00',
      place: '社区党群服务中心',
      online: false,
    });
    expect(adviser.statusCode, adviser.body).toBe(200);
    // Only the mediator signs an agreement or ends the mediation.
    expect(
      (await w.act('legal-adviser', c.id, 'fail', { reason: 'x', advice: 'litigation' })).statusCode,
    ).toBe(403);
    const failed = await ok('mediator', c.id, 'fail', { reason: '双方分歧过大', advice: 'litigation' });
    expect(failed).toMatchObject({ status: 'failed', failure: { advice: 'litigation' } });
    expect((await ok('mediator', c.id, 'close')).status).toBe('closed');
    const stats = (
      await w.h.app.inject({
        url: `/api/v1/stats/disputes?orgId=${community}`,
        headers: w.as('community-worker'),
      })
    ).json();
    expect(stats.failed).toBeGreaterThanOrEqual(1);
  });
});

describe('timers', () => {
  test('a case not accepted in a working day is overdue; an unpaid instalment reminds the mediator', async () => {
    const late = await created('community-worker', neighbours(community));
    const paying = await created('community-worker', { ...neighbours(community), kind: 'contract' });
    await ok('community-worker', paying.id, 'accept');
    await ok('community-worker', paying.id, 'assign', { mediatorId: await mediatorId() });
    await ok('mediator', paying.id, 'schedule-session', {
      startsAt: '2026-10-09T15:00:00+08:00',
      place: '社区',
      online: false,
    });
    await ok('mediator', paying.id, 'agree', {
      terms: '李大海于10月15日前赔偿王小明维修费2000元',
      payments: [{ amount: 2000, dueDate: '2026-10-15' }],
    });
    w.h.clock.advance(10 * 86_400_000);
    await w.h.services.jobs.runDue(w.h.services.jobHandlers);
    await w.relogin();
    const overdue = (await w.detail('community-worker', late.id)).json();
    expect(overdue.overdue).toBe(true);
    expect(overdue.timeline.map((e: { action: string }) => e.action)).toContain('dispute.overdue');
    const reminded = (await w.detail('mediator', paying.id)).json();
    expect(reminded.timeline.map((e: { action: string }) => e.action)).toContain('dispute.payment_overdue');
    expect(reminded.agreement.payments[0].overdue).toBe(true);
  });
});

describe('summons', () => {
  test('a unit summoned to a case that does not report in is summoned again one level up (吹哨升级)', async () => {
    await w.relogin();
    const c = await created('community-worker', { ...neighbours(community), kind: 'wage' });
    await ok('community-worker', c.id, 'accept');
    const labour = await w.orgId('人力资源局');
    const whistled = await ok('community-worker', c.id, 'whistle', {
      reason: '欠薪需劳动监察到场',
      summonOrgIds: [labour],
    });
    const level = whistled.escalationLevel;
    w.h.clock.advance(3 * 86_400_000);
    await w.h.services.jobs.runDue(w.h.services.jobHandlers);
    await w.relogin();
    const after = (await w.detail('community-worker', c.id)).json();
    expect(after.escalationLevel).toBe(level + 1);
    expect(after.notices).toHaveLength(2);
    expect(after.notices[1].reason).toContain(`原通知 ${whistled.notices[0].number}`);
    expect(after.notices[1].summons.map((x: { orgId: number }) => x.orgId)).toEqual([labour]);
    const automatic = after.timeline.filter(
      (e: { action: string; data: { automatic?: boolean } }) =>
        e.action === 'dispute.whistle' && e.data.automatic,
    );
    expect(automatic).toHaveLength(1);
  });
});

describe('bad input gets a clear error', () => {
  test('registration', async () => {
    const noRespondent = await w.register('community-worker', {
      ...neighbours(),
      parties: [parties[0], parties[0]],
    });
    expect(noRespondent.statusCode).toBe(400);
    const badPhone = await w.register('community-worker', {
      ...neighbours(),
      parties: [{ ...parties[0], phone: '12345' }, parties[1]],
    });
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.json().error.code).toBe('invalid_phone');
    const badCode = await w.register('community-worker', {
      ...neighbours(),
      parties: [parties[0], { role: 'respondent', kind: 'organisation', name: '某公司', creditCode: 'ABC' }],
    });
    expect(badCode.statusCode).toBe(400);
    const personCode = await w.register('community-worker', {
      ...neighbours(),
      parties: [parties[0], { ...parties[1], creditCode: '91440300MA5F02221B' }],
    });
    expect(personCode.statusCode).toBe(400);
    for (const reply of [noRespondent, badPhone, badCode, personCode]) {
      expect(reply.json().error).toHaveProperty('message');
    }
  });

  test('actions', async () => {
    const c = await created('community-worker', neighbours(community));
    const unknown = await w.act('community-worker', c.id, 'settle');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('unknown_action');
    const early = await w.act('community-worker', c.id, 'close');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('illegal_transition');
    const badBody = await w.act('community-worker', c.id, 'assign', { mediatorId: 'nobody' });
    expect(badBody.statusCode).toBe(400);
    const stale = await w.h.app.inject({
      method: 'POST',
      url: `/api/v1/disputes/${c.id}/actions/accept`,
      headers: { ...w.as('community-worker'), 'if-match': '"7"' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const missing = await w.detail('community-worker', '00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
  });
});
