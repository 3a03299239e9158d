import turfBbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import { uploadPhoto } from './support/uploads.ts';

let h: Harness;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await createHarness();
  for (const u of ['district-dispatcher', 'dept-handler', 'grid-worker', 'auditor', 'street2-dispatcher'])
    tokens[u] = await h.login(u);
});
afterAll(() => h?.close());

const as = (user: string) => bearer(tokens[user]!);

/** A point inside a polygon: the first of a regular lattice over its box that falls inside. */
function pointInside(boundary: Polygon | MultiPolygon): { lng: number; lat: number } {
  const [minLng, minLat, maxLng, maxLat] = turfBbox(boundary);
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const lng = minLng + ((maxLng - minLng) * i) / 20;
      const lat = minLat + ((maxLat - minLat) * j) / 20;
      if (booleanPointInPolygon([lng, lat], boundary)) return { lng, lat };
    }
  }
  throw new Error('no point found inside the polygon');
}

async function act(user: string, id: string, action: string, body: object = {}, version?: number) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${id}/actions/${action}`,
    headers: { ...as(user), ...(version ? { 'if-match': String(version) } : {}) },
    payload: body,
  });
}

describe('the manhole-cover story (井盖缺失), from a resident’s phone to a closed case', () => {
  let trackingCode: string;
  let ratingToken: string;
  let appealId: string;

  test('a resident submits with a photo and a map pin and gets a tracking code', async () => {
    const categories = (await h.app.inject({ url: '/api/v1/public/categories' })).json();
    const manhole = JSON.stringify(categories).match(/"code":"([^"]+)","name":"井盖缺失[^"]*"/);
    expect(manhole).not.toBeNull();
    const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: as('grid-worker') })).json().user;
    const grid = (await h.app.inject({ url: `/api/v1/orgs/${me.orgId}`, headers: as('grid-worker') })).json();
    const pin = pointInside(grid.boundary);
    const photo = await uploadPhoto(h.app);

    const body = {
      channel: 'h5',
      categoryCode: manhole![1],
      content: '光明大道与华夏路交叉口的井盖不见了，晚上很危险，请尽快处理',
      location: { ...pin, address: '光明大道与华夏路交叉口' },
      contact: { name: '张三', phone: '13812341234' },
      attachments: [photo],
    };
    const first = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: { 'idempotency-key': 'resident-phone-0001' },
      payload: body,
    });
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created.status).toBe('submitted');
    expect(created.trackingCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}$/);
    // The phone lost the answer and retried: same appeal, no second one.
    const retry = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: { 'idempotency-key': 'resident-phone-0001' },
      payload: body,
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(created.id);
    trackingCode = created.trackingCode;
    ratingToken = created.ratingToken;
    appealId = created.id;

    const detail = (
      await h.app.inject({ url: `/api/v1/appeals/${appealId}`, headers: as('district-dispatcher') })
    ).json();
    expect(detail.area.id).toBe(me.orgId);
    expect(detail.contact).toEqual({ name: '张*', phone: '138****1234', hidden: false });
    expect(detail.attachments).toHaveLength(1);
    expect(detail.urgency).toBe('critical');
  });

  test('the district dispatcher accepts and dispatches to 城管', async () => {
    const accepted = await act('district-dispatcher', appealId, 'accept');
    expect(accepted.statusCode).toBe(200);
    const version = accepted.json().version;
    const depts = (
      await h.app.inject({
        url: '/api/v1/orgs?level=department&q=城市管理',
        headers: as('district-dispatcher'),
      })
    ).json();
    const dispatched = await act(
      'district-dispatcher',
      appealId,
      'dispatch',
      { orgId: depts.items[0].id, note: '危险，请30分钟内到场' },
      version,
    );
    expect(dispatched.statusCode).toBe(200);
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', assigned: { id: depts.items[0].id } });
  });

  test('the 城管 handler finds it in the inbox, claims it and resolves it with a photo', async () => {
    const inbox = (await h.app.inject({ url: '/api/v1/inbox', headers: as('dept-handler') })).json();
    expect(inbox.toClaim.map((a: { id: string }) => a.id)).toContain(appealId);
    expect((await act('dept-handler', appealId, 'claim')).json().status).toBe('claimed');
    const photo = await uploadPhoto(h.app, tokens['dept-handler']);
    const resolved = await act('dept-handler', appealId, 'resolve', {
      summary: '已更换新井盖并设置警示标志',
      attachments: [photo],
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().status).toBe('resolved');
  });

  test('the grid worker verifies on site', async () => {
    const verified = await act('grid-worker', appealId, 'verify', {
      passed: true,
      note: '现场查看，井盖已恢复',
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().status).toBe('verified');
  });

  test('the resident rates it satisfied, which closes the case', async () => {
    const rated = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${trackingCode}/rating`,
      payload: { score: 'satisfied', ratingToken },
    });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().status).toBe('closed');
  });

  test('the resident’s timeline shows every step in plain words and no personal data', async () => {
    const tracked = await h.app.inject({ url: `/api/v1/track/${trackingCode.toLowerCase()}` });
    expect(tracked.statusCode).toBe(200);
    const view = tracked.json();
    expect(view.timeline.map((s: { label: string }) => s.label)).toEqual([
      '已提交',
      '已受理',
      '已派单',
      '处理中',
      '已办结',
      '结果已核实',
      '已评价',
    ]);
    expect(view.photos.map((p: { stage: string }) => p.stage)).toEqual(['submission', 'resolution']);
    expect(tracked.body).not.toContain('13812341234');
    expect(tracked.body).not.toContain('1234');
    expect(tracked.body).not.toContain('张三');
    expect(tracked.body).not.toContain('30分钟');
  });

  test('the resident was told of each step by SMS, through the outbox, with the number encrypted at rest', async () => {
    const messages = await h.services.db.many<{ template: string; body: string; recipientEnc: string }>(
      'SELECT template, body, recipient_enc AS "recipientEnc" FROM outbox WHERE appeal_id = $1 ORDER BY created_at, id',
      [appealId],
    );
    // The test clock stands still, so the messages share one timestamp: compare as a set.
    expect(messages.map((m) => m.template).sort()).toEqual([
      'appeal.accepted',
      'appeal.dispatched',
      'appeal.resolved',
      'appeal.submitted',
    ]);
    expect(messages.find((m) => m.template === 'appeal.dispatched')!.body).toContain('城市管理');
    expect(messages.every((m) => !m.recipientEnc.includes('13812341234'))).toBe(true);
  });

  test('the journal verifies, and a user of subdistrict 2 cannot reach the appeal', async () => {
    const verify = (await h.app.inject({ url: '/api/v1/audit/verify', headers: as('auditor') })).json();
    expect(verify.status).toBe('ok');
    expect(
      (await h.app.inject({ url: `/api/v1/appeals/${appealId}`, headers: as('street2-dispatcher') }))
        .statusCode,
    ).toBe(404);
    expect((await act('street2-dispatcher', appealId, 'reopen', { reason: '试试' })).statusCode).toBe(404);
  });
});
