import {
  ACTION_NAMES,
  type ActionName,
  DISPUTE_ACTION_NAMES,
  type DisputeActionName,
} from '@doorstep/contracts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '../src/platform/auth/roles.ts';
import { createAdminAccount } from './support/accounts.ts';
import { createAppealWorld } from './support/appeals.ts';
import { bearer } from './support/harness.ts';
import { ANONYMOUS, apiOperations, DEMO_USERS, key } from './support/matrix.ts';
import { uploadPhoto } from './support/uploads.ts';

/*
 * The ID swap, on every route that takes an id: two records of each kind, one in 光明街道 and one
 * in 公明街道, asked for by every desk the gate lets through. A record outside the caller's subtree
 * (and not assigned to or summoning their unit) answers 404 — the same as an id that does not
 * exist — and one inside answers 2xx. Which desk sees which record is computed from the org paths,
 * not listed: the rule is "your subtree, plus the work sent to your unit".
 */

const w = await createAppealWorld();
const { h } = w;
afterAll(() => h.close());
const { documented } = await apiOperations(h.app);
const table = h.services.authorizer.table;

type Kind = 'org' | 'user' | 'appeal' | 'notice' | 'upload' | 'dispute' | 'visit';
type Side = '光明' | '公明';
interface Fixture {
  id: string;
  /** Org paths through which a desk reaches the record: its own unit, or the units given its work. */
  reachedFrom: string[];
  /** For the PATCH of an org: its current name, sent back unchanged. */
  name?: string;
}

/** How to ask for a record of each kind by id, harmlessly, on each id route. */
interface ScopeSpec {
  kind: Kind;
  payload?: unknown;
  action?: string;
  permission?: string;
  headers?: Record<string, string>;
  /**
   * The record's own 404 (details name its id) means out of reach; any other answer means the
   * route found it. For actions that could change the fixtures, sent with a stale If-Match so that
   * a caller in reach meets a refusal (403 role, 409 state or version) and nothing changes.
   */
  foundUnlessOwn404?: boolean;
}

/** A valid body for each action, so validation passes and the lookup decides. */
const ACTION_SAMPLES: Record<ActionName, Record<string, unknown>> = {
  accept: {},
  reject: { reason: '调换测试' },
  dispatch: { orgId: 1 },
  assign: { userId: '00000000-0000-4000-8000-000000000000' },
  claim: {},
  return: { reason: '调换测试' },
  start: {},
  note: { text: '调换测试' },
  resolve: { summary: '调换测试' },
  verify: { passed: true, note: '调换测试' },
  close: {},
  reopen: { reason: '调换测试' },
  merge: { intoId: '00000000-0000-4000-8000-000000000000' },
  recategorize: { categoryCode: 'SP-SZ-003', reason: '实为路灯问题' },
  'mark-complex': { reason: '涉及多个部门，情况复杂' },
  'request-extension': { workingDays: 1, reason: '调换测试' },
  'approve-extension': {},
  'deny-extension': {},
  whistle: { reason: '调换测试', summonOrgIds: [1] },
  'report-in': {},
  supervise: { note: '调换测试' },
  remind: {},
};

/** A valid body for each action of the case machine (mediation), so the lookup decides. */
const DISPUTE_ACTION_SAMPLES: Record<DisputeActionName, Record<string, unknown>> = {
  accept: {},
  assign: { mediatorId: '00000000-0000-4000-8000-000000000000' },
  'schedule-session': { startsAt: '2026-10-12T09:00:00+08:00', place: '调换测试', online: false },
  'record-session': { sessionId: '00000000-0000-4000-8000-000000000000', outcome: 'continue', notes: '' },
  escalate: { reason: '调换测试' },
  whistle: { reason: '调换测试', summonOrgIds: [1] },
  'report-in': {},
  agree: { terms: '调换测试协议', payments: [] },
  'confirm-agreement': { partyId: '00000000-0000-4000-8000-000000000000', code: '123456' },
  'request-confirmation': {},
  'record-ruling': { ruling: 'confirmed', rulingNumber: '调换测试' },
  'record-payment': { amount: 1, paidAt: '2026-10-09T08:00:00+08:00' },
  fail: { reason: '调换测试', advice: 'other' },
  extend: { days: 1, reason: '调换测试' },
  note: { text: '调换测试' },
  close: {},
};

