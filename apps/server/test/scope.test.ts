import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
const tokens: Record<string, string> = {};
let street2Id: number;
let street2UserId: string;

beforeAll(async () => {
  h = await createHarness();
  for (const username of [
    'district-dispatcher',
    'street-dispatcher',
    'street2-dispatcher',
    'community-worker',
    'dept-handler',
  ]) {
    tokens[username] = await h.login(username);
  }
  const tree = (
    await h.app.inject({ url: '/api/v1/orgs/tree', headers: bearer(tokens['district-dispatcher']!) })
  ).json();
  street2Id = tree.root.children.filter((c: { level: string }) => c.level === 'subdistrict')[1].id;
  const users = (
    await h.app.inject({ url: '/api/v1/users?limit=200', headers: bearer(tokens['district-dispatcher']!) })
  ).json();
  street2UserId = users.items.find((u: { username: string }) => u.username === 'street2-dispatcher').id;
});
afterAll(() => h?.close());

const get = (username: string, url: string) => h.app.inject({ url, headers: bearer(tokens[username]!) });

describe('the demo district', () => {
  test('the district dispatcher sees 1 district, 6 subdistricts, 31 communities, 208 stations, 600+ grids, 12+ departments', async () => {
    const response = await get('district-dispatcher', '/api/v1/orgs/tree');
    expect(response.statusCode).toBe(200);
    const { root, counts } = response.json();
    expect(root).toMatchObject({ name: '光明区', level: 'district', code: '440311000000' });
    expect(counts).toMatchObject({ district: 1, subdistrict: 6, community: 31, station: 208 });
    expect(counts.grid).toBeGreaterThanOrEqual(600);
    expect(counts.department).toBeGreaterThanOrEqual(12);
    expect(counts.center).toBe(38);
    const subdistricts = root.children.filter((c: { level: string }) => c.level === 'subdistrict');
    expect(subdistricts.map((s: { name: string }) => s.name)).toEqual([
      '光明街道',
      '公明街道',
      '新湖街道',
      '凤凰街道',
      '玉塘街道',
      '马田街道',
    ]);
  });

  test('a station shows its point, its 500 m radius and its place in the tree', async () => {
    const list = (await get('district-dispatcher', '/api/v1/orgs?level=station&limit=1')).json();
    const station = (await get('district-dispatcher', `/api/v1/orgs/${list.items[0].id}`)).json();
    expect(station.serviceRadiusM).toBe(500);
    expect(station.location.lat).toBeGreaterThan(22.68);
    expect(station.location.lat).toBeLessThan(22.85);
    expect(station.ancestors.map((a: { level: string }) => a.level)).toEqual([
      'district',
      'subdistrict',
      'community',
    ]);
    expect(station.code).toMatch(/^\d{12}9\d{2}$/);
  });

  test('a grid has a WGS-84 polygon and a 15-digit code under its community', async () => {
    const list = (await get('district-dispatcher', '/api/v1/orgs?level=grid&limit=1')).json();
    const grid = (await get('district-dispatcher', `/api/v1/orgs/${list.items[0].id}`)).json();
    expect(grid.code).toMatch(/^\d{15}$/);
    expect(['Polygon', 'MultiPolygon']).toContain(grid.boundary.type);
    expect(grid.parent.level).toBe('station');
  });
});

describe('subtree scoping', () => {
  test('street-dispatcher sees only their own subdistrict in the tree', async () => {
    const { root, counts } = (await get('street-dispatcher', '/api/v1/orgs/tree')).json();
    expect(root).toMatchObject({ name: '光明街道', level: 'subdistrict' });
    expect(counts.subdistrict).toBe(1);
    expect(counts.district).toBeUndefined();
  });

  test('street-dispatcher is denied subdistrict 2’s unit by id, its children and its users', async () => {
    expect((await get('street2-dispatcher', `/api/v1/orgs/${street2Id}`)).statusCode).toBe(200);
    const denied = await get('street-dispatcher', `/api/v1/orgs/${street2Id}`);
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.code).toBe('not_found');
    const children = (await get('street-dispatcher', `/api/v1/orgs?parentId=${street2Id}`)).json();
    expect(children.items).toEqual([]);
    expect((await get('street-dispatcher', `/api/v1/users/${street2UserId}`)).statusCode).toBe(404);
    const users = (await get('street-dispatcher', '/api/v1/users?limit=200')).json();
    const names = users.items.map((u: { username: string }) => u.username);
    expect(names).toContain('street-dispatcher');
    expect(names).toContain('community-worker');
    expect(names).not.toContain('street2-dispatcher');
    expect(names).not.toContain('district-dispatcher');
  });

  test('the district dispatcher reaches both subdistricts', async () => {
    expect((await get('district-dispatcher', `/api/v1/orgs/${street2Id}`)).statusCode).toBe(200);
    expect((await get('district-dispatcher', `/api/v1/users/${street2UserId}`)).statusCode).toBe(200);
  });

  test('a department handler sees their department only', async () => {
    const { root, counts } = (await get('dept-handler', '/api/v1/orgs/tree')).json();
    expect(root.level).toBe('department');
    expect(root.name).toContain('城市管理');
    expect(Object.values(counts).reduce((a: number, b) => a + (b as number), 0)).toBe(1);
    expect((await get('dept-handler', `/api/v1/orgs/${street2Id}`)).statusCode).toBe(404);
    expect((await get('dept-handler', '/api/v1/users')).statusCode).toBe(403);
  });

  test('a community worker’s breadcrumb starts at their own unit', async () => {
    const me = (await get('community-worker', '/api/v1/auth/me')).json().user;
    const list = (
      await get('community-worker', `/api/v1/orgs?parentId=${me.orgId}&level=station&limit=1`)
    ).json();
    const station = (await get('community-worker', `/api/v1/orgs/${list.items[0].id}`)).json();
    expect(station.ancestors.map((a: { id: number }) => a.id)).toEqual([me.orgId]);
  });
});
