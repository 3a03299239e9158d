import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import { createKey, FORM, form, MANHOLE, parseXml, pointInGrid, V2 } from './support/open311.ts';

// A report posted by a partner app through Open311 is an ordinary appeal: the console accepts,
// dispatches, handles, verifies and closes it, and the partner app sees each change through
// Open311 — status, status_notes, agency_responsible and expected_datetime (+08:00).

let h: Harness;
const tokens: Record<string, string> = {};
let id: string;

beforeAll(async () => {
  h = await createHarness();
  for (const user of ['district-dispatcher', 'dept-handler', 'grid-worker'])
    tokens[user] = await h.login(user);
});
afterAll(() => h?.close());

const shown = async (extensions = false) => {
  const reply = await h.app.inject({
    url: `${V2}/requests/${id}.json${extensions ? '?extensions=true' : ''}`,
  });
  expect(reply.statusCode).toBe(200);
  return reply.json()[0];
};

async function act(user: string, action: string, body: object = {}, version?: number) {
  const reply = await h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${id}/actions/${action}`,
    headers: { ...bearer(tokens[user]!), ...(version ? { 'if-match': String(version) } : {}) },
    payload: body,
  });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json();
}

describe('the manhole story told through Open311', () => {
  test('the partner app posts; the request is open and waits for acceptance', async () => {
    const key = await createKey(h, '城市随手拍 App');
    const pin = await pointInGrid(h);
    const reply = await h.app.inject({
      method: 'POST',
      url: `${V2}/requests.xml`,
      headers: FORM,
      payload: form({
        api_key: key,
        service_code: MANHOLE,
        lat: String(pin.lat),
        long: String(pin.long),
        address_string: '光明大道与华夏路交叉口',
        description: '井盖不见了，晚上很危险',
        phone: '13812341234',
        'attribute[cover_type]': 'rain',
      }),
    });
    expect(reply.statusCode).toBe(200);
    const doc = parseXml(reply.body) as { service_requests: { request: { service_request_id: string }[] } };
    id = doc.service_requests.request[0]!.service_request_id;
    expect(await shown()).toMatchObject({
      status: 'open',
      status_notes: '已提交',
      agency_responsible: null,
      expected_datetime: null,
      requested_datetime: '2026-10-09T09:00:00+08:00',
    });
  });

  test('it is in the dispatcher’s inbox like any appeal, and the resident got the usual SMS', async () => {
    const inbox = (
      await h.app.inject({ url: '/api/v1/inbox', headers: bearer(tokens['district-dispatcher']!) })
    ).json();
    expect(inbox.toAccept.map((a: { id: string }) => a.id)).toContain(id);
    const sms = await h.services.db.many<{ template: string }>(
      'SELECT template FROM outbox WHERE appeal_id = $1',
      [id],
    );
    expect(sms.map((m) => m.template)).toEqual(['appeal.submitted']);
  });

  test('accepted and dispatched to 城管: the agency and the deadline show, with the China offset', async () => {
    h.clock.advance(5 * 60_000);
    const accepted = await act('district-dispatcher', 'accept');
    const depts = (
      await h.app.inject({
        url: '/api/v1/orgs?level=department&q=城市管理',
        headers: bearer(tokens['district-dispatcher']!),
      })
    ).json();
    const dispatched = await act(
      'district-dispatcher',
      'dispatch',
      { orgId: depts.items[0].id },
      accepted.version,
    );
    const request = await shown();
    expect(request.status).toBe('open');
    expect(request.agency_responsible).toBe(depts.items[0].name);
    expect(request.status_notes).toBe(`已派单：承办单位：${depts.items[0].name}`);
    expect(request.expected_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(new Date(request.expected_datetime).getTime()).toBe(new Date(dispatched.finishDueAt).getTime());
    expect(request.updated_datetime).toBe('2026-10-09T09:05:00+08:00');
  });

  test('claimed, resolved and verified: still open, the notes follow the public timeline', async () => {
    // Steps minutes apart (a staff session ends after 10 idle minutes).
    h.clock.advance(5 * 60_000);
    await act('dept-handler', 'claim');
    await act('dept-handler', 'resolve', { summary: '已更换新井盖' });
    expect(await shown()).toMatchObject({ status: 'open', status_notes: '已办结：已更换新井盖' });
    await act('grid-worker', 'verify', { passed: true, note: '现场查看，井盖已恢复' });
    expect((await shown()).status_notes).toBe('结果已核实：工作人员已到现场核实办理结果');
  });

  test('closed in the console: Open311 says closed, dated when it was closed', async () => {
    h.clock.advance(5 * 60_000);
    const closed = await act('district-dispatcher', 'close');
    expect(closed.status).toBe('closed');
    const request = await shown();
    expect(request).toMatchObject({
      status: 'closed',
      status_notes: '已结案',
      updated_datetime: '2026-10-09T09:15:00+08:00',
    });
    const filtered = (await h.app.inject({ url: `${V2}/requests.json?status=closed` })).json();
    expect(filtered.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    const xml = parseXml((await h.app.inject({ url: `${V2}/requests/${id}.xml` })).body) as {
      service_requests: { request: Record<string, string>[] };
    };
    expect(xml.service_requests.request[0]).toMatchObject({ status: 'closed', status_notes: '已结案' });
  });

  test('extensions=true shows the whole public timeline, without internal notes', async () => {
    const request = await shown(true);
    expect(request.notes.map((n: { type: string }) => n.type)).toEqual([
      'submitted',
      'accept',
      'dispatch',
      'claim',
      'resolve',
      'verify',
      'close',
    ]);
    expect(request.extended_attributes).toEqual({
      channel: 'open311',
      detailed_status: 'closed',
      detailed_status_label: '已结案',
    });
    expect(JSON.stringify(request)).not.toContain('现场查看');
  });

  test('the public appeal form still refuses the open311 channel', async () => {
    const reply = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { channel: 'open311', categoryCode: MANHOLE, content: '我想冒充 Open311 渠道提交' },
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.message).toContain('Open311 endpoint');
  });
});
