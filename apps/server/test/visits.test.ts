import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * The reception hall's desk (issue #24 item 1): a visit registered by the hall clerk of 光明街道
 * takes its appeal in on the hall channel; a repeat visitor is recognised by phone whatever they
 * say; a group of 6 is flagged to the district; a 代办员 filing on someone's behalf is recorded
 * beside the clerk; the receipt carries the code in full for that clerk only.
 */
let w: AppealWorld;
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await createAppealWorld([
    'hall-clerk',
    'street2-dispatcher',
    'district-dispatcher',
    'community-worker',
    'grid-worker',
  ]);
  for (const user of ['hall-clerk', 'community-worker', 'grid-worker']) {
    ids[user] = (await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as(user) })).json().user.id;
  }
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const register = (body: Record<string, unknown>, user = 'hall-clerk', headers: Record<string, string> = {}) =>
  w.h.app.inject({
    method: 'POST',
    url: '/api/v1/visits',
    headers: { ...w.as(user), ...headers },
    payload: body,
  });

const appealBody = (content: string) => ({ content, location: w.pin });

describe('一窗受理: registering a visit', () => {
  let first: { id: string; appealId: string; trackingCode: string };

  test('a first visitor: the appeal is taken in on the hall channel, nothing earlier is found', async () => {
    const reply = await register({
      phone: '139 1234 5601',
      name: '周大爷',
      groupSize: 1,
      firstVisit: true,
      idChecked: true,
      appeal: appealBody('小区楼下化粪池满溢，臭味很大，物业不处理'),
    });
    expect(reply.statusCode, reply.body).toBe(201);
    first = reply.json();
    expect(reply.json()).toMatchObject({ repeatVisit: false, previousAppeals: [], groupVisit: false });
    expect(first.trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    const detail = (await w.detail('district-dispatcher', first.appealId)).json();
    expect(detail).toMatchObject({ channel: 'hall', contact: { name: '周**', phone: '139****5601' } });
    const registered = detail.timeline.find((e: { action: string }) => e.action === 'visit.registered');
    expect(registered).toMatchObject({
      actorName: '窗口受理员 林芳',
      data: { groupSize: 1, idChecked: true },
    });
  });

  test('the same phone again, typed differently, is a repeat visit, whatever the visitor says', async () => {
    const reply = await register({
      phone: '+86 139-1234-5601',
      groupSize: 1,
      firstVisit: true,
      appeal: appealBody('化粪池的事还没解决，又来反映一次'),
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json().repeatVisit).toBe(true);
    expect(reply.json().previousAppeals).toEqual([
      expect.objectContaining({
        id: first.appealId,
        trackingCode: expect.stringMatching(/^\w{4}-\*{4}-\w{2}$/),
      }),
    ]);
  });

  test('another subdistrict’s desk does not see this person’s earlier visits (its own area only)', async () => {
    const reply = await register(
      { phone: '13912345601', groupSize: 1, appeal: appealBody('公明街道窗口来访：同一人反映别的事') },
      'street2-dispatcher',
    );
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ repeatVisit: false, previousAppeals: [] });
  });

  test('typed at the desk, the phone shows its earlier appeals before anything is registered', async () => {
    const lookup = (phone: string, user = 'hall-clerk') =>
      w.h.app.inject({
        method: 'POST',
        url: '/api/v1/visits/lookup',
        headers: w.as(user),
        payload: { phone },
      });
    const known = await lookup('13912345601');
    expect(known.json()).toMatchObject({ repeatVisit: true });
    expect(known.json().previousAppeals.map((a: { id: string }) => a.id)).toContain(first.appealId);
    expect((await lookup('13912349999')).json()).toEqual({ repeatVisit: false, previousAppeals: [] });
    expect((await lookup('12345')).statusCode).toBe(400);
    expect((await lookup('13912345601', 'grid-worker')).statusCode).toBe(403);
  });

  test('six people together are a 集体访: flagged, journaled for the district', async () => {
    const reply = await register({
      phone: '13912345602',
      name: '王师傅',
      groupSize: 6,
      appeal: appealBody('工地六名工人被拖欠三个月工资，包工头联系不上'),
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json().groupVisit).toBe(true);
    const detail = (await w.detail('district-dispatcher', reply.json().appealId)).json();
    expect(detail.timeline.map((e: { action: string }) => e.action)).toContain('visit.group_registered');
  });

  test('with no place given, the appeal is the hall’s own subdistrict’s, not the district’s', async () => {
    const reply = await register({
      phone: '13912345609',
      groupSize: 1,
      appeal: { content: '来访人未说明具体地点的诉求' },
    });
    const detail = (await w.detail('hall-clerk', reply.json().appealId)).json();
    expect(detail.area.name).toBe('光明街道');
    // And the same desk finds it when the person returns.
    const again = await register({
      phone: '13912345609',
      groupSize: 1,
      appeal: { content: '同一来访人再次反映同一问题' },
    });
    expect(again.json().repeatVisit).toBe(true);
  });

  test('four people are not a group visit', async () => {
    const reply = await register({
      phone: '13912345603',
      groupSize: 4,
      appeal: appealBody('四位邻居一起反映路灯不亮的问题'),
    });
    expect(reply.json().groupVisit).toBe(false);
  });

  test('a 代办员 filing for a resident: the visit records both the clerk and the 代办员', async () => {
    const reply = await register({
      phone: '0755-2345 6789',
      name: '陈奶奶',
      groupSize: 1,
      proxyUserId: ids['grid-worker'],
      appeal: appealBody('独居老人家中水管漏水，网格员代为反映'),
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const detail = (await w.detail('district-dispatcher', reply.json().appealId)).json();
    const registered = detail.timeline.find((e: { action: string }) => e.action === 'visit.registered');
    expect(registered.actorId).toBe(ids['hall-clerk']);
    expect(registered.data.proxyUserId).toBe(ids['grid-worker']);
    expect(detail.contact.phone).toBe('0755-****6789');
  });

  test('an unknown 代办员 is 422 and nothing is taken in', async () => {
    const before = (
      await w.h.app.inject({
        url: '/api/v1/appeals?channel=hall&count=true',
        headers: w.as('district-dispatcher'),
      })
    ).json().total.count;
    const reply = await register({
      phone: '13912345604',
      groupSize: 1,
      proxyUserId: '00000000-0000-4000-8000-000000000000',
      appeal: appealBody('代办员不存在的登记'),
    });
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.code).toBe('unknown_proxy');
    const after = (
      await w.h.app.inject({
        url: '/api/v1/appeals?channel=hall&count=true',
        headers: w.as('district-dispatcher'),
      })
    ).json().total.count;
    expect(after).toBe(before);
  });

  test('a resend under the same Idempotency-Key is the same visit, not a second appeal', async () => {
    const body = { phone: '13912345605', groupSize: 1, appeal: appealBody('重复提交测试：门口路面塌陷') };
    const key = { 'idempotency-key': `visit-test-${Date.now()}` };
    const one = await register(body, 'hall-clerk', key);
    const two = await register(body, 'hall-clerk', key);
    expect(one.statusCode).toBe(201);
    expect(two.json()).toMatchObject({ id: one.json().id, appealId: one.json().appealId });
  });

  test('bad input is a 400 naming the field: a foreign phone, no group, an empty appeal', async () => {
    for (const body of [
      { phone: '+44 7700 900123', groupSize: 1, appeal: appealBody('境外号码来访登记测试') },
      { phone: '13912345606', appeal: appealBody('没有人数的来访登记') },
      { phone: '13912345606', groupSize: 1, appeal: { content: '短' } },
      { phone: '13912345606', groupSize: 0, appeal: appealBody('零人来访登记测试') },
    ]) {
      expect((await register(body)).statusCode).toBe(400);
    }
  });

  test('a grid worker has no reception desk: 403', async () => {
    expect(
      (
        await register(
          { phone: '13912345607', groupSize: 1, appeal: appealBody('网格员尝试窗口登记') },
          'grid-worker',
        )
      ).statusCode,
    ).toBe(403);
  });
});

describe('the receipt', () => {
  let visit: { id: string; trackingCode: string };

  beforeAll(async () => {
    visit = (
      await register({ phone: '13912345608', groupSize: 2, appeal: appealBody('回执测试：小区电梯经常停运') })
    ).json();
  });

  test('the clerk prints an A5 page with the code in full and a QR code, and no name or phone', async () => {
    const page = await w.h.app.inject({
      url: `/api/v1/visits/${visit.id}/receipt`,
      headers: w.as('hall-clerk'),
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(visit.trackingCode);
    expect(page.body).toContain('size: A5');
    expect(page.body).toMatch(/<svg[^>]*>/);
    expect(page.body).toContain(`/track/${visit.trackingCode}`);
    expect(page.body).toContain('2 人');
    expect(page.body).not.toContain('13912345608');
  });

  test('another desk of the same area may not print it (the code is the resident’s): 403', async () => {
    const page = await w.h.app.inject({
      url: `/api/v1/visits/${visit.id}/receipt`,
      headers: w.as('district-dispatcher'),
    });
    expect(page.statusCode).toBe(403);
  });

  test('another subdistrict’s desk does not find it: 404', async () => {
    const page = await w.h.app.inject({
      url: `/api/v1/visits/${visit.id}/receipt`,
      headers: w.as('street2-dispatcher'),
    });
    expect(page.statusCode).toBe(404);
  });
});

describe('the walk-in queue (叫号)', () => {
  const take = (user = 'hall-clerk') =>
    w.h.app.inject({ method: 'POST', url: '/api/v1/hall/tickets', headers: w.as(user) });
  const call = (window: string, user = 'hall-clerk') =>
    w.h.app.inject({
      method: 'POST',
      url: '/api/v1/hall/tickets/call-next',
      headers: w.as(user),
      payload: { window },
    });
  const board = async () =>
    (await w.h.app.inject({ url: '/api/v1/hall/board', headers: w.as('hall-clerk') })).json();

  test('numbers are taken in order, called in order to windows, and the board shows it', async () => {
    await w.setClock('2026-10-09T01:00:00.000Z');
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await take()).json());
    expect(taken.map((t) => [t.label, t.waitingAhead])).toEqual([
      ['A001', 0],
      ['A002', 1],
      ['A003', 2],
    ]);
    await w.setClock('2026-10-09T01:06:00.000Z');
    expect((await call('1号窗口')).json()).toMatchObject({
      label: 'A001',
      window: '1号窗口',
      status: 'called',
    });
    expect((await call('2号窗口')).json()).toMatchObject({ label: 'A002', window: '2号窗口' });
    const now = await board();
    expect(now).toMatchObject({ hall: '光明街道', waiting: 1, served: 2, averageWaitMinutes: 6 });
    expect(now.calling.map((t: { label: string }) => t.label)).toEqual(['A002', 'A001']);
    expect((await call('1号窗口')).json().label).toBe('A003');
    const empty = await call('1号窗口');
    expect(empty.statusCode).toBe(409);
    expect(empty.json().error.code).toBe('queue_empty');
  });

  test('each hall numbers its own queue, and a new day starts again at A001', async () => {
    expect((await take('street2-dispatcher')).json().label).toBe('A001');
    await w.setClock('2026-10-10T01:00:00.000Z');
    expect((await take()).json().label).toBe('A001');
  });

  test('a grid worker runs no hall queue: 403', async () => {
    expect((await take('grid-worker')).statusCode).toBe(403);
    expect((await call('1号窗口', 'grid-worker')).statusCode).toBe(403);
  });
});
