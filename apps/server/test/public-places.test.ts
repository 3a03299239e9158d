import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';

/*
 * The resident map without a tile server (issue #23 item 6): a place found by name (community,
 * station, grid, or a station's address) to move the pin to, and the grids and communities around
 * a point with their outlines to draw. Public: names and shapes of administrative areas only.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const get = (url: string) => h.app.inject({ url });

describe('GET /api/v1/public/places', () => {
  test('finds a community by part of its name, with a point to go to, exact names first', async () => {
    const community = await h.testDb.db.one<{ name: string }>(
      "SELECT name FROM org_unit WHERE level = 'community' ORDER BY code LIMIT 1",
    );
    const part = community!.name.slice(0, 2);
    const response = await get(`/api/v1/public/places?q=${encodeURIComponent(part)}`);
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(10);
    for (const item of items) {
      expect(item.name.includes(part) || item.level === 'station').toBe(true);
      expect(item.location.lat).toBeGreaterThan(22);
      expect(item.location.lng).toBeGreaterThan(113);
    }
    const exact = await get(`/api/v1/public/places?q=${encodeURIComponent(community!.name)}`);
    expect(exact.json().items[0]).toMatchObject({ name: community!.name, level: 'community' });
  });

  test('a name nobody has finds nothing; an empty or overlong query is a 400', async () => {
    expect((await get(`/api/v1/public/places?q=${encodeURIComponent('不存在的地名甲乙丙')}`)).json()).toEqual(
      {
        items: [],
      },
    );
    expect((await get('/api/v1/public/places?q=')).statusCode).toBe(400);
    expect((await get(`/api/v1/public/places?q=${'长'.repeat(41)}`)).statusCode).toBe(400);
    expect((await get('/api/v1/public/places')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/public/areas', () => {
  test('gives the grids and communities around a point with their outlines; none far away', async () => {
    const grid = await h.testDb.db.one<{ lat: number; lng: number; name: string }>(
      `SELECT (min_lat + max_lat) / 2 AS lat, (min_lng + max_lng) / 2 AS lng, name
         FROM org_unit WHERE level = 'grid' AND boundary IS NOT NULL ORDER BY code LIMIT 1`,
    );
    const { items } = (await get(`/api/v1/public/areas?lat=${grid!.lat}&lng=${grid!.lng}&radius=300`)).json();
    expect(items.map((a: { name: string }) => a.name)).toContain(grid!.name);
    for (const area of items) {
      expect(['grid', 'community']).toContain(area.level);
      expect(['Polygon', 'MultiPolygon']).toContain(area.boundary.type);
    }
    expect((await get('/api/v1/public/areas?lat=39.9&lng=116.4')).json().items).toEqual([]);
    expect((await get('/api/v1/public/areas?lat=22.7&lng=113.9&radius=99999')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/public/map', () => {
  test('says there is no tile server unless one is configured, and which one when it is', async () => {
    expect((await get('/api/v1/public/map')).json()).toEqual({ tiles: null });
    const tiles = {
      url: 'https://t.example.cn/{z}/{x}/{y}.png',
      crs: 'WGS84' as const,
      attribution: '© 示例',
    };
    const configured = await createHarness({ app: { tiles } });
    try {
      expect((await configured.app.inject({ url: '/api/v1/public/map' })).json()).toEqual({ tiles });
    } finally {
      await configured.close();
    }
  });
});
