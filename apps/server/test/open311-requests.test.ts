import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.ts';
import { systemActor } from '../src/platform/auth/actor.ts';
import { createHarness, type Harness, TEST_RATE_LIMITS } from './support/harness.ts';
import {
  createKey,
  FORM,
  form,
  MANHOLE,
  parseXml,
  pointInGrid,
  STREET_LIGHT,
  V2,
} from './support/open311.ts';

// A partner app posts service requests with its API key and reads them back, as the spec's
// POST Service Request, GET Service Requests and GET Service Request describe.

let h: Harness;
let key: string;
let pin: { lat: number; long: number; gridId: number };

beforeAll(async () => {
  h = await createHarness();
  key = await createKey(h, '城市随手拍 App');
  pin = await pointInGrid(h);
});
afterAll(() => h?.close());

const post = (format: 'json' | 'xml', fields: Record<string, string | string[]>) =>
  h.app.inject({ method: 'POST', url: `${V2}/requests.${format}`, headers: FORM, payload: form(fields) });
const get = (url: string) => h.app.inject({ url });

const manhole = (extra: Record<string, string | string[]> = {}) => ({
  api_key: key,
  service_code: MANHOLE,
  lat: String(pin.lat),
  long: String(pin.long),
  address_string: '光明大道与华夏路交叉口',
  description: '路口的井盖不见了，晚上很危险',
  'attribute[cover_type]': 'sewage',
  ...extra,
});

