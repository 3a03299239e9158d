import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
let categoryCode: string;
let departmentIds: number[];

beforeAll(async () => {
  h = await createHarness();
  h.clock.set('2026-09-30T15:55:00+08:00');
  const { items } = await h.services.catalog.list({ leaf: true, kind: 'patrol' });
  const normal = items.find((c) => c.finishDays === 3 && c.acceptDays === 1);
  categoryCode = normal!.code;
  const depts = (
    await h.app.inject({
      url: '/api/v1/orgs?level=department&limit=50',
      headers: bearer(await token('district-dispatcher')),
    })
  ).json();
  departmentIds = depts.items
    .filter((d: { code: string }) => ['GM-CGJ', 'GM-ZJJ'].includes(d.code))
    .map((d: { id: number }) => d.id);
});
afterAll(() => h?.close());

async function newAppeal(stationCode?: string) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: {
      channel: 'h5',
      categoryCode,
      content: '小区门口路面塌陷，存在安全隐患',
      ...(stationCode ? { stationCode } : {}),
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}

/** The clock jumps days ahead, so sessions idle out: log in again when the last login is stale. */
const sessions = new Map<string, { token: string; at: number }>();
async function token(user: string) {
  const now = h.clock.now().getTime();
  const known = sessions.get(user);
  if (known && now - known.at < 5 * 60_000 && now >= known.at) return known.token;
  const fresh = await h.login(user);
  sessions.set(user, { token: fresh, at: now });
  return fresh;
}
const act = async (user: string, id: string, action: string, body: object = {}) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${id}/actions/${action}`,
    headers: bearer(await token(user)),
    payload: body,
  });
const detail = async (id: string) =>
  (
    await h.app.inject({ url: `/api/v1/appeals/${id}`, headers: bearer(await token('district-dispatcher')) })
  ).json();
const runTimers = () => h.services.jobs.runDue(h.services.jobHandlers);

describe('working-day deadlines run by background jobs', () => {
  test('accepted the day before National Day, due on the 调休 Saturday, overdue and supervised one minute after', async () => {
    const id = await newAppeal();
    h.clock.set('2026-09-30T16:00:00+08:00');
    expect((await act('district-dispatcher', id, 'accept')).statusCode).toBe(200);
    const accepted = await detail(id);
    // 10-01..10-07 are off; 10-08 and 10-09 are working days; 10-10 (Saturday) is a make-up working day.
    expect(accepted.finishDueAt).toBe(new Date('2026-10-10T16:00:00+08:00').toISOString());

    h.clock.set('2026-10-07T12:00:00+08:00');
    await runTimers();
    expect((await detail(id)).overdue).toBe(false);

    h.clock.set('2026-10-10T15:59:00+08:00');
    await runTimers();
    const warned = await detail(id);
    expect(warned.overdue).toBe(false);
    expect(warned.timeline.map((e: { action: string }) => e.action)).toContain('appeal.due_soon');

    h.clock.set('2026-10-10T16:01:00+08:00');
    await runTimers();
    const late = await detail(id);
    expect(late).toMatchObject({ overdue: true, supervised: true });
    expect(late.timeline.filter((e: { action: string }) => e.action === 'appeal.overdue')).toHaveLength(1);
    await runTimers();
    expect(
      (await detail(id)).timeline.filter((e: { action: string }) => e.action === 'appeal.overdue'),
    ).toHaveLength(1);
  });

  test('an approved extension moves the overdue check with the deadline', async () => {
    h.clock.set('2026-10-12T09:30:00+08:00');
    const id = await newAppeal();
    await act('district-dispatcher', id, 'accept');
    const due = new Date((await detail(id)).finishDueAt);
    await act('district-dispatcher', id, 'dispatch', { orgId: departmentIds[0] });
    await act('dept-handler', id, 'claim');
    expect(
      (await act('dept-handler', id, 'request-extension', { workingDays: 2, reason: '需协调施工单位' }))
        .statusCode,
    ).toBe(200);
    expect((await act('district-dispatcher', id, 'approve-extension')).statusCode).toBe(200);
    const extended = await detail(id);
    expect(new Date(extended.finishDueAt).getTime()).toBeGreaterThan(due.getTime());
    h.clock.set(new Date(due.getTime() + 60_000));
    await runTimers();
    expect((await detail(id)).overdue).toBe(false);
    h.clock.set(new Date(new Date(extended.finishDueAt).getTime() + 60_000));
    await runTimers();
    expect((await detail(id)).overdue).toBe(true);
  });

  test('an appeal nobody accepts within a working day is marked overdue', async () => {
    h.clock.set('2026-10-16T17:00:00+08:00'); // Friday
    const id = await newAppeal();
    h.clock.set('2026-10-19T16:00:00+08:00'); // Monday, before the deadline
    await runTimers();
    expect((await detail(id)).overdue).toBe(false);
    h.clock.set('2026-10-19T17:01:00+08:00');
    await runTimers();
    expect((await detail(id)).overdue).toBe(true);
  });
});

describe('whistle and report-in (吹哨报到)', () => {
  test('summoned units that do not report in within a working day are escalated automatically with a new notice', async () => {
    h.clock.set('2026-10-20T10:00:00+08:00');
    const me = (
      await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(await token('community-worker')) })
    ).json().user;
    const station = (
      await h.app.inject({
        url: `/api/v1/orgs?parentId=${me.orgId}&level=station&limit=1`,
        headers: bearer(await token('community-worker')),
      })
    ).json().items[0];
    const id = await newAppeal(station.code);
    expect((await act('community-worker', id, 'accept')).statusCode).toBe(200);
    const whistled = await act('community-worker', id, 'whistle', {
      reason: '占道施工长期未处理，需多部门联合处置',
      summonOrgIds: departmentIds,
    });
    expect(whistled.statusCode).toBe(200);
    const first = whistled.json();
    expect(first.escalationLevel).toBe(1);
    expect(first.notices[0].number).toMatch(/^光明-协调-2026-\d{6}$/);

    const printed = await h.app.inject({
      url: `/api/v1/notices/${first.notices[0].id}/print`,
      headers: bearer(await token('dept-handler')),
    });
    expect(printed.statusCode).toBe(200);
    expect(printed.headers['content-type']).toContain('text/html');
    expect(printed.body).toContain(first.notices[0].number);
    expect(printed.body).toContain('信访事项协调处理通知');
    const outsider = await h.app.inject({
      url: `/api/v1/notices/${first.notices[0].id}/print`,
      headers: bearer(await token('street2-dispatcher')),
    });
    expect(outsider.statusCode).toBe(404);

    // 城管 reports in; 住建 stays silent.
    const inbox = (
      await h.app.inject({ url: '/api/v1/inbox', headers: bearer(await token('dept-handler')) })
    ).json();
    expect(inbox.summons.map((s: { subjectId: string }) => s.subjectId)).toContain(id);
    expect((await act('dept-handler', id, 'report-in', { note: '已到场' })).statusCode).toBe(200);

    h.clock.set('2026-10-21T10:01:00+08:00');
    await runTimers();
    const escalated = await detail(id);
    expect(escalated.escalationLevel).toBe(2);
    expect(escalated.notices).toHaveLength(2);
    const second = escalated.notices[1];
    const seq = (n: string) => Number(n.slice(-6));
    expect(seq(second.number)).toBe(seq(first.notices[0].number) + 1);
    expect(second.reason).toContain('自动升级');
    expect(second.summons.map((s: { orgId: number }) => s.orgId)).toEqual([
      departmentIds.find(
        (d) =>
          d !== escalated.notices[0].summons.find((s: { reportedAt: string | null }) => s.reportedAt)?.orgId,
      ),
    ]);
    const check = (
      await h.app.inject({ url: '/api/v1/audit/verify', headers: bearer(await h.login('auditor')) })
    ).json();
    expect(check.status).toBe('ok');
  });
});
