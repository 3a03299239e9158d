import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_ROLES, type Role } from '../src/platform/auth/roles.ts';
import { registerGuard } from '../src/platform/http/guard.ts';
import { bearer, createHarness, demoLoginBody } from './support/harness.ts';
import {
  ANONYMOUS,
  apiOperations,
  DEMO_USERS,
  key,
  type Operation,
  PUBLIC_ROUTES,
  toOpenApiPath,
  type Verdict,
  verdictOf,
} from './support/matrix.ts';

/*
 * The permission matrix: every route of the published API × every demo desk and an anonymous
 * caller, the expected answer read from the merged policy table and checked over HTTP. Nothing here
 * lists routes by hand except the public ones: a new module's routes join the matrix by existing.
 *
 * A let-through request must not change anything, so unsafe methods carry a body of the wrong
 * type (`[]`): the gate runs before validation, so an allowed caller meets a 400 and a refused one
 * the 403 naming the route's permission. Which *records* a caller reaches is
 * permission-scope.test.ts.
 */

const h = await createHarness();
afterAll(() => h.close());
const { documented, declared, heads, open311 } = await apiOperations(h.app);
const table = h.services.authorizer.table;

const tokens: Record<string, string> = {};
const roles: Record<string, Role[]> = {};
const samples: Record<string, string> = {};

beforeAll(async () => {
  for (const username of DEMO_USERS) {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: demoLoginBody(username, 'Demo-Passw0rd!', h.clock.now()),
    });
    expect(response.statusCode, `${username} logs in`).toBe(200);
    tokens[username] = response.json().token;
    roles[username] = response.json().user.roles;
  }
  // Ids the probes put in their paths: real records, so a let-through GET meets a real row. The
  // account is a throwaway, so unlocking it (a body-less unsafe call) disturbs no demo desk.
  const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokens.admin!) })).json().user;
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(tokens.security!),
    payload: { username: 'matrix-target', displayName: '矩阵测试', orgId: me.orgId, roles: ['leader'] },
  });
  expect(created.statusCode).toBe(201);
  const category = (
    await h.app.inject({ url: '/api/v1/categories?leaf=true&active=true', headers: bearer(tokens.admin!) })
  ).json().items[0];
  const station = (
    await h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(tokens.admin!) })
  ).json().items[0];
  const appeal = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: {
      channel: 'h5',
      categoryCode: category.code,
      content: '权限矩阵测试：小区门口路灯不亮',
      stationCode: station.code,
      contact: { name: '李四', phone: '13900001111' },
    },
  });
  expect(appeal.statusCode, appeal.body).toBe(201);
  Object.assign(samples, {
    'users:id': created.json().user.id,
    'orgs:id': String(me.orgId),
    'categories:id': String(category.id),
    'appeals:id': appeal.json().id,
    // An action no appeal has: a let-through caller meets 404 unknown_action, and nothing happens.
    'actions:action': 'matrix-probe',
    'track:code': appeal.json().trackingCode,
    lat: '22.765',
    lng: '113.938',
    // GET /api/v1/people/export: a person and the reason for looking them up.
    phone: '13900001111',
    reason: '权限矩阵测试',
    // GET /api/v1/mediation-sessions: a period of days.
    from: '2026-10-01',
    to: '2026-10-31',
    // GET /api/v1/patrols: a day.
    date: '2026-10-09',
  });
});

/** The path with every parameter filled: a sample by resource, else a well-formed value. */
function urlFor(op: Operation): string {
  let url = op.path;
  for (const param of op.pathParams) {
    const before = op.path.split(`{${param.name}}`)[0]!.split('/').filter(Boolean).at(-1);
    const value =
      samples[`${before}:${param.name}`] ??
      (param.type === 'integer' ? '1' : param.format === 'uuid' ? randomUUID() : 'x');
    url = url.replace(`{${param.name}}`, encodeURIComponent(value));
  }
  const query = op.requiredQuery.map((name) => `${name}=${encodeURIComponent(samples[name] ?? '1')}`);
  return query.length ? `${url}?${query.join('&')}` : url;
}

function expected(op: Operation, caller: string): Verdict {
  if (op.public) return 'allowed';
  if (caller === ANONYMOUS) return 'unauthenticated';
  const permission = table[op.permission!]!;
  return roles[caller]!.some((role) => permission.roles.includes(role)) ? 'allowed' : 'denied';
}

async function probe(op: Operation, caller: string): Promise<Verdict> {
  const request = {
    method: op.method as 'GET',
    url: urlFor(op),
    headers: caller === ANONYMOUS ? {} : bearer(tokens[caller]!),
    ...(op.method === 'GET' ? {} : { payload: [] }),
  };
  const strict = op.method === 'GET' && op.pathParams.length === 0;
  if (op.streams) {
    // An event stream never ends by itself: look at its head, then hang up.
    const response = await h.app.inject({ ...request, payloadAsStream: true });
    if (response.statusCode === 200) {
      response.stream().destroy();
      return 'allowed';
    }
  }
  return verdictOf(await h.app.inject(request), op.permission, strict);
}

