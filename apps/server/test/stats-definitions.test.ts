import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

/*
 * Truthful figures (issue #23 item 2), one test per definition of the stats module's README: a
 * fresh district shows "—" (null) for every rate; an appeal still inside its deadline does not
 * count against 及时响应率 or 办结率; 今日受理 is what was accepted today, whatever day it came in;
 * today's point of the trend is marked incomplete. One appeal is followed from Friday 9 October
 * 2026 09:00 China time (the harness clock).
 */
let h: Harness;
let token: string;
let handlerToken: string;
let id: string;
let dept: number;

const stats = async (query = '', who = () => token) => {
  const response = await h.app.inject({ url: `/api/v1/stats${query}`, headers: bearer(who()) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const act = async (action: string, body: object = {}, who = () => token) => {
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${id}/actions/${action}`,
    headers: bearer(who()),
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
};
const timePasses = async (to: string) => {
  h.clock.set(to);
  token = await h.login('district-dispatcher');
  handlerToken = await h.login('dept-handler');
};

beforeAll(async () => {
  h = await createHarness();
  token = await h.login('district-dispatcher');
  handlerToken = await h.login('dept-handler');
  dept = (
    await h.app.inject({
      url: '/api/v1/orgs?level=department&q=城市管理',
      headers: bearer(token),
    })
  ).json().items[0].id;
});
afterAll(() => h?.close());

describe('each figure as the stats README defines it', () => {
  test('a district with nothing to count: every rate is null (shown as —), never 0', async () => {
    const report = await stats();
    expect(report.rates).toEqual({ response: null, resolution: null, satisfaction: null });
    expect(report.rateBasis.response).toEqual({ numerator: 0, denominator: 0 });
    expect(report.activity).toEqual({ accepted: 0, dispatched: 0, resolved: 0 });
  });

  test('及时响应率: an appeal waiting inside its accept deadline is not late yet, so not counted', async () => {
    const submitted = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { channel: 'h5', content: '希望增加公交班次，方便上下班', contact: { phone: '13912345678' } },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    id = submitted.json().id;
    const report = await stats();
    expect(report.figures.received).toBe(1);
    expect(report.rateBasis.response).toEqual({ numerator: 0, denominator: 0 });
    expect(report.rates.response).toBeNull();
  });

  test('today’s point of the trend is marked incomplete; the days before it are complete', async () => {
    const report = await stats('?from=2026-10-08&to=2026-10-09');
    expect(report.daily.map((d: { date: string; complete: boolean }) => [d.date, d.complete])).toEqual([
      ['2026-10-08', true],
      ['2026-10-09', false],
    ]);
  });

  test('今日受理 counts what was accepted today, though it came in yesterday; 今日收到 is today’s arrivals', async () => {
    // Monday 12 October: the weekend's appeal is accepted and dispatched, past its accept deadline.
    await timePasses('2026-10-12T09:30:00+08:00');
    await act('accept');
    await act('dispatch', { orgId: dept });
    const today = await stats('?from=2026-10-12&to=2026-10-12');
    expect(today.figures.received).toBe(0);
    expect(today.activity).toEqual({ accepted: 1, dispatched: 1, resolved: 0 });
    const friday = await stats('?from=2026-10-09&to=2026-10-09');
    expect(friday.activity).toEqual({ accepted: 0, dispatched: 0, resolved: 0 });
    // Accepted after its deadline: a miss now that it is counted.
    expect(friday.rateBasis.response).toEqual({ numerator: 0, denominator: 1 });
  });

  test('办结率: work inside its finish deadline is not owed yet — the handler sees —, not 0 %', async () => {
    const report = await stats('', () => handlerToken);
    expect(report.figures.accepted).toBe(1);
    expect(report.rateBasis.resolution).toEqual({ numerator: 0, denominator: 0 });
    expect(report.rates.resolution).toBeNull();
  });

  test('办结率: past the finish deadline unresolved it counts as a miss; resolved it counts as done', async () => {
    await timePasses('2026-10-30T10:00:00+08:00');
    expect((await stats('?from=2026-10-01&to=2026-10-30', () => handlerToken)).rateBasis.resolution).toEqual({
      numerator: 0,
      denominator: 1,
    });
    await act('claim', {}, () => handlerToken);
    await act('resolve', { summary: '已增加早晚高峰班次' }, () => handlerToken);
    const report = await stats('?from=2026-10-01&to=2026-10-30', () => handlerToken);
    expect(report.rateBasis.resolution).toEqual({ numerator: 1, denominator: 1 });
    expect(report.activity.resolved).toBe(1);
    expect((await stats('?from=2026-10-29&to=2026-10-29')).activity.resolved).toBe(0);
  });
});
