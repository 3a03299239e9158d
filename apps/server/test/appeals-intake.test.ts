import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
const tokens: Record<string, string> = {};
let station: { id: number; code: string; location: { lng: number; lat: number } };

beforeAll(async () => {
  h = await createHarness();
  for (const u of [
    'community-worker',
    'grid-worker',
    'district-dispatcher',
    'dept-handler',
    'street-dispatcher',
  ])
    tokens[u] = await h.login(u);
  const me = (
    await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokens['community-worker']!) })
  ).json().user;
  station = (
    await h.app.inject({
      url: `/api/v1/orgs?parentId=${me.orgId}&level=station&limit=1`,
      headers: bearer(tokens['community-worker']!),
    })
  ).json().items[0];
});
afterAll(() => h?.close());

const submit = (payload: object, token?: string) =>
  h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: token ? bearer(token) : {}, payload });

describe('intake from every channel', () => {
  test('a QR code on a lamp post decides the station (信访解忧码)', async () => {
    const response = await submit({
      channel: 'qr',
      stationCode: station.code,
      content: '路灯坏了好几天，晚上很黑',
    });
    expect(response.statusCode).toBe(201);
    const detail = (
      await h.app.inject({
        url: `/api/v1/appeals/${response.json().id}`,
        headers: bearer(tokens['community-worker']!),
      })
    ).json();
    expect(detail.area.id).toBe(station.id);
    expect(detail.channel).toBe('qr');
  });

  test('an unknown station code is a clear 422, a pin outside every area goes to the district', async () => {
    const unknown = await submit({
      channel: 'qr',
      stationCode: '440311999999901',
      content: '路灯坏了好几天，晚上很黑',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('unknown_station');
    const far = await submit({
      channel: 'h5',
      content: '这里有个问题需要处理',
      location: { lat: 31.23, lng: 121.47 },
    });
    expect(far.statusCode).toBe(201);
    const detail = (
      await h.app.inject({
        url: `/api/v1/appeals/${far.json().id}`,
        headers: bearer(tokens['district-dispatcher']!),
      })
    ).json();
    expect(detail.area.name).toBe('光明区');
    // The subdistrict dispatcher does not see what belongs to the district level.
    expect(
      (
        await h.app.inject({
          url: `/api/v1/appeals/${far.json().id}`,
          headers: bearer(tokens['street-dispatcher']!),
        })
      ).statusCode,
    ).toBe(404);
  });

  test('a hall clerk takes an appeal in for a walk-in resident; a grid worker reports what they see on patrol', async () => {
    const hall = await submit(
      {
        channel: 'hall',
        stationCode: station.code,
        content: '来访群众反映小区电梯经常停运',
        contact: { name: '王五', phone: '13900001111' },
      },
      tokens['community-worker'],
    );
    expect(hall.statusCode).toBe(201);
    const patrol = await submit(
      { channel: 'patrol', stationCode: station.code, content: '巡查发现消防通道被杂物堵塞' },
      tokens['grid-worker'],
    );
    expect(patrol.statusCode).toBe(201);
  });

  test('staff channels need a session and the right role', async () => {
    const anonymous = await submit({ channel: 'hotline', content: '热线来电反映噪音扰民问题' });
    expect(anonymous.statusCode).toBe(401);
    const wrongRole = await submit(
      { channel: 'patrol', content: '巡查发现道路破损严重' },
      tokens['dept-handler'],
    );
    expect(wrongRole.statusCode).toBe(403);
    const open311 = await submit({ channel: 'open311', content: '通过其他渠道提交的问题' });
    expect(open311.statusCode).toBe(400);
  });

  test('anonymous appeals keep no contact data at all', async () => {
    const response = await submit({
      channel: 'h5',
      anonymous: true,
      content: '匿名反映：某餐馆后厨卫生很差',
      contact: { name: '赵六', phone: '13700002222' },
    });
    const detail = (
      await h.app.inject({
        url: `/api/v1/appeals/${response.json().id}`,
        headers: bearer(tokens['district-dispatcher']!),
      })
    ).json();
    expect(detail.anonymous).toBe(true);
    expect(detail.contact).toBeNull();
    const row = await h.services.db.one<{ name: string | null; phone: string | null }>(
      'SELECT contact_name_enc AS name, contact_phone_enc AS phone FROM appeal WHERE id = $1',
      [response.json().id],
    );
    expect(row).toEqual({ name: null, phone: null });
  });

  test('bad input gets a clear 400 and nothing is stored', async () => {
    const before = (await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n;
    for (const payload of [
      { channel: 'h5' },
      { channel: 'fax', content: '传真来的诉求内容' },
      { channel: 'h5', content: '太短' },
      { channel: 'h5', content: '坐标不对的诉求内容', location: { lat: 123, lng: 500 } },
      { channel: 'h5', content: '附件不对的诉求内容', attachments: ['not-a-uuid'] },
      { channel: 'h5', content: 'x'.repeat(5001) },
    ]) {
      const response = await submit(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
    const unknownUpload = await submit({
      channel: 'h5',
      content: '附件不存在的诉求',
      attachments: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(unknownUpload.statusCode).toBe(422);
    expect((await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n).toBe(before);
  });
});

describe('public lists for the resident app', () => {
  test('stations within 500 m, nearest first, with distance and opening hours', async () => {
    const response = await h.app.inject({
      url: `/api/v1/public/stations?lat=${station.location.lat}&lng=${station.location.lng}`,
    });
    expect(response.statusCode).toBe(200);
    const items = response.json().items;
    expect(items[0]).toMatchObject({ code: station.code, distanceM: 0, serviceRadiusM: 500 });
    expect(items[0].openingHours).toBeTruthy();
    expect(items.every((s: { distanceM: number }) => s.distanceM <= 500)).toBe(true);
    const distances = items.map((s: { distanceM: number }) => s.distanceM);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect((await h.app.inject({ url: '/api/v1/public/stations?lat=91&lng=0' })).statusCode).toBe(400);
  });
});