describe('every API route declares who may call it', () => {
  test('the published document and the guard’s registry list the same routes', () => {
    const published = documented.map((op) => key(op.method, op.url)).sort();
    const registered = declared
      .filter((route) => route.url.startsWith('/api/'))
      .map((route) => key(route.method, route.url))
      .sort();
    // The only API route the document hides is the document itself.
    expect(registered.filter((k) => !published.includes(k))).toEqual(['GET /api/openapi.json']);
    expect(published.filter((k) => !registered.includes(k))).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(38);
    // Open311 GeoReport v2: seven operations, each in JSON and XML, all in the matrix below.
    expect(open311.map((op) => key(op.method, op.path)).sort()).toEqual(
      [
        'GET /open311/v2/discovery',
        'GET /open311/v2/services',
        'GET /open311/v2/services/{service_code}',
        'GET /open311/v2/requests',
        'GET /open311/v2/requests/{service_request_id}',
        'GET /open311/v2/tokens/{token}',
        'POST /open311/v2/requests',
      ]
        .flatMap((route) => [`${route}.json`, `${route}.xml`])
        .sort(),
    );
  });

  test('each route names a permission of the merged policy table, or is public for a stated reason', () => {
    const problems: string[] = [];
    for (const route of declared) {
      const name = key(route.method, toOpenApiPath(route.url));
      if (route.public) {
        if (!PUBLIC_ROUTES[name]) problems.push(`${name} is public but not listed with its reason`);
      } else if (!route.permission || !table[route.permission]) {
        problems.push(`${name} declares no known permission (${route.permission})`);
      }
    }
    expect(problems).toEqual([]);
    // A listed public route that no longer exists is a stale reason.
    const registered = declared.map((route) => key(route.method, toOpenApiPath(route.url)));
    expect(Object.keys(PUBLIC_ROUTES).filter((name) => !registered.includes(name))).toEqual([]);
  });

  test('a route without a policy stops the server from starting', async () => {
    const app = Fastify();
    registerGuard(app, { authenticate: h.services.auth.authenticate, authorizer: h.services.authorizer });
    app.register(async (plugin) => {
      plugin.post('/api/v1/forgotten', async () => ({}));
    });
    await expect(app.ready()).rejects.toThrow(/POST \/api\/v1\/forgotten declares no policy/);
    const typo = Fastify();
    registerGuard(typo, { authenticate: h.services.auth.authenticate, authorizer: h.services.authorizer });
    typo.register(async (plugin) => {
      plugin.get('/api/v1/typo', { config: { permission: 'appeals.raed' } }, async () => ({}));
    });
    await expect(typo.ready()).rejects.toThrow(/unknown permission appeals\.raed/);
  });

  test('HEAD answers with the policy of its GET', () => {
    const get = new Map(declared.map((r) => [key(r.method, r.url), r]));
    expect(heads.length).toBeGreaterThan(0);
    for (const head of heads) {
      const twin = get.get(key('GET', head.url));
      expect(twin && { permission: twin.permission, public: twin.public }).toEqual({
        permission: head.permission,
        public: head.public,
      });
    }
  });
});

describe('separation of duties holds in the policy table itself (三权分立)', () => {
  const allowedTo = (role: Role) =>
    Object.entries(table)
      .filter(([, permission]) => permission.roles.includes(role))
      .map(([name]) => name);

  test('the auditor holds the audit trail and their own session, nothing else', () => {
    expect(allowedTo('auditor').filter((name) => !/^audit\./.test(name) && name !== 'session.self')).toEqual(
      [],
    );
  });

  test('no admin role reaches appeals, figures, live events or case photos', () => {
    for (const role of ADMIN_ROLES) {
      expect(allowedTo(role).filter((name) => /^(appeals|stats|events|uploads)\./.test(name))).toEqual([]);
    }
  });

  test('only the security admin manages accounts; only the system admin configures', () => {
    const managers = (name: string) => table[name]?.roles ?? [];
    expect(managers('users.manage')).toEqual(['security_admin']);
    expect(managers('orgs.manage')).toEqual(['system_admin']);
    expect(managers('catalog.manage')).toEqual(['system_admin']);
    expect(allowedTo('security_admin').filter((name) => /\.manage$/.test(name))).toEqual(['users.manage']);
  });
});

// Ending one's session is the last probe: it logs each caller out.
const ordered = [...documented, ...open311].sort(
  (a, b) => Number(a.path === '/api/v1/auth/logout') - Number(b.path === '/api/v1/auth/logout'),
);

describe('the matrix: every route × every desk and an anonymous caller', () => {
  for (const op of ordered) {
    test(`${op.method} ${op.path} (${op.public ? 'public' : op.permission})`, async () => {
      const want: Record<string, Verdict> = {};
      const got: Record<string, Verdict> = {};
      for (const caller of [ANONYMOUS, ...DEMO_USERS]) {
        want[caller] = expected(op, caller);
        got[caller] = await probe(op, caller);
      }
      expect(got).toEqual(want);
    });
  }

  test('after the matrix, every session it ended is over', async () => {
    for (const username of DEMO_USERS) {
      const me = await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokens[username]!) });
      expect(me.statusCode, username).toBe(401);
    }
  });
});
