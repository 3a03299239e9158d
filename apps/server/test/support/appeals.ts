import turfBbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { LightMyRequestResponse } from 'fastify';
import type { MultiPolygon, Polygon } from 'geojson';
import { bearer, createHarness, type Harness } from './harness.ts';

/**
 * For the hooks that build the demo district, log staff in (argon2) and drive many appeals: a few
 * seconds alone, but a minute on a machine busy with other suites.
 */
export const WORLD_TIMEOUT_MS = 120_000;

/** Every demo user who works on appeals, and the roles they hold (README.md). */
export const STAFF = [
  'district-dispatcher',
  'street-dispatcher',
  'street2-dispatcher',
  'community-worker',
  'station-worker',
  'grid-worker',
  'dept-handler',
  'mediator',
  'leader',
] as const;
export type StaffUser = (typeof STAFF)[number];

export const ROLE_OF: Record<StaffUser, string> = {
  'district-dispatcher': 'district_dispatcher',
  'street-dispatcher': 'subdistrict_dispatcher',
  'street2-dispatcher': 'subdistrict_dispatcher',
  'community-worker': 'community_staff',
  'station-worker': 'station_staff',
  'grid-worker': 'grid_worker',
  'dept-handler': 'department_handler',
  mediator: 'mediator',
  leader: 'leader',
};

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

export interface Created {
  id: string;
  trackingCode: string;
  /** The resident's 评价码 from the receipt (the resident files for themselves). */
  ratingToken: string;
}

/**
 * The demo district with its staff logged in, and the moves a test needs to put an appeal where
 * it wants it — all through the public HTTP API, as the console and the resident app would.
 */
