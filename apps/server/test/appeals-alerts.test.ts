import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * A person in danger (issue #24 item 3): a critical appeal alerts the on-duty grid workers nearest
 * to it by their last position on patrol, nearest first; the first to answer takes it, the next is
 * told it is taken; the time from the alert to arrival is recorded.
 */
let w: AppealWorld;
const ids: Record<string, string> = {};
const T0 = Date.parse('2026-10-09T01:00:00.000Z'); // 09:00 China time

beforeAll(async () => {
  w = await createAppealWorld(['grid-worker', 'grid-worker-2', 'community-worker', 'district-dispatcher']);
  for (const user of ['grid-worker', 'grid-worker-2']) {
    ids[user] = (await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as(user) })).json().user.id;
  }
  await w.setClock(new Date(T0).toISOString());
  // Both on patrol: grid-worker about 220 m north of the pin, grid-worker-2 about 55 m.
  for (const [user, north] of [
    ['grid-worker', 0.002],
    ['grid-worker-2', 0.0005],
  ] as const) {
    const started = await post(user, '/api/v1/patrols', { kind: 'routine' });
    expect(started.statusCode, started.body).toBe(201);
    const tracked = await post(user, `/api/v1/patrols/${started.json().id}/track`, {
      points: [{ lat: w.pin.lat + north, lng: w.pin.lng, at: new Date(T0 + 60_000).toISOString() }],
    });
    expect(tracked.statusCode, tracked.body).toBe(200);
  }
  await w.setClock(new Date(T0 + 2 * 60_000).toISOString());
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

function post(user: string, url: string, payload: object = {}) {
  return w.h.app.inject({ method: 'POST', url, headers: w.as(user), payload });
}
const alertsOf = async (user: string) =>
  (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as(user) })).json().alerts as {
    appealId: string;
    rank: number;
    distanceM: number;
  }[];

describe('a critical appeal calls the nearest walkers', () => {
  let appealId: string;

  test('the nearest on-duty worker is alerted first, the next one second', async () => {
    const appeal = await w.newAppeal(); // 井盖缺失 at the pin: urgency critical
    appealId = appeal.id;
    const nearest = (await alertsOf('grid-worker-2')).find((a) => a.appealId === appealId);
    const next = (await alertsOf('grid-worker')).find((a) => a.appealId === appealId);
    expect(nearest).toMatchObject({ rank: 1 });
    expect(next).toMatchObject({ rank: 2 });
    expect(nearest!.distanceM).toBeGreaterThan(45);
    expect(nearest!.distanceM).toBeLessThan(65);
    expect(next!.distanceM).toBeGreaterThan(nearest!.distanceM);
    // Someone not on patrol is not called.
    expect(await alertsOf('community-worker')).toEqual([]);
    const detail = (await w.detail('district-dispatcher', appealId)).json();
    const alerted = detail.timeline.find((e: { action: string }) => e.action === 'appeal.alerted');
    expect(alerted.data.workers.map((x: { userId: string }) => x.userId)).toEqual([
      ids['grid-worker-2'],
      ids['grid-worker'],
    ]);
  });

  test('the first to answer takes it; the other is told it is taken and no longer called', async () => {
    await w.setClock(new Date(T0 + 3 * 60_000).toISOString());
    const taken = await post('grid-worker-2', `/api/v1/appeals/${appealId}/alert/acknowledge`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json()).toMatchObject({ takenBy: ids['grid-worker-2'], rank: 1 });
    const late = await post('grid-worker', `/api/v1/appeals/${appealId}/alert/acknowledge`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({
      code: 'alert_taken',
      details: { takenBy: ids['grid-worker-2'] },
    });
    expect((await alertsOf('grid-worker')).find((a) => a.appealId === appealId)).toBeUndefined();
    // The taker is named for it and reaches it.
    expect((await w.detail('grid-worker-2', appealId)).json().assignedUser).toMatchObject({
      id: ids['grid-worker-2'],
    });
  });

  test('arrival is recorded with the time from the alert (6 minutes here), once', async () => {
    await w.setClock(new Date(T0 + 8 * 60_000).toISOString());
    const arrived = await post('grid-worker-2', `/api/v1/appeals/${appealId}/alert/arrive`);
    expect(arrived.statusCode, arrived.body).toBe(200);
    expect(arrived.json().secondsToArrive).toBe(360);
    expect((await post('grid-worker-2', `/api/v1/appeals/${appealId}/alert/arrive`)).statusCode).toBe(409);
    expect((await post('grid-worker', `/api/v1/appeals/${appealId}/alert/arrive`)).statusCode).toBe(404);
  });

  test('a dispatcher does not answer alerts (403); someone not alerted finds none (404)', async () => {
    expect(
      (await post('district-dispatcher', `/api/v1/appeals/${appealId}/alert/acknowledge`)).statusCode,
    ).toBe(403);
    expect((await post('community-worker', `/api/v1/appeals/${appealId}/alert/acknowledge`)).statusCode).toBe(
      404,
    );
  });

  test('a position older than half an hour does not count: nobody is called', async () => {
    await w.setClock(new Date(T0 + 45 * 60_000).toISOString());
    const appeal = await w.submit({ content: '河边有人情绪激动要跳河，请立即派人到场', location: w.pin });
    const id = appeal.json().id;
    expect((await alertsOf('grid-worker')).find((a) => a.appealId === id)).toBeUndefined();
    expect((await alertsOf('grid-worker-2')).find((a) => a.appealId === id)).toBeUndefined();
  });
});
