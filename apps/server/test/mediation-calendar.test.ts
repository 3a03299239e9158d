import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { createMediationWorld, type MediationWorld } from './support/disputes.ts';

/*
 * The sessions calendar (调解日程, GET /api/v1/mediation-sessions): the sessions of the cases one
 * reaches, by day in China time; a desk of another subdistrict sees none of them; a mediator may
 * ask for their own cases only; a period is at most 62 days.
 */

let w: MediationWorld;
let caseNumber: string;
const parties = [
  { role: 'applicant', kind: 'person', name: '王小明' },
  { role: 'respondent', kind: 'person', name: '李大海' },
];

const calendar = (user: string, query: string) =>
  w.h.app.inject({ url: `/api/v1/mediation-sessions?${query}`, headers: w.as(user) });
async function ok(user: string, id: string, action: string, body: unknown = {}) {
  const reply = await w.act(user, id, action, body);
  expect(reply.statusCode, `${user} ${action}: ${reply.body}`).toBe(200);
  return reply.json();
}

beforeAll(async () => {
  w = await createMediationWorld();
  const community = await w.orgId('光明社区');
  const reply = await w.register('community-worker', {
    kind: 'neighbour',
    summary: '噪音纠纷',
    parties,
    orgId: community,
  });
  expect(reply.statusCode, reply.body).toBe(201);
  const { id } = reply.json();
  caseNumber = reply.json().caseNumber;
  await ok('community-worker', id, 'accept');
  const mediators = (await w.h.app.inject({ url: '/api/v1/mediators', headers: w.as('mediator') })).json()
    .items;
  await ok('community-worker', id, 'assign', {
    mediatorId: mediators.find((m: { kind: string }) => m.kind === 'mediator').userId,
  });
  const rooms = (await w.h.app.inject({ url: '/api/v1/mediation-rooms', headers: w.as('mediator') })).json()
    .items;
  const online = rooms.find((r: { online: boolean; orgId: number }) => r.online && r.orgId === community);
  // 10月12日 00:30 China time is still 10月11日 in UTC: the calendar's days are China's.
  await ok('mediator', id, 'schedule-session', {
    startsAt: '2026-10-12T00:30:00+08:00',
    place: online.name,
    online: true,
    roomId: online.id,
  });
  await ok('mediator', id, 'schedule-session', {
    startsAt: '2026-10-20T15:00:00+08:00',
    place: '当事人家中',
    online: false,
  });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('the sessions calendar', () => {
  test('shows the area’s sessions by China day, with the case and the room', async () => {
    const day = await calendar('community-worker', 'from=2026-10-12&to=2026-10-12');
    expect(day.statusCode, day.body).toBe(200);
    expect(day.json().items).toEqual([
      expect.objectContaining({
        caseNumber,
        kind: 'neighbour',
        startsAt: new Date('2026-10-12T00:30:00+08:00').toISOString(),
        online: true,
        roomName: '在线司法确认室',
        recorded: false,
        mediatorName: expect.stringContaining('孙华'),
      }),
    ]);
    expect((await calendar('community-worker', 'from=2026-10-11&to=2026-10-11')).json().items).toEqual([]);
    const month = (await calendar('mediator', 'from=2026-10-01&to=2026-10-31&mine=true')).json().items;
    expect(month.map((s: { place: string }) => s.place)).toEqual(['在线司法确认室', '当事人家中']);
    // The mediator's own queue, as the case list's 我调解的 tab asks for it.
    const queue = await w.h.app.inject({ url: '/api/v1/disputes?mine=true', headers: w.as('mediator') });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([caseNumber]);
    // Nothing personal travels with a session.
    expect(JSON.stringify(month)).not.toContain('王小明');
  });

  test('a desk of another subdistrict sees none of them; a mediator’s own cases only with mine', async () => {
    const other = await calendar('street2-dispatcher', 'from=2026-10-01&to=2026-10-31');
    expect(other.statusCode).toBe(200);
    expect(other.json().items).toEqual([]);
    expect((await calendar('legal-adviser', 'from=2026-10-01&to=2026-10-31&mine=true')).json().items).toEqual(
      [],
    );
    // The court liaison sees only cases filed with the court: none here.
    expect((await calendar('court-liaison', 'from=2026-10-01&to=2026-10-31')).json().items).toEqual([]);
  });

  test('bad periods are 400s', async () => {
    const backwards = await calendar('mediator', 'from=2026-10-31&to=2026-10-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('validation_failed');
    expect((await calendar('mediator', 'from=2026-01-01&to=2026-12-31')).statusCode).toBe(400);
    expect((await calendar('mediator', 'from=2026-10-01')).statusCode).toBe(400);
    expect((await calendar('mediator', 'from=yesterday&to=2026-10-01')).statusCode).toBe(400);
    const anonymous = await w.h.app.inject({
      url: '/api/v1/mediation-sessions?from=2026-10-01&to=2026-10-31',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
