import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';
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

// A partner app reads service requests back, as the spec's GET Service Requests and GET Service
// Request describe, with the common extensions (page, page_size, updated_after, extensions).

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
  public_consent: 'true',
  ...extra,
});

describe('GET Service Request(s)', () => {
  let ids: string[];

  beforeAll(async () => {
    ids = [];
    for (const description of ['第一个井盖', '第二个井盖', '第三个井盖']) {
      ids.push((await post('json', manhole({ description }))).json()[0].service_request_id);
    }
    const light = await post('json', {
      ...manhole(),
      service_code: STREET_LIGHT,
      'attribute[cover_type]': '',
    });
    expect(light.statusCode).toBe(200);
  });

  test('one request by id, in JSON with every field the spec lists, and in XML', async () => {
    const reply = await get(`${V2}/requests/${ids[0]}.json`);
    expect(reply.statusCode).toBe(200);
    const [request] = reply.json();
    expect(Object.keys(request)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    expect(request).toMatchObject({
      service_request_id: ids[0],
      status: 'open',
      status_notes: '已提交',
      service_name: '井盖缺失/破损',
      service_code: MANHOLE,
      description: '第一个井盖',
      agency_responsible: null,
      requested_datetime: '2026-10-09T09:00:00+08:00',
      expected_datetime: null,
      // The grid station that serves the spot, never the address the reporter typed.
      address: (await h.services.db.one<{ name: string }>(
        'SELECT st.name FROM appeal a JOIN org_unit st ON st.id = a.station_id WHERE a.id = $1',
        [ids[0]!],
      ))!.name,
      lat: pin.lat,
      long: pin.long,
    });
    const xml = parseXml((await get(`${V2}/requests/${ids[0]}.xml`)).body) as {
      service_requests: { request: Record<string, string>[] };
    };
    expect(xml.service_requests.request[0]).toMatchObject({
      service_request_id: ids[0],
      status: 'open',
      requested_datetime: '2026-10-09T09:00:00+08:00',
      lat: String(pin.lat),
      agency_responsible: '',
    });
  });

  test('an unknown or malformed id is a 404 (JSON and XML)', async () => {
    const unknown = await get(`${V2}/requests/00000000-0000-4000-8000-000000000000.json`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()[0].code).toBe(404);
    expect((await get(`${V2}/requests/abc.xml`)).statusCode).toBe(404);
  });

  test('the list honours service_request_id (comma-delimited, overriding the rest) and service_code', async () => {
    const byId = await get(
      `${V2}/requests.json?service_request_id=${ids[0]},${ids[2]},not-an-id&status=closed`,
    );
    expect(
      byId
        .json()
        .map((r: { service_request_id: string }) => r.service_request_id)
        .sort(),
    ).toEqual([ids[0], ids[2]].sort());
    const lights = (await get(`${V2}/requests.json?service_code=${STREET_LIGHT}`)).json();
    expect(lights.length).toBeGreaterThan(0);
    expect(lights.every((r: { service_code: string }) => r.service_code === STREET_LIGHT)).toBe(true);
    const both = (await get(`${V2}/requests.json?service_code=${STREET_LIGHT},${MANHOLE}`)).json();
    expect(both.length).toBeGreaterThan(lights.length);
  });

  test('status filters open and closed; the default window is the last 90 days', async () => {
    const all = (await get(`${V2}/requests.json`)).json();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect((await get(`${V2}/requests.json?status=open`)).json()).toHaveLength(all.length);
    expect((await get(`${V2}/requests.json?status=closed`)).json()).toEqual([]);
    expect((await get(`${V2}/requests.json?status=open,closed`)).json()).toHaveLength(all.length);
    const xml = parseXml((await get(`${V2}/requests.xml?status=closed`)).body);
    expect(xml).toEqual({ service_requests: '' });
    h.clock.advance(91 * 86_400_000);
    try {
      expect((await get(`${V2}/requests.json`)).json()).toEqual([]);
    } finally {
      h.clock.advance(-91 * 86_400_000);
    }
  });

  test('start_date and end_date select by requested_datetime and may not span more than 90 days', async () => {
    const day = await get(
      `${V2}/requests.json?start_date=2026-10-09T00:00:00%2B08:00&end_date=2026-10-10T00:00:00Z`,
    );
    expect(day.json().length).toBeGreaterThanOrEqual(3);
    expect((await get(`${V2}/requests.json?start_date=2026-10-10&end_date=2026-10-11`)).json()).toEqual([]);
    const wide = await get(
      `${V2}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-10-10T00:00:00Z`,
    );
    expect(wide.statusCode).toBe(400);
    expect(wide.json()).toEqual([
      { code: 400, description: 'start_date and end_date may not span more than 90 days' },
    ]);
    const backwards = await get(`${V2}/requests.xml?start_date=2026-10-10&end_date=2026-10-01`);
    expect(backwards.statusCode).toBe(400);
    for (const bad of ['yesterday', '2026-13-01', '2026-10-09T09:00:00', '2026-02-30']) {
      const reply = await get(`${V2}/requests.json?start_date=${bad}`);
      expect(reply.statusCode, bad).toBe(400);
    }
    expect((await get(`${V2}/requests.json?status=pending`)).statusCode).toBe(400);
  });

  test('page and page_size page through the list (newest first)', async () => {
    const all = (await get(`${V2}/requests.json?service_code=${MANHOLE}`)).json();
    const first = (await get(`${V2}/requests.json?service_code=${MANHOLE}&page_size=2&page=1`)).json();
    const second = (await get(`${V2}/requests.json?service_code=${MANHOLE}&page_size=2&page=2`)).json();
    expect([...first, ...second].map((r: { service_request_id: string }) => r.service_request_id)).toEqual(
      all.slice(0, 4).map((r: { service_request_id: string }) => r.service_request_id),
    );
    expect((await get(`${V2}/requests.json?page_size=0`)).statusCode).toBe(400);
    expect((await get(`${V2}/requests.json?page_size=1001`)).statusCode).toBe(400);
  });

  test('updated_after lists what changed since, oldest change first', async () => {
    h.clock.advance(60_000);
    try {
      const since = encodeURIComponent('2026-10-09T09:00:30+08:00');
      expect((await get(`${V2}/requests.json?updated_after=${since}`)).json()).toEqual([]);
      const later = (await post('json', manhole({ description: '第四个井盖' }))).json()[0].service_request_id;
      const changed = (await get(`${V2}/requests.json?updated_after=${since}`)).json();
      expect(changed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([later]);
      expect((await get(`${V2}/requests.json?updated_after=2026-01-01T00:00:00Z`)).statusCode).toBe(400);
    } finally {
      h.clock.advance(-60_000);
    }
  });

  test('extensions=true adds the public timeline as notes and the detailed status', async () => {
    const [request] = (await get(`${V2}/requests/${ids[1]}.json?extensions=true`)).json();
    expect(request.notes).toEqual([
      { datetime: '2026-10-09T09:00:00+08:00', type: 'submitted', description: '已提交' },
    ]);
    expect(request.extended_attributes).toEqual({
      channel: 'open311',
      detailed_status: 'submitted',
      detailed_status_label: '已提交',
    });
    const xml = parseXml(
      (await get(`${V2}/requests.xml?service_request_id=${ids[1]}&extensions=true`)).body,
    ) as {
      service_requests: { request: { notes: { note: unknown[] } }[] };
    };
    expect(xml.service_requests.request[0]!.notes.note).toEqual([
      { datetime: '2026-10-09T09:00:00+08:00', type: 'submitted', description: '已提交' },
    ]);
    expect((await get(`${V2}/requests.json?extensions=maybe`)).statusCode).toBe(400);
    expect((await get(`${V2}/requests/${ids[1]}.xml?extensions=1`)).statusCode).toBe(400);
  });
});