const SCOPED: Record<string, ScopeSpec> = {
  ...Object.fromEntries(
    DISPUTE_ACTION_NAMES.map((name) => [
      `POST /api/v1/disputes/{id}/actions/${name}`,
      {
        kind: 'dispute',
        payload: DISPUTE_ACTION_SAMPLES[name],
        headers: { 'if-match': '"999999"' },
        foundUnlessOwn404: true,
      } satisfies ScopeSpec,
    ]),
  ),
  'GET /api/v1/disputes/{id}': { kind: 'dispute' },
  // No agreement yet: in reach that is the agreement's own 404 (its details name the case), out of reach the case's.
  'GET /api/v1/disputes/{id}/agreement.pdf': { kind: 'dispute', foundUnlessOwn404: true },
  // Neither appeal is of the dispute kind: in reach that is 422 not_a_dispute, out of reach 404.
  'POST /api/v1/appeals/{id}/actions/refer-to-mediation': {
    kind: 'appeal',
    payload: {
      kind: 'neighbour',
      parties: [
        { role: 'applicant', kind: 'person', name: '调换' },
        { role: 'respondent', kind: 'person', name: '测试' },
      ],
    },
    foundUnlessOwn404: true,
  },
  ...Object.fromEntries(
    ACTION_NAMES.map((name) => [
      `POST /api/v1/appeals/{id}/actions/${name}`,
      {
        kind: 'appeal',
        payload: ACTION_SAMPLES[name],
        headers: { 'if-match': '"999999"' },
        foundUnlessOwn404: true,
      } satisfies ScopeSpec,
    ]),
  ),
  'GET /api/v1/orgs/{id}': { kind: 'org' },
  'PATCH /api/v1/orgs/{id}': { kind: 'org' },
  'GET /api/v1/users/{id}': { kind: 'user' },
  'PATCH /api/v1/users/{id}': { kind: 'user', payload: { displayName: '调换测试' } },
  'POST /api/v1/users/{id}/unlock': { kind: 'user' },
  'GET /api/v1/users/{id}/sessions': { kind: 'user' },
  'POST /api/v1/users/{id}/reset-password': { kind: 'user', payload: {} },
  // The fixture is not waiting for approval: in scope it is 409, out of scope 404 like any other.
  'POST /api/v1/users/{id}/approve': { kind: 'user', foundUnlessOwn404: true },
  'GET /api/v1/appeals/{id}': { kind: 'appeal' },
  'GET /api/v1/appeals/{id}/suggestions': { kind: 'appeal' },
  // In reach, a caller who may not assign now meets 403; out of reach, the appeal's 404.
  'GET /api/v1/appeals/{id}/assignees': { kind: 'appeal', foundUnlessOwn404: true },
  'POST /api/v1/appeals/{id}/contact': { kind: 'appeal', payload: { reason: '调换测试：核实身份' } },
  'POST /api/v1/appeals/{id}/actions/{action}': {
    kind: 'appeal',
    action: 'note',
    payload: { text: '核实一下情况' },
  },
  'GET /api/v1/notices/{id}/print': { kind: 'notice' },
  // In reach, only the clerk who registered it prints it (403 for the other desks); out of reach, 404.
  'GET /api/v1/visits/{id}/receipt': { kind: 'visit', foundUnlessOwn404: true },
  // Public while unattached (the resident's preview); once an appeal holds it, the service asks
  // for uploads.read and the appeal's own reach.
  'GET /api/v1/uploads/{id}': { kind: 'upload', permission: 'uploads.read' },
};

