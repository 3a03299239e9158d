import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { APPEAL_STATUSES } from '../src/modules/appeals/appeals.types.ts';
import { type ActionName, transitions } from '../src/modules/appeals/index.ts';
import {
  type AppealWorld,
  type Created,
  createAppealWorld,
  ROLE_OF,
  STAFF,
  WORLD_TIMEOUT_MS,
} from './support/appeals.ts';

/**
 * The transition table (appeals.transitions.ts) read as a promise to users: whatever it does not
 * allow — the wrong state, the wrong role, the wrong subdistrict — is refused with a clear code,
 * and the refusal is generated from the table itself so a new action cannot slip through.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld([...STAFF, 'admin', 'security', 'auditor']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const ACTIONS = Object.keys(transitions) as ActionName[];

/** A body each action accepts, so a refusal is about the rule under test and never the body. */
function validBody(action: ActionName, mergeTarget: string): Record<string, unknown> {
  const bodies: Record<ActionName, Record<string, unknown>> = {
    accept: {},
    reject: { reason: '不属于受理范围' },
    dispatch: { orgId: w.dept.urban },
    assign: { userId: '00000000-0000-4000-8000-000000000000' },
    claim: {},
    return: { reason: '不属于本部门职责' },
    start: {},
    note: { text: '已电话联系' },
    resolve: { summary: '已处理完毕' },
    verify: { passed: true, note: '现场复核' },
    close: {},
    reopen: { reason: '居民再次反映' },
    merge: { intoId: mergeTarget },
    recategorize: { categoryCode: 'SP-SZ-003', reason: '实为路灯问题' },
    'mark-complex': { reason: '涉及多个部门，情况复杂' },
    'request-extension': { workingDays: 2, reason: '需要协调施工单位' },
    'approve-extension': {},
    'deny-extension': {},
    whistle: { reason: '需要多部门协同', summonOrgIds: [w.dept.housing] },
    'report-in': {},
    supervise: { note: '请加快办理' },
    remind: {},
  };
  return bodies[action];
}

/** The first of these users whose role the action allows; each of them sees a 光明 appeal. */
function userAllowed(action: ActionName): string {
  const roles = transitions[action].roles as readonly string[];
  const user = (['district-dispatcher', 'community-worker', 'leader'] as const).find((u) =>
    roles.includes(ROLE_OF[u]),
  );
  if (!user) throw new Error(`no test user may ${action}`);
  return user;
}