export interface AppealWorld {
  h: Harness;
  token(user: string): string;
  as(user: string): Record<string, string>;
  /** A map pin inside the grid-worker's grid (光明街道 › 光明社区): every 光明 desk sees the appeal. */
  pin: { lng: number; lat: number };
  /** A category of the demo catalogue (井盖缺失). */
  manholeCode: string;
  dept: { urban: number; housing: number };
  submit(body?: Record<string, unknown>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  newAppeal(body?: Record<string, unknown>): Promise<Created>;
  /** The resident rates with their tracking code and 评价码 (another token to try a forgery). */
  rate(
    appeal: Created,
    score: string,
    comment?: string,
    ratingToken?: string,
  ): Promise<LightMyRequestResponse>;
  act(
    user: string,
    id: string,
    action: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** act() that must succeed; returns the updated appeal. */
  must(user: string, id: string, action: string, body?: unknown): Promise<Record<string, unknown>>;
  detail(user: string, id: string, query?: string): Promise<LightMyRequestResponse>;
  /** The detail with the contact in full, for a reason (POST: no link can trigger it). */
  reveal(user: string, id: string, reason?: string): Promise<LightMyRequestResponse>;
  track(code: string): Promise<LightMyRequestResponse>;
  /** A new appeal driven through the API into the given state. */
  driveTo(state: string): Promise<Created>;
  /** Moves the injected clock and logs everyone in again (sessions end after idle minutes). */
  setClock(at: string): Promise<void>;
}

export async function createAppealWorld(
  users: readonly string[] = STAFF,
  harness: Parameters<typeof createHarness>[0] = {},
): Promise<AppealWorld> {
  const h = await createHarness(harness);
  const tokens: Record<string, string> = {};
  const loginAll = async () => {
    for (const user of new Set([...users, 'district-dispatcher', 'dept-handler', 'grid-worker']))
      tokens[user] = await h.login(user);
  };
  await loginAll();
  const token = (user: string) => {
    const t = tokens[user];
    if (!t) throw new Error(`${user} is not logged in in this test file`);
    return t;
  };
  const as = (user: string) => bearer(token(user));

  const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: as('grid-worker') })).json().user;
  const grid = (await h.app.inject({ url: `/api/v1/orgs/${me.orgId}`, headers: as('grid-worker') })).json();
  const pin = pointInside(grid.boundary);
  const catalogue = JSON.stringify((await h.app.inject({ url: '/api/v1/public/categories' })).json());
  const manholeCode = catalogue.match(/"code":"([^"]+)","name":"井盖缺失[^"]*"/)?.[1];
  if (!manholeCode) throw new Error('the demo catalogue has no 井盖缺失');
  const departmentId = async (q: string) => {
    const found = await h.app.inject({
      url: `/api/v1/orgs?level=department&q=${encodeURIComponent(q)}`,
      headers: as('district-dispatcher'),
    });
    const id = found.json().items[0]?.id;
    if (!id) throw new Error(`no department matches ${q}`);
    return id as number;
  };
  const dept = { urban: await departmentId('城市管理'), housing: await departmentId('住房和建设') };

  const submit: AppealWorld['submit'] = (body = {}, headers = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers,
      payload: {
        channel: 'h5',
        categoryCode: manholeCode,
        content: '光明大道旁人行道上的井盖不见了，晚上很危险',
        location: { ...pin, address: '光明大道' },
        contact: { name: '张三', phone: '13812341234' },
        ...body,
      },
    });

  const newAppeal = async (body?: Record<string, unknown>) => {
    const response = await submit(body);
    if (response.statusCode !== 201) throw new Error(`submit: ${response.statusCode} ${response.body}`);
    const { id, trackingCode, ratingToken } = response.json();
    return { id, trackingCode, ratingToken } as Created;
  };

  const act: AppealWorld['act'] = (user, id, action, body = {}, headers = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/appeals/${id}/actions/${action}`,
      headers: { ...as(user), ...headers },
      payload: body as Record<string, unknown>,
    });

  const must: AppealWorld['must'] = async (user, id, action, body) => {
    const response = await act(user, id, action, body);
    if (response.statusCode !== 200)
      throw new Error(`${user} ${action}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  const steps: Record<string, [string, string, unknown][]> = {
    accepted: [['district-dispatcher', 'accept', {}]],
    rejected: [['district-dispatcher', 'reject', { reason: '不属于受理范围' }]],
    dispatched: [
      ['district-dispatcher', 'accept', {}],
      ['district-dispatcher', 'dispatch', { orgId: dept.urban }],
    ],
  };
  steps.claimed = [...steps.dispatched!, ['dept-handler', 'claim', {}]];
  steps.in_progress = [...steps.claimed, ['dept-handler', 'start', {}]];
  steps.resolved = [...steps.in_progress, ['dept-handler', 'resolve', { summary: '已更换井盖' }]];
  steps.verified = [...steps.resolved, ['grid-worker', 'verify', { passed: true, note: '现场已复核' }]];
  steps.closed = [...steps.verified, ['district-dispatcher', 'close', {}]];
  steps.returned = [...steps.dispatched!, ['dept-handler', 'return', { reason: '不属于本部门' }]];
  steps.reopened = [...steps.closed, ['district-dispatcher', 'reopen', { reason: '居民再次反映' }]];

  const driveTo = async (state: string) => {
    const appeal = await newAppeal();
    if (state === 'merged') {
      const target = await newAppeal();
      await must('district-dispatcher', appeal.id, 'merge', { intoId: target.id });
    } else if (state !== 'submitted') {
      const path = steps[state];
      if (!path) throw new Error(`no way to ${state}`);
      for (const [user, action, body] of path) await must(user, appeal.id, action, body);
    }
    return appeal;
  };

  return {
    h,
    token,
    as,
    pin,
    manholeCode,
    dept,
    submit,
    newAppeal,
    act,
    must,
    detail: (user, id, query = '') =>
      h.app.inject({ url: `/api/v1/appeals/${id}${query}`, headers: as(user) }),
    reveal: (user, id, reason) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/appeals/${id}/contact`,
        headers: as(user),
        payload: reason === undefined ? {} : { reason },
      }),
    track: (code) => h.app.inject({ url: `/api/v1/track/${code}` }),
    rate: (appeal, score, comment, ratingToken = appeal.ratingToken) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/track/${appeal.trackingCode}/rating`,
        payload: { score, comment, ratingToken },
      }),
    driveTo,
    async setClock(at) {
      h.clock.set(at);
      await loginAll();
    },
  };
}