describe('POST Service Request', () => {
  test('a form post (the spec’s format) answers the new service_request_id and a service notice', async () => {
    const reply = await post('json', manhole({ media_url: 'https://img.example.org/p/1.jpg' }));
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const [created] = reply.json();
    expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice']);
    expect(created.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.service_notice).toBe('1 个工作日内受理，受理后 1 个工作日内办结（按法定工作日计算）。');
    // It became an ordinary appeal of the open311 channel, with its attribute, in the grid's area.
    const row = await h.services.db.one<{
      channel: string;
      attributes: unknown;
      gridId: number;
      status: string;
    }>('SELECT channel, attributes, grid_id AS "gridId", status FROM appeal WHERE id = $1', [
      created.service_request_id,
    ]);
    expect(row).toEqual({
      channel: 'open311',
      attributes: { cover_type: 'sewage' },
      gridId: pin.gridId,
      status: 'submitted',
    });
  });

  test('XML answers <service_requests><request> with the id and notice', async () => {
    const reply = await post('xml', manhole());
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(reply.body) as { service_requests: { request: Record<string, string>[] } };
    expect(doc.service_requests.request).toHaveLength(1);
    expect(doc.service_requests.request[0]!.service_request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('JSON bodies work too, with attributes as an object and list values as arrays', async () => {
    const reply = await h.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      payload: {
        api_key: key,
        service_code: 'SP-RM-001',
        lat: pin.lat,
        long: pin.long,
        description: '楼下广场舞音响太大声，每晚到十点',
        attribute: { source: 'square_dance' },
      },
    });
    expect(reply.statusCode).toBe(200);
    const id = reply.json()[0].service_request_id;
    const row = await h.services.db.one<{ attributes: unknown }>(
      'SELECT attributes FROM appeal WHERE id = $1',
      [id],
    );
    expect(row!.attributes).toEqual({ source: 'square_dance' });
  });

  test('address_string alone is a location; the address stays in the text the handler reads', async () => {
    const reply = await post('json', {
      api_key: key,
      service_code: STREET_LIGHT,
      address_string: '华夏路 18 号门口',
      description: '路灯不亮两天了',
      'attribute[lamp_no]': 'GM-0231',
    });
    expect(reply.statusCode).toBe(200);
    const id = reply.json()[0].service_request_id;
    const row = await h.services.db.one<{ content: string; lat: number | null }>(
      'SELECT content, lat FROM appeal WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ content: '路灯不亮两天了\n地址：华夏路 18 号门口', lat: null });
    const [shown] = (await get(`${V2}/requests/${id}.json`)).json();
    // The feed names the area the request was placed in, never the typed address.
    const area = await h.services.db.one<{ name: string }>(
      'SELECT o.name FROM appeal a JOIN org_unit o ON o.id = a.org_id WHERE a.id = $1',
      [id],
    );
    expect(shown).toMatchObject({ address: area!.name, lat: null, long: null });
    expect(JSON.stringify(shown)).not.toContain('华夏路');
  });

  test('address_id is a grid station’s code: the request lands at that station', async () => {
    const station = await h.services.db.one<{ id: number; code: string }>(
      "SELECT id, code FROM org_unit WHERE level = 'station' ORDER BY id LIMIT 1",
    );
    const reply = await post('json', { api_key: key, service_code: STREET_LIGHT, address_id: station!.code });
    expect(reply.statusCode).toBe(200);
    const id = reply.json()[0].service_request_id;
    const row = await h.services.db.one<{ stationId: number; content: string }>(
      'SELECT station_id AS "stationId", content FROM appeal WHERE id = $1',
      [id],
    );
    // No description: an appeal still needs text, so the service name stands in.
    expect(row).toEqual({
      stationId: station!.id,
      content: '路灯不亮/损坏（经 Open311 上报，未附文字描述）',
    });
    const [shown] = (await get(`${V2}/requests/${id}.json`)).json();
    expect(shown.address_id).toBe(station!.code);
    const unknown = await post('json', {
      api_key: key,
      service_code: STREET_LIGHT,
      address_id: '999999999999999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()[0].description).toContain('address_id 999999999999999 is not a known address');
  });

  test('an Idempotency-Key makes a retry answer the same request', async () => {
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: `${V2}/requests.json`,
        headers: { ...FORM, 'idempotency-key': 'partner-retry-0001' },
        payload: form(manhole()),
      });
    const first = (await send()).json()[0].service_request_id;
    expect((await send()).json()[0].service_request_id).toBe(first);
  });
});

describe('POST errors', () => {
  test('no api_key, a wrong one or a revoked one is a 403 (JSON and XML)', async () => {
    const { api_key: _, ...withoutKey } = manhole();
    const missing = await post('json', withoutKey);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([
      { code: 403, description: "api_key was not provided -- can't proceed with create_request" },
    ]);
    const wrong = await post('xml', manhole({ api_key: 'o311_not-a-real-key-at-all' }));
    expect(wrong.statusCode).toBe(403);
    expect(parseXml(wrong.body)).toEqual({
      errors: {
        error: [
          { code: '403', description: "Invalid api_key received -- can't proceed with create_request" },
        ],
      },
    });
    const doomed = await createKey(h, '将被吊销');
    expect((await post('json', manhole({ api_key: doomed }))).statusCode).toBe(200);
    await h.services.open311Keys.revoke(systemActor(['system_admin']), '将被吊销');
    expect((await post('json', manhole({ api_key: doomed }))).statusCode).toBe(403);
  });

  test('the key may come in the query string, as the spec’s Swagger file has it', async () => {
    const { api_key: _, ...fields } = manhole();
    const reply = await h.app.inject({
      method: 'POST',
      url: `${V2}/requests.json?api_key=${encodeURIComponent(key)}`,
      headers: FORM,
      payload: form(fields),
    });
    expect(reply.statusCode).toBe(200);
  });

  test('service_code missing is a 400, unknown or unpublished a 404', async () => {
    const { service_code: _, ...fields } = manhole();
    const missing = await post('json', fields);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toContainEqual({ code: 400, description: 'service_code was not provided' });
    expect((await post('json', manhole({ service_code: 'SP-XX-999' }))).statusCode).toBe(404);
    expect((await post('json', manhole({ service_code: 'JF-LL-001' }))).statusCode).toBe(404);
    const wrongPlace = await post('xml', manhole({ jurisdiction_id: 'sfgov.org' }));
    expect(wrongPlace.statusCode).toBe(404);
  });

  test('a missing location, half a coordinate pair and bad attributes are 400s, all reported at once', async () => {
    const noPlace = await post('json', { api_key: key, service_code: STREET_LIGHT, description: '灯坏了' });
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json()[0].description).toBe(
      'a location is required: lat and long, address_string or address_id',
    );
    const half = await post('json', { api_key: key, service_code: STREET_LIGHT, lat: '22.7' });
    expect(half.json()).toContainEqual({ code: 400, description: 'lat and long must be sent together' });
    const attrs = await post('json', {
      ...manhole(),
      'attribute[cover_type]': 'gold',
      'attribute[warning_set][]': ['yes', 'no'],
      'attribute[colour]': 'red',
    });
    expect(attrs.statusCode).toBe(400);
    expect(attrs.json().map((e: { description: string }) => e.description)).toEqual([
      'attribute[colour] is not an attribute of this service',
      'attribute[cover_type] has no value with the key gold',
      'attribute[warning_set] takes one value',
    ]);
    const { 'attribute[cover_type]': _, ...noCover } = manhole();
    const required = await post('xml', noCover);
    expect(parseXml(required.body)).toEqual({
      errors: { error: [{ code: '400', description: 'attribute[cover_type] is required for this service' }] },
    });
  });

  test('a key is rate-limited per minute: the next post is a 429, other keys go on', async () => {
    const slow = await createKey(h, '限速测试', 2);
    expect((await post('json', manhole({ api_key: slow }))).statusCode).toBe(200);
    expect((await post('json', manhole({ api_key: slow }))).statusCode).toBe(200);
    const limited = await post('json', manhole({ api_key: slow }));
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()[0]).toMatchObject({ code: 429 });
    expect(limited.json()[0].description).toContain('2 requests a minute');
    expect((await post('json', manhole())).statusCode).toBe(200);
  });
});

describe('the per-key limit holds across app processes', () => {
  test('two app nodes on one database count one key together', async () => {
    // A second node: its own Fastify instance over the same database (as a second process would be).
    const second = await buildApp({ services: h.services, rateLimits: TEST_RATE_LIMITS });
    try {
      const shared = await createKey(h, '多节点限速', 2);
      const on = (app: typeof h.app) =>
        app.inject({
          method: 'POST',
          url: `${V2}/requests.json`,
          headers: FORM,
          payload: form(manhole({ api_key: shared })),
        });
      expect((await on(h.app)).statusCode).toBe(200);
      expect((await on(second)).statusCode).toBe(200);
      // Each node alone has seen fewer than 3 posts; together the key has used its 2 a minute.
      expect((await on(h.app)).statusCode).toBe(429);
      expect((await on(second)).statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });
});
