import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

/*
 * One week of appeals in the demo district, told through the API as residents and staff live it,
 * then read back as the figures each desk sees. Street 1 (光明街道) has six appeals at one station,
 * street 2 one, and one more fell to the district for want of a place.
 */
let h: Harness;
const tokens: Record<string, string> = {};
const USERS = [
  'district-dispatcher',
  'street-dispatcher',
  'street2-dispatcher',
  'dept-handler',
  'admin',
  'security',
  'auditor',
];
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};
const ratingTokens: Record<string, string> = {};
let street2Id: number;
let manhole: { id: number; code: string; name: string };
let noise: { id: number; code: string; name: string };

const as = (user: string) => bearer(tokens[user]!);
const get = (user: string, url: string) => h.app.inject({ url, headers: as(user) });
const stats = async (user: string, query = '') => {
  const response = await get(user, `/api/v1/stats${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

async function act(user: string, key: string, action: string, body: object = {}) {
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${ids[key]}/actions/${action}`,
    headers: as(user),
    payload: body,
  });
  expect(response.statusCode, `${key} ${action}: ${response.body}`).toBe(200);
  return response.json();
}

async function submit(key: string, body: Record<string, unknown>) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: { channel: 'h5', contact: { phone: '13912345678' }, ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  ids[key] = response.json().id;
  codes[key] = response.json().trackingCode;
  ratingTokens[key] = response.json().ratingToken;
}