/** Routes that take an id with no org scope, and why. */
const UNSCOPED: Record<string, string> = {
  'GET /api/v1/categories/{id}':
    'the catalogue of matters is one for the whole installation; no unit owns an entry',
  'PATCH /api/v1/categories/{id}': 'the catalogue is installation-wide configuration (system admin)',
  'PUT /api/v1/categories/{id}/responsibilities': 'the catalogue is installation-wide configuration',
  'GET /api/v1/track/{code}': 'the tracking code is the resident’s own key, not a staff record id',
  'POST /api/v1/appeals/{id}/alert/acknowledge':
    'only a worker the appeal alerted answers it: anyone else is 404, in the area too (appeals-alerts.test.ts)',
  'POST /api/v1/appeals/{id}/alert/arrive':
    'only the worker who took the alert records arrival: anyone else is 404 (appeals-alerts.test.ts)',
  'POST /api/v1/accountability/{id}/decision':
    'scoped to the leader’s subtree (findInScope); only leaders may decide, and the demo’s sits at the district root (accountability.test.ts)',
  'POST /api/v1/patrols/{id}/track':
    'a patrol is its walker’s alone: anyone else’s id is 404, within the area too (patrols.test.ts)',
  'POST /api/v1/patrols/{id}/finish':
    'a patrol is its walker’s alone: anyone else’s id is 404, within the area too (patrols.test.ts)',
  'GET /api/v1/track/{code}/photos/{uploadId}':
    'the tracking code is the key; a photo of another appeal under it is a 404 (appeals-result-photos.test.ts)',
  'GET /api/v1/track/disputes/{code}': 'the 查询码 is a party’s own key, not a staff record id',
  'POST /api/v1/track/disputes/{code}/confirmation':
    'the 确认码 in the body is the party’s own key; wrong ones count (mediation-party-tracking.test.ts)',
  'POST /api/v1/track/{code}/rating':
    'the 评价码 in the body is the resident’s own key (security-rating.test.ts)',
  'POST /api/v1/disputes/{id}/actions/{action}':
    'an action that does not exist answers 404 unknown_action without reading any case',
  'DELETE /api/v1/auth/sessions/{id}':
    'a session is its owner’s (or, for a security admin, its subtree’s): accounts-sessions.test.ts swaps ids',
};

const tokens: Record<string, string> = {};
const orgPathOf: Record<string, string> = {};
const rolesOf: Record<string, Role[]> = {};
const fixtures = {} as Record<Kind, Record<Side, Fixture>>;
const CALLERS = [...DEMO_USERS, 'gm-security', 'gm-sysadmin'];

async function pathOf(orgId: number): Promise<string> {
  const org = await h.services.orgs.places().byId(orgId);
  if (!org) throw new Error(`no org ${orgId}`);
  return org.path;
}

