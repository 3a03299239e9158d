import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * Grid patrols (issue #24 item 2, the API): a grid worker starts a patrol, the phone sends its
 * positions in batches (resent after being offline: nothing twice), the finish sums the walk, and
 * the day's patrols with their tracks are there for the wall — for the area's desks only.
 */
let w: AppealWorld;

beforeAll(async () => {
  w = await createAppealWorld([
    'grid-worker',
    'grid-worker-2',
    'community-worker',
    'street2-dispatcher',
    'district-dispatcher',
  ]);
  await w.setClock('2026-10-09T01:00:00.000Z'); // 09:00 China time
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const post = (user: string, url: string, payload?: unknown) =>
  w.h.app.inject({
    method: 'POST',
    url,
    headers: w.as(user),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const get = (user: string, url: string) => w.h.app.inject({ url, headers: w.as(user) });

/** A point n × ~100 m north of the pin, taken n minutes after 09:00. */
const step = (n: number, accuracyM?: number) => ({
  lat: w.pin.lat + n * 0.0009,
  lng: w.pin.lng,
  at: new Date(Date.parse('2026-10-09T01:00:00.000Z') + n * 60_000).toISOString(),
  ...(accuracyM === undefined ? {} : { accuracyM }),
});

describe('a grid worker’s patrol', () => {
  let id: string;

  test('starts on the worker’s own grid; a second open patrol is refused', async () => {
    const started = await post('grid-worker', '/api/v1/patrols', { kind: 'routine' });
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json().status).toBe('started');
    id = started.json().id;
    const again = await post('grid-worker', '/api/v1/patrols', { kind: 'adhoc' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'patrol_open', details: { id } });
  });

  test('positions arrive in batches; a resend after being offline adds only what is new', async () => {
    await w.setClock('2026-10-09T01:10:00.000Z');
    const first = await post('grid-worker', `/api/v1/patrols/${id}/track`, {
      points: [step(0), step(1), step(2)],
    });
    expect(first.json()).toEqual({ accepted: 3, duplicates: 0, points: 3 });
    const resent = await post('grid-worker', `/api/v1/patrols/${id}/track`, {
      points: [step(0), step(1), step(2), step(3), step(4, 800)],
    });
    expect(resent.json()).toEqual({ accepted: 2, duplicates: 3, points: 5 });
    const current = (await get('grid-worker', '/api/v1/patrols/current')).json().patrol;
    expect(current).toMatchObject({
      id,
      status: 'started',
      points: 5,
      lastPosition: { lat: step(4).lat, at: step(4).at },
    });
  });

  test('a position from before the start, or far ahead of the clock, is refused and nothing is kept', async () => {
    const before = await post('grid-worker', `/api/v1/patrols/${id}/track`, {
      points: [{ ...step(5), at: '2026-10-09T00:30:00.000Z' }],
    });
    expect(before.statusCode).toBe(422);
    const ahead = await post('grid-worker', `/api/v1/patrols/${id}/track`, {
      points: [{ ...step(5), at: '2026-10-09T03:00:00.000Z' }],
    });
    expect(ahead.statusCode).toBe(422);
    expect((await get('grid-worker', '/api/v1/patrols/current')).json().patrol.points).toBe(5);
  });

  test('another worker cannot add to it or finish it: 404', async () => {
    expect(
      (await post('grid-worker-2', `/api/v1/patrols/${id}/track`, { points: [step(6)] })).statusCode,
    ).toBe(404);
    expect((await post('grid-worker-2', `/api/v1/patrols/${id}/finish`)).statusCode).toBe(404);
  });

  test('the finish sums the walk (≈ 300 m; the point the phone marked imprecise is not walked)', async () => {
    const finished = await post('grid-worker', `/api/v1/patrols/${id}/finish`);
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ id, status: 'finished', points: 5 });
    expect(finished.json().distanceM).toBeGreaterThan(290);
    expect(finished.json().distanceM).toBeLessThan(310);
    expect((await post('grid-worker', `/api/v1/patrols/${id}/finish`)).statusCode).toBe(409);
    expect((await post('grid-worker', `/api/v1/patrols/${id}/track`, { points: [step(7)] })).statusCode).toBe(
      409,
    );
  });

  test('the area’s desks see the day’s patrols with their tracks; another subdistrict does not', async () => {
    const day = (await get('community-worker', '/api/v1/patrols?date=2026-10-09')).json().items;
    const mine = day.find((p: { id: string }) => p.id === id);
    expect(mine).toMatchObject({ user: { name: '网格员 刘伟' }, kind: 'routine', status: 'finished' });
    expect(mine.track).toHaveLength(5);
    expect((await get('street2-dispatcher', '/api/v1/patrols?date=2026-10-09')).json().items).toEqual([]);
    expect((await get('community-worker', '/api/v1/patrols?date=2026-10-10')).json().items).toEqual([]);
  });

  test('coverage per grid over a period counts finished patrols, metres and walkers', async () => {
    const reply = await get('community-worker', '/api/v1/patrols/coverage?from=2026-10-01&to=2026-10-09');
    expect(reply.statusCode, reply.body).toBe(200);
    const [grid] = reply.json().items;
    expect(grid).toMatchObject({ patrols: 1, walkers: 1 });
    expect(grid.distanceM).toBeGreaterThan(290);
    expect(
      (await get('community-worker', '/api/v1/patrols/coverage?from=2026-10-10&to=2026-10-31')).json().items,
    ).toEqual([]);
    expect(
      (await get('community-worker', '/api/v1/patrols/coverage?from=2026-10-09&to=2026-10-01')).statusCode,
    ).toBe(400);
    expect(
      (await get('grid-worker', '/api/v1/patrols/coverage?from=2026-10-01&to=2026-10-09')).statusCode,
    ).toBe(403);
  });

  test('a grid worker does not read the wall’s list, and a bad day is a 400', async () => {
    expect((await get('grid-worker', '/api/v1/patrols?date=2026-10-09')).statusCode).toBe(403);
    expect((await get('community-worker', '/api/v1/patrols?date=2026-13-45')).statusCode).toBe(400);
    expect((await get('community-worker', '/api/v1/patrols?date=yesterday')).statusCode).toBe(400);
  });

  test('a grid in another subdistrict cannot be walked from here: 422', async () => {
    const gongming = (await get('street2-dispatcher', '/api/v1/orgs?level=grid&limit=1')).json().items[0];
    const refused = await post('grid-worker-2', '/api/v1/patrols', { kind: 'special', gridId: gongming.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('invalid_grid');
  });

  test('a finding reported on patrol reaches the desk with the walk that led to it', async () => {
    await w.setClock('2026-10-09T02:00:00.000Z');
    const started = await post('grid-worker-2', '/api/v1/patrols', { kind: 'adhoc' });
    const patrolId = started.json().id;
    await post('grid-worker-2', `/api/v1/patrols/${patrolId}/track`, {
      points: [
        { lat: w.pin.lat, lng: w.pin.lng, at: '2026-10-09T02:00:10.000Z' },
        { lat: w.pin.lat + 0.0004, lng: w.pin.lng, at: '2026-10-09T02:00:40.000Z' },
      ],
    });
    const reported = await post('grid-worker-2', '/api/v1/appeals', {
      channel: 'patrol',
      content: '巡查发现：小区东门消防通道被电动车堵塞',
      location: { lat: w.pin.lat + 0.0004, lng: w.pin.lng },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const detail = (await w.detail('district-dispatcher', reported.json().id)).json();
    expect(detail.channel).toBe('patrol');
    expect(detail.patrol).toEqual({
      id: patrolId,
      track: [
        [w.pin.lat, w.pin.lng],
        [w.pin.lat + 0.0004, w.pin.lng],
      ],
    });
    // A finding reported by a desk not on patrol has none.
    const other = await w.newAppeal();
    expect((await w.detail('district-dispatcher', other.id)).json().patrol).toBeNull();
  });
});