async function rate(key: string, score: string) {
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${codes[key]}/rating`,
    payload: { score, ratingToken: ratingTokens[key] },
  });
  expect(response.statusCode, response.body).toBe(200);
}

function category(catalogue: string, name: string) {
  const match = catalogue.match(new RegExp(`"id":(\\d+),"code":"([^"]+)","name":"(${name}[^"]*)"`));
  if (!match) throw new Error(`no category ${name}`);
  return { id: Number(match[1]), code: match[2]!, name: match[3]! };
}

/** Moving the clock ends idle sessions, as it would for staff away for days: they log in again. */
async function timePasses(to: string) {
  h.clock.set(to);
  for (const user of USERS) tokens[user] = await h.login(user);
}

beforeAll(async () => {
  h = await createHarness();
  for (const user of USERS) tokens[user] = await h.login(user);
  const catalogue = (await h.app.inject({ url: '/api/v1/public/categories' })).body;
  manhole = category(catalogue, '井盖缺失');
  noise = category(catalogue, '噪音扰民');
  const station1 = (await get('street-dispatcher', '/api/v1/orgs?level=station&limit=1')).json().items[0];
  const station2 = (await get('street2-dispatcher', '/api/v1/orgs?level=station&limit=1')).json().items[0];
  street2Id = (await get('street2-dispatcher', '/api/v1/auth/me')).json().user.orgId;
  const dept = (await get('district-dispatcher', '/api/v1/orgs?level=department&q=城市管理')).json().items[0];

  // Friday 2026-10-09, 09:00 China time: seven appeals arrive.
  const at1 = { stationCode: station1.code };
  await submit('A1', { ...at1, categoryCode: manhole.code, content: '小区门口井盖缺失，很危险' });
  await submit('A2', { ...at1, channel: 'qr', categoryCode: manhole.code, content: '路口井盖破了一个大洞' });
  await submit('A3', { ...at1, categoryCode: noise.code, content: '楼上每天半夜唱卡拉OK' });
  await submit('A4', { ...at1, content: '小区门口的井盖不见了（重复反映）' });
  await submit('A5', { ...at1, categoryCode: noise.code, content: '广场舞音响声音太大了' });
  await submit('A6', { ...at1, categoryCode: manhole.code, content: '人行道井盖松动塌陷' });
  await submit('B1', {
    stationCode: station2.code,
    channel: 'qr',
    categoryCode: manhole.code,
    content: '街道二的井盖也坏了',
  });

  // The desks answer the same morning.
  for (const key of ['A1', 'A2', 'A6']) {
    await act('street-dispatcher', key, 'accept');
    await act('street-dispatcher', key, 'dispatch', { orgId: dept.id });
  }
  await act('street-dispatcher', 'A3', 'reject', { reason: '属于邻里纠纷，请向社区调解室反映' });
  await act('street-dispatcher', 'A4', 'merge', { intoId: ids.A2 });
  await act('street2-dispatcher', 'B1', 'accept');
  await act('street2-dispatcher', 'B1', 'dispatch', { orgId: dept.id });
  // 城管 fixes A1 in time; the resident is satisfied and the case closes.
  await act('dept-handler', 'A1', 'claim');
  await act('dept-handler', 'A1', 'resolve', { summary: '已更换井盖' });
  await act('street-dispatcher', 'A1', 'verify', { passed: true, note: '现场已恢复' });
  await rate('A1', 'satisfied');
  // A6 is resolved too, but its resident is not satisfied: it goes back to the dispatcher.
  await act('dept-handler', 'A6', 'claim');
  await act('dept-handler', 'A6', 'resolve', { summary: '已加固' });
  await rate('A6', 'unsatisfied');

  // Just after midnight China time (still 9 October in UTC) an appeal with no place arrives:
  // it belongs to the district, and to 10 October.
  await timePasses('2026-10-10T00:30:00+08:00');
  await submit('C1', { content: '希望增加公交班次，方便上下班' });

  // Eleven days later: A2 is resolved late, C1 accepted late, A5 never answered.
  const a2 = (await get('district-dispatcher', `/api/v1/appeals/${ids.A2}`)).json();
  await timePasses('2026-10-20T10:00:00+08:00');
  expect(Date.parse(a2.finishDueAt)).toBeLessThan(h.clock.now().getTime());
  await act('dept-handler', 'A2', 'claim');
  await act('dept-handler', 'A2', 'resolve', { summary: '已修复' });
  await rate('A2', 'basically_satisfied');
  await act('district-dispatcher', 'C1', 'accept');
});
afterAll(() => h?.close());

describe('the street 1 dispatcher’s figures for October', () => {
  test('count each appeal of their street once, in its state now', async () => {
    const report = await stats('street-dispatcher', '?from=2026-10-01&to=2026-10-31');
    expect(report.scope).toMatchObject({ orgName: '光明街道', orgLevel: 'subdistrict' });
    expect(report.range).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      days: 31,
      timeZone: 'Asia/Shanghai',
    });
    expect(report.figures).toEqual({
      received: 6,
      accepted: 3, // A1, A2, A6 (A4 was merged before anyone accepted it)
      rejected: 1, // A3
      resolved: 2, // A1 closed, A2 resolved; A6 was reopened
      closed: 1,
      onTime: 1, // A1
      overdue: 3, // A2 resolved late, A5 never accepted, A6 back in work past its deadline
      merged: 1,
      reopened: 1,
      rated: 3,
      satisfied: 2,
    });
  });

  test('give the three rates with the counts behind them', async () => {
    const report = await stats('street-dispatcher', '?from=2026-10-01&to=2026-10-31');
    expect(report.rateBasis).toEqual({
      // A1, A2, A6 accepted and A3 rejected within a working day; A4 is a duplicate, not counted.
      response: { numerator: 4, denominator: 5 },
      resolution: { numerator: 2, denominator: 3 },
      satisfaction: { numerator: 2, denominator: 3 },
    });
    expect(report.rates).toEqual({ response: 0.8, resolution: 0.6667, satisfaction: 0.6667 });
  });
});

describe('the district dispatcher sees the whole district', () => {
  test('with breakdowns by status, channel and category', async () => {
    const report = await stats('district-dispatcher', '?from=2026-10-01&to=2026-10-31');
    expect(report.figures).toMatchObject({ received: 8, accepted: 5, resolved: 2, overdue: 4 });
    // 办结率 2 / 4: C1, accepted this morning, is inside its finish deadline and not owed yet.
    expect(report.rates).toEqual({ response: 0.7143, resolution: 0.5, satisfaction: 0.6667 });
    expect(report.byStatus).toEqual({
      submitted: 1,
      accepted: 1,
      rejected: 1,
      dispatched: 1,
      claimed: 0,
      in_progress: 0,
      resolved: 1,
      verified: 0,
      closed: 1,
      returned: 0,
      reopened: 1,
      merged: 1,
    });
    expect(report.byChannel).toEqual({
      h5: 6,
      qr: 2,
      hall: 0,
      hotline: 0,
      patrol: 0,
      snapshot: 0,
      open311: 0,
      import: 0,
    });
    expect(report.topCategories).toEqual([
      { ...manhole, count: 4 },
      { ...noise, count: 2 },
    ]);
    expect(report.uncategorized).toBe(2);
  });

  test('day by day in China dates: the appeal of 00:30 on 10 October counts for 10 October', async () => {
    const report = await stats('district-dispatcher', '?from=2026-10-08&to=2026-10-11');
    expect(report.daily).toEqual([
      { date: '2026-10-08', complete: true, received: 0, accepted: 0, resolved: 0, onTime: 0, overdue: 0 },
      { date: '2026-10-09', complete: true, received: 7, accepted: 4, resolved: 2, onTime: 1, overdue: 4 },
      { date: '2026-10-10', complete: true, received: 1, accepted: 1, resolved: 0, onTime: 0, overdue: 0 },
      { date: '2026-10-11', complete: true, received: 0, accepted: 0, resolved: 0, onTime: 0, overdue: 0 },
    ]);
    const oneDay = await stats('district-dispatcher', '?from=2026-10-10&to=2026-10-10');
    expect(oneDay.figures.received).toBe(1);
    expect(oneDay.rateBasis.response).toEqual({ numerator: 0, denominator: 1 });
  });

  test('without dates: the last 30 days up to today', async () => {
    const report = await stats('district-dispatcher');
    expect(report.range).toMatchObject({ from: '2026-09-21', to: '2026-10-20', days: 30 });
    expect(report.daily).toHaveLength(30);
    expect(report.figures.received).toBe(8);
    const earlier = await stats('district-dispatcher', '?to=2026-10-08');
    expect(earlier.range).toMatchObject({ from: '2026-09-09', to: '2026-10-08' });
    expect(earlier.figures.received).toBe(0);
    expect(earlier.rates).toEqual({ response: null, resolution: null, satisfaction: null });
  });

  test('and can narrow to street 2, which then matches the street 2 dispatcher’s own view', async () => {
    const narrowed = await stats('district-dispatcher', `?orgId=${street2Id}&from=2026-10-01&to=2026-10-31`);
    const own = await stats('street2-dispatcher', '?from=2026-10-01&to=2026-10-31');
    expect(narrowed.figures).toEqual(own.figures);
    expect(own.scope.orgId).toBe(street2Id);
    expect(own.figures).toMatchObject({ received: 1, accepted: 1, resolved: 0, overdue: 1 });
    expect(own.rates).toEqual({ response: 1, resolution: 0, satisfaction: null });
  });
});

describe('scope', () => {
  test('a street dispatcher cannot look into the other street', async () => {
    const response = await get('street-dispatcher', `/api/v1/stats?orgId=${street2Id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  test('a department sees the work assigned to it, from both streets, and nothing else', async () => {
    const report = await stats('dept-handler', '?from=2026-10-01&to=2026-10-31');
    // A1 and A2 from street 1, B1 from street 2; A6 left the department when it was reopened.
    expect(report.figures).toMatchObject({
      received: 3,
      accepted: 3,
      resolved: 2,
      onTime: 1,
      overdue: 2,
      rated: 2,
      satisfied: 2,
    });
    expect(report.topCategories).toEqual([{ ...manhole, count: 3 }]);
  });
});

describe('who may ask, and how', () => {
  test('the three admin roles see no business figures; anonymous callers must log in', async () => {
    for (const admin of ['admin', 'security', 'auditor']) {
      const response = await get(admin, '/api/v1/stats');
      expect(response.statusCode, admin).toBe(403);
      expect(response.json().error.details.permission).toBe('stats.read');
    }
    expect((await h.app.inject({ url: '/api/v1/stats' })).statusCode).toBe(401);
  });

  test.each([
    'from=2026-02-30',
    'to=2026-13-01',
    'from=2026/10/01',
    'from=yesterday',
    'from=2026-10-09&to=2026-10-08',
    'from=2025-01-01&to=2026-10-09',
    'orgId=abc',
    'period=month',
  ])('?%s is refused with 400', async (query) => {
    const response = await get('district-dispatcher', `/api/v1/stats?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  test('a full year of 366 days is allowed', async () => {
    const report = await stats('district-dispatcher', '?from=2025-10-09&to=2026-10-09');
    expect(report.range.days).toBe(366);
    expect(report.daily).toHaveLength(366);
  });
});