async function call(
  user: string,
  method: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return h.app.inject({
    method: method as 'GET',
    url,
    headers: { ...headers, ...(user === ANONYMOUS ? {} : bearer(tokens[user]!)) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

beforeAll(async () => {
  for (const user of DEMO_USERS) tokens[user] = await h.login(user);
  const me = async (user: string) =>
    (await call(user, 'GET', '/api/v1/auth/me')).json().user as { id: string; orgId: number };
  const guangming = await me('street-dispatcher');
  const gongming = await me('street2-dispatcher');

  // Admin desks of one subdistrict: the only way a manage route meets an out-of-subtree id.
  for (const [username, role] of [
    ['gm-security', 'security_admin'],
    ['gm-sysadmin', 'system_admin'],
  ] as const) {
    // Two-person rule: the security admin creates, the system admin approves and gets the password.
    const { password } = await createAdminAccount(h, {
      username,
      displayName: '街道管理员',
      orgId: guangming.orgId,
      roles: [role],
    });
    tokens[username] = await h.login(username, password);
  }
  for (const user of CALLERS) {
    const actor = await h.services.auth.authenticate(tokens[user]!);
    orgPathOf[user] = actor.orgPath;
    rolesOf[user] = actor.roles;
  }

  const orgFixture = async (orgId: number): Promise<Fixture> => {
    const org = (await call('admin', 'GET', `/api/v1/orgs/${orgId}`)).json();
    return { id: String(orgId), reachedFrom: [org.path ?? (await pathOf(orgId))], name: org.name };
  };
  fixtures.org = { 光明: await orgFixture(guangming.orgId), 公明: await orgFixture(gongming.orgId) };

  const staffOf = async (orgId: number, username: string): Promise<Fixture> => {
    const created = await call('security', 'POST', '/api/v1/users', {
      username,
      displayName: '调换对象',
      orgId,
      roles: ['community_staff'],
    });
    expect(created.statusCode, created.body).toBe(201);
    return { id: created.json().user.id, reachedFrom: [await pathOf(orgId)] };
  };
  fixtures.user = {
    光明: await staffOf(guangming.orgId, 'swap-guangming'),
    公明: await staffOf(gongming.orgId, 'swap-gongming'),
  };

  // One appeal per subdistrict, each with a photo and a coordination notice. The 光明 one is
  // dispatched to 城管 (dept-handler's unit: reached through the assignment); both summon 住建.
  const station = (await call('street2-dispatcher', 'GET', '/api/v1/orgs?level=station&limit=1')).json()
    .items[0];
  const photos = { 光明: await uploadPhoto(h.app), 公明: await uploadPhoto(h.app) };
  const a1 = await w.newAppeal({ attachments: [photos.光明] });
  await w.must('district-dispatcher', a1.id, 'accept', {});
  await w.must('district-dispatcher', a1.id, 'dispatch', { orgId: w.dept.urban });
  await w.must('street-dispatcher', a1.id, 'whistle', {
    reason: '需住建协同',
    summonOrgIds: [w.dept.housing],
  });
  const a2 = await w.newAppeal({
    location: undefined,
    stationCode: station.code,
    attachments: [photos.公明],
  });
  await w.must('street2-dispatcher', a2.id, 'accept', {});
  await w.must('street2-dispatcher', a2.id, 'whistle', {
    reason: '需住建协同',
    summonOrgIds: [w.dept.housing],
  });

  const appealFixture = async (id: string): Promise<Fixture> => {
    const detail = (await w.detail('district-dispatcher', id)).json();
    const reachedFrom = [await pathOf(detail.area.id), await pathOf(w.dept.housing)];
    if (detail.assigned) reachedFrom.push(await pathOf(detail.assigned.id));
    return { id, reachedFrom };
  };
  fixtures.appeal = { 光明: await appealFixture(a1.id), 公明: await appealFixture(a2.id) };
  const noticeOf = async (side: Side) => {
    const detail = (await w.detail('district-dispatcher', fixtures.appeal[side].id)).json();
    return { id: detail.notices[0].id as string, reachedFrom: fixtures.appeal[side].reachedFrom };
  };
  fixtures.notice = { 光明: await noticeOf('光明'), 公明: await noticeOf('公明') };
  // One dispute case per subdistrict: 光明社区's committee holds one, 公明街道's centre the other.
  const dispute = async (user: string, summary: string): Promise<Fixture> => {
    const created = await call(user, 'POST', '/api/v1/disputes', {
      kind: 'neighbour',
      summary,
      parties: [
        { role: 'applicant', kind: 'person', name: '调换甲', phone: '13800002222' },
        { role: 'respondent', kind: 'person', name: '调换乙' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const held = (await call('district-dispatcher', 'GET', `/api/v1/disputes/${id}`)).json();
    return { id, reachedFrom: [await pathOf(held.orgId)] };
  };
  fixtures.dispute = {
    光明: await dispute('community-worker', '调换测试：光明社区邻里纠纷'),
    公明: await dispute('street2-dispatcher', '调换测试：公明街道邻里纠纷'),
  };
  // One visit per subdistrict's hall, registered by its dispatcher's desk.
  const visit = async (user: string, content: string): Promise<Fixture> => {
    const created = await call(user, 'POST', '/api/v1/visits', {
      phone: '13800003333',
      groupSize: 1,
      appeal: { content },
    });
    expect(created.statusCode, created.body).toBe(201);
    return { id: created.json().id, reachedFrom: [orgPathOf[user]!] };
  };
  fixtures.visit = {
    光明: await visit('street-dispatcher', '调换测试：光明街道来访登记'),
    公明: await visit('street2-dispatcher', '调换测试：公明街道来访登记'),
  };
  fixtures.upload = {
    光明: { id: photos.光明, reachedFrom: fixtures.appeal.光明.reachedFrom },
    公明: { id: photos.公明, reachedFrom: fixtures.appeal.公明.reachedFrom },
  };
});

const idRoutes = documented.filter((op) => op.pathParams.length > 0);

test('every route that takes an id is checked for the ID swap, or says why it has no scope', () => {
  const missing = idRoutes
    .map((op) => key(op.method, op.path))
    .filter((name) => !SCOPED[name] && !UNSCOPED[name]);
  expect(missing).toEqual([]);
});

describe('own subtree answers, the other subdistrict’s record is 404', () => {
  for (const op of idRoutes.filter((candidate) => SCOPED[key(candidate.method, candidate.path)])) {
    const spec = SCOPED[key(op.method, op.path)]!;
    test(`${op.method} ${op.path}`, async () => {
      const permission = table[spec.permission ?? op.permission!]!;
      const want: Record<string, string> = {};
      const got: Record<string, string> = {};
      let checked = 0;
      for (const caller of CALLERS) {
        if (!rolesOf[caller]!.some((role) => permission.roles.includes(role))) continue;
        for (const side of ['光明', '公明'] as const) {
          const record = fixtures[spec.kind][side];
          // A court liaison sees only cases filed with the court, and neither fixture is.
          const courtOnly = rolesOf[caller]!.every((role) => role === 'court_liaison');
          const reaches =
            !(spec.kind === 'dispute' && courtOnly) &&
            record.reachedFrom.some((path) => path.startsWith(orgPathOf[caller]!));
          const url = op.path.replace('{id}', record.id).replace('{action}', spec.action ?? '');
          const payload = op.method === 'PATCH' && spec.kind === 'org' ? { name: record.name } : spec.payload;
          const response = await call(caller, op.method, url, payload, spec.headers);
          want[`${caller} → ${side}`] = reaches ? 'found' : 'not found';
          const own404 = response.statusCode === 404 && response.json().error.details.id === record.id;
          got[`${caller} → ${side}`] = spec.foundUnlessOwn404
            ? own404
              ? 'not found'
              : response.statusCode < 500
                ? 'found'
                : `${response.statusCode} ${response.body.slice(0, 120)}`
            : response.statusCode === 404
              ? 'not found'
              : response.statusCode < 300
                ? 'found'
                : `${response.statusCode} ${response.body.slice(0, 120)}`;
          checked++;
        }
      }
      expect(got).toEqual(want);
      // Each scoped route meets at least one refusal, so the test proves a boundary exists.
      expect(Object.values(want)).toContain('not found');
      expect(checked).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('the stories behind the table', () => {
  test('a 光明 dispatcher asking for a 公明 appeal by id gets the same 404 as for no appeal at all', async () => {
    const theirs = await call('street-dispatcher', 'GET', `/api/v1/appeals/${fixtures.appeal.公明.id}`);
    const none = await call(
      'street-dispatcher',
      'GET',
      '/api/v1/appeals/00000000-0000-4000-8000-000000000000',
    );
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual({
      error: { ...none.json().error, details: { id: fixtures.appeal.公明.id } },
    });
  });

  test('the department sees the work sent to it and nothing else of either subdistrict', async () => {
    expect((await call('dept-handler', 'GET', `/api/v1/appeals/${fixtures.appeal.光明.id}`)).statusCode).toBe(
      200,
    );
    expect((await call('dept-handler', 'GET', `/api/v1/appeals/${fixtures.appeal.公明.id}`)).statusCode).toBe(
      404,
    );
    expect((await call('dept-handler', 'GET', `/api/v1/orgs/${fixtures.org.光明.id}`)).statusCode).toBe(404);
  });

  test('a subdistrict’s security admin cannot unlock or reset the other subdistrict’s staff', async () => {
    const before = (await call('security', 'GET', `/api/v1/users/${fixtures.user.公明.id}`)).json();
    expect(
      (await call('gm-security', 'POST', `/api/v1/users/${fixtures.user.公明.id}/reset-password`, {}))
        .statusCode,
    ).toBe(404);
    const after = (await call('security', 'GET', `/api/v1/users/${fixtures.user.公明.id}`)).json();
    expect(after).toEqual(before);
  });

  test('photos: anonymous callers and the admin desks never get an attached photo', async () => {
    for (const caller of [ANONYMOUS, 'admin', 'security', 'auditor']) {
      const response = await call(caller, 'GET', `/api/v1/uploads/${fixtures.upload.光明.id}`);
      expect([caller, response.statusCode]).toEqual([caller, 404]);
    }
    expect(
      (await call('street-dispatcher', 'GET', `/api/v1/uploads/${fixtures.upload.光明.id}`)).statusCode,
    ).toBe(200);
  });

  test('a 光明 desk cannot read a 公明 appeal’s photo by its id', async () => {
    const response = await call('street-dispatcher', 'GET', `/api/v1/uploads/${fixtures.upload.公明.id}`);
    expect(response.statusCode).toBe(404);
  });
});