describe('an action the appeal’s state does not allow is refused with 409 illegal_transition', () => {
  const byState = new Map<string, Created>();
  let mergeTarget: Created;

  beforeAll(async () => {
    mergeTarget = await w.newAppeal();
    for (const state of APPEAL_STATUSES) byState.set(state, await w.driveTo(state));
  }, WORLD_TIMEOUT_MS);

  test('the demo appeals really are in every state of the lifecycle', async () => {
    for (const [state, appeal] of byState) {
      const detail = await w.detail('district-dispatcher', appeal.id);
      expect(detail.json().status, state).toBe(state);
    }
  });

  test('for every action, every state outside its “from” list', async () => {
    const refusals: string[] = [];
    let checked = 0;
    for (const action of ACTIONS) {
      const from = transitions[action].from as readonly string[];
      for (const state of APPEAL_STATUSES.filter((s) => !from.includes(s))) {
        const appeal = byState.get(state)!;
        const user = userAllowed(action);
        const response = await w.act(user, appeal.id, action, validBody(action, mergeTarget.id));
        checked++;
        const error = response.json().error;
        if (response.statusCode !== 409 || error?.code !== 'illegal_transition') {
          refusals.push(`${user} ${action} on ${state}: ${response.statusCode} ${error?.code}`);
        } else {
          expect(error.details).toMatchObject({ action, status: state });
        }
      }
    }
    expect(refusals).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  test('a refused action changes nothing', async () => {
    const closed = byState.get('closed')!;
    const before = (await w.detail('district-dispatcher', closed.id)).json();
    expect(
      (await w.act('district-dispatcher', closed.id, 'dispatch', { orgId: w.dept.urban })).statusCode,
    ).toBe(409);
    const after = (await w.detail('district-dispatcher', closed.id)).json();
    expect(after.version).toBe(before.version);
    expect(after.timeline).toHaveLength(before.timeline.length);
  });
});

describe('requests the service cannot understand', () => {
  let appeal: Created;
  beforeAll(async () => {
    appeal = await w.driveTo('accepted');
  });

  test('an action that does not exist is 404 unknown_action, listing the real ones', async () => {
    const response = await w.act('district-dispatcher', appeal.id, 'approve');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('unknown_action');
    expect(response.json().error.details.actions).toEqual(ACTIONS);
  });

  test('every action refuses a field it does not know', async () => {
    for (const action of ACTIONS) {
      const response = await w.act('district-dispatcher', appeal.id, action, {
        ...validBody(action, appeal.id),
        colour: 'red',
      });
      expect([action, response.statusCode]).toEqual([action, 400]);
      expect(response.json().error.code).toBe('validation_failed');
    }
  });

  test.each([
    ['reject', {}, 'no reason'],
    ['dispatch', {}, 'no orgId'],
    ['dispatch', { orgId: '城管' }, 'an orgId that is not a number'],
    ['return', { reason: '' }, 'an empty reason'],
    ['note', {}, 'no text'],
    ['resolve', { summary: '好了', attachments: ['photo.jpg'] }, 'an attachment that is not an upload id'],
    ['verify', { note: '看过了' }, 'no passed/failed'],
    ['merge', { intoId: 'the-other-one' }, 'an intoId that is not an id'],
    ['request-extension', { workingDays: 0, reason: '忙' }, 'zero working days'],
    ['request-extension', { workingDays: 31, reason: '忙' }, 'more than 30 working days'],
    ['whistle', { reason: '协调' }, 'no summonOrgIds'],
    ['whistle', { reason: '协调', summonOrgIds: [] }, 'nobody summoned'],
    ['whistle', { reason: '协调', summonOrgIds: [5, 5] }, 'the same unit summoned twice'],
    ['supervise', {}, 'no note'],
  ])('%s with %j (%s) is 400', async (action, body, _why) => {
    const before = (await w.detail('district-dispatcher', appeal.id)).json().version;
    const response = await w.act('district-dispatcher', appeal.id, action, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect((await w.detail('district-dispatcher', appeal.id)).json().version).toBe(before);
  });

  test('a unit that does not exist cannot be given the work (422)', async () => {
    const response = await w.act('district-dispatcher', appeal.id, 'dispatch', { orgId: 2_000_000_000 });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('invalid_assignee');
  });
});

describe('every role is refused what the table does not give it (403 action_not_allowed)', () => {
  let dispatched: Created;
  let other: Created;
  beforeAll(async () => {
    // Dispatched to 城管 and inside 光明社区: every staff user below can see it, so a refusal is
    // about their role, not about whether the appeal is theirs to see.
    dispatched = await w.driveTo('dispatched');
    other = await w.newAppeal();
  });

  const seers = STAFF.filter((u) => u !== 'street2-dispatcher' && u !== 'station-worker');

  test('each of them can read the appeal', async () => {
    for (const user of seers)
      expect([user, (await w.detail(user, dispatched.id)).statusCode]).toEqual([user, 200]);
  });

  test('for every action, every user whose role it does not list', async () => {
    const wrong: string[] = [];
    let checked = 0;
    const before = (await w.detail('district-dispatcher', dispatched.id)).json().version;
    for (const action of ACTIONS) {
      const roles = transitions[action].roles as readonly string[];
      for (const user of seers.filter((u) => !roles.includes(ROLE_OF[u]))) {
        const response = await w.act(user, dispatched.id, action, validBody(action, other.id));
        checked++;
        const code = response.json().error?.code;
        if (response.statusCode !== 403 || code !== 'action_not_allowed')
          wrong.push(`${user} ${action}: ${response.statusCode} ${code}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    expect((await w.detail('district-dispatcher', dispatched.id)).json().version).toBe(before);
  });

  test.each([
    ['grid-worker', 'dispatch'],
    ['dept-handler', 'accept'],
    ['mediator', 'close'],
    ['leader', 'claim'],
    ['community-worker', 'approve-extension'],
    ['dept-handler', 'verify'],
  ])('%s may not %s', async (user, action) => {
    const response = await w.act(user, dispatched.id, action, validBody(action as ActionName, other.id));
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'action_not_allowed', details: { action } });
  });

  test('staff of the area who are not the assigned unit cannot claim or resolve its work', async () => {
    for (const user of ['mediator', 'community-worker', 'grid-worker']) {
      const claim = await w.act(user, dispatched.id, 'claim');
      expect([user, claim.statusCode, claim.json().error.code]).toEqual([user, 403, 'action_not_allowed']);
    }
  });

  test('the detail offers each user exactly the buttons they may press', async () => {
    const handler = (await w.detail('dept-handler', dispatched.id)).json();
    expect(handler.availableActions).toEqual(expect.arrayContaining(['claim', 'return']));
    expect(handler.availableActions).not.toContain('dispatch');
    const grid = (await w.detail('grid-worker', dispatched.id)).json();
    expect(grid.availableActions).not.toContain('claim');
  });

  test('admin, security and auditor (三权分立) see no appeals and take no actions', async () => {
    for (const user of ['admin', 'security', 'auditor']) {
      for (const response of [
        await w.h.app.inject({ url: '/api/v1/appeals', headers: w.as(user) }),
        await w.detail(user, dispatched.id),
        await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as(user) }),
        await w.act(user, dispatched.id, 'note', { text: '看看' }),
      ]) {
        expect([user, response.statusCode]).toEqual([user, 403]);
      }
    }
  });

  test('without a login, every staff route answers 401 whatever is sent', async () => {
    const id = dispatched.id;
    for (const [method, url, payload] of [
      ['GET', '/api/v1/appeals'],
      ['GET', `/api/v1/appeals/${id}`],
      ['POST', `/api/v1/appeals/${id}/contact`, { reason: '查看联系方式' }],
      ['GET', '/api/v1/inbox'],
      ['POST', `/api/v1/appeals/${id}/actions/accept`, {}],
      ['POST', `/api/v1/appeals/${id}/actions/dispatch`, { orgId: 'nonsense' }],
      ['POST', '/api/v1/appeals/not-an-id/actions/nothing', {}],
    ] as const) {
      const response = await w.h.app.inject({ method, url, payload });
      expect([url, response.statusCode]).toEqual([url, 401]);
    }
  });

  test('staff channels need staff: a resident cannot file as the hotline, a grid worker cannot take calls', async () => {
    expect((await w.submit({ channel: 'hotline' })).statusCode).toBe(401);
    const grid = await w.submit({ channel: 'hotline' }, w.as('grid-worker'));
    expect(grid.statusCode).toBe(403);
    expect((await w.submit({ channel: 'patrol' }, w.as('grid-worker'))).statusCode).toBe(201);
  });
});

describe('a unit that returns its work (退单)', () => {
  test('is answered with the appeal’s new state, then no longer sees it', async () => {
    const appeal = await w.driveTo('dispatched');
    const returned = await w.act('dept-handler', appeal.id, 'return', { reason: '属于住建职责' });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({
      id: appeal.id,
      status: 'returned',
      assigned: null,
      availableActions: [],
    });
    expect((await w.detail('dept-handler', appeal.id)).statusCode).toBe(404);
    const back = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(back).toMatchObject({ status: 'returned', returnCount: 1 });
    expect(back.availableActions).toContain('dispatch');
  });
});

describe('a user of 公明街道 and an appeal of 光明街道 (ID swap)', () => {
  let appeal: Created;
  beforeAll(async () => {
    appeal = await w.driveTo('accepted');
  });

  test('reading it by id is 404, exactly as for an id that does not exist', async () => {
    const response = await w.detail('street2-dispatcher', appeal.id);
    expect(response.statusCode).toBe(404);
    const missing = await w.detail('street2-dispatcher', '00000000-0000-4000-8000-000000000000');
    expect(response.json().error.code).toBe(missing.json().error.code);
    const reveal = await w.reveal('street2-dispatcher', appeal.id, '核实身份');
    expect(reveal.statusCode).toBe(404);
    expect((await w.detail('street-dispatcher', appeal.id)).statusCode).toBe(200);
  });

  test('every action on it is 404 and changes nothing', async () => {
    const before = (await w.detail('district-dispatcher', appeal.id)).json().version;
    for (const action of ACTIONS) {
      const response = await w.act('street2-dispatcher', appeal.id, action, validBody(action, appeal.id));
      expect([action, response.statusCode]).toEqual([action, 404]);
    }
    expect((await w.detail('district-dispatcher', appeal.id)).json().version).toBe(before);
  });

  test('it is in none of their lists, even asked for by its 光明 area or tracking code', async () => {
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    const street1 = (
      await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('street-dispatcher') })
    ).json().user.orgId;
    for (const query of ['', `?orgId=${street1}`, `?q=${detail.trackingCode}`, '?status=accepted']) {
      const list = await w.h.app.inject({
        url: `/api/v1/appeals${query}`,
        headers: w.as('street2-dispatcher'),
      });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(appeal.id);
    }
    const inbox = await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('street2-dispatcher') });
    expect(inbox.body).not.toContain(appeal.id);
    const own = await w.h.app.inject({
      url: `/api/v1/appeals?q=${detail.trackingCode}`,
      headers: w.as('street-dispatcher'),
    });
    expect(own.json().items.map((a: { id: string }) => a.id)).toEqual([appeal.id]);
  });

  test('they cannot merge one of their appeals into it either', async () => {
    const station = (
      await w.h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: w.as('street2-dispatcher') })
    ).json().items[0];
    const theirs = await w.newAppeal({ location: undefined, stationCode: station.code });
    expect((await w.detail('street2-dispatcher', theirs.id)).statusCode).toBe(200);
    const merge = await w.act('street2-dispatcher', theirs.id, 'merge', { intoId: appeal.id });
    expect(merge.statusCode).toBe(404);
    expect((await w.detail('street2-dispatcher', theirs.id)).json().status).toBe('submitted');
  });
});
