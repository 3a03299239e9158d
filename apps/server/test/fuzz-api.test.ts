import { writeFileSync } from 'node:fs';
import { ACTION_BODIES } from '@doorstep/contracts';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAppealWorld, STAFF, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { bearer } from './support/harness.ts';
import {
  assertProperty,
  BROKEN_PERCENT,
  errorModelProblem,
  FUZZ_CASES,
  FUZZ_REPORT,
  FUZZ_RUNS,
  FUZZ_SEED,
  fingerprint,
  hostileBody,
  hostileQuery,
  hostileString,
  hostileValue,
  MEGABYTE_STRING,
  urlPart,
} from './support/hostile.ts';
import { apiOperations, type Operation } from './support/matrix.ts';
import { createKey, FORM, V2 } from './support/open311.ts';
import { multipart } from './support/uploads.ts';

/*
 * Hostile input against every route of the published API (issue #9 item 6). For each operation,
 * a caller the gate lets through sends fast-check's bodies, queries and path parameters: SQL and
 * template injection, RTL marks, zero-width and NUL characters, lone surrogates, 1 MB strings,
 * wrong types, impossible coordinates. The answer is never a 5xx; a 4xx carries the error model
 * and leaves the database as it was (no partial write). Which callers a route refuses is the
 * permission matrix's job; here the gate is only the door to the code behind it.
 */

const world = await createAppealWorld();
const { h } = world;
afterAll(() => h.close());

const doc = (await h.app.inject({ url: '/api/openapi.json' })).json() as {
  paths: Record<string, Record<string, OpenApiOperation>>;
};
type OpenApiOperation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};
const { documented, open311 } = await apiOperations(h.app);

const tokens: Record<string, string> = {};
const rolesOf: Record<string, string[]> = {};
const samples: Record<string, string> = {};
let open311Key = '';

// Who tries each route, in this order: the first whose roles the route's permission names. The
// session routes go to the leader's desk, which no other step of this file depends on.
const CALLERS = ['leader', 'district-dispatcher', 'admin', 'security', 'auditor', ...STAFF];

beforeAll(async () => {
  for (const user of new Set(CALLERS)) {
    tokens[user] = STAFF.includes(user as never) ? world.token(user) : await h.login(user);
    const me = await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokens[user]!) });
    rolesOf[user] = me.json().user.roles;
  }
  // Records the probes aim at: throwaways, so a let-through write disturbs no other step.
  const target = await h.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(tokens.security!),
    payload: {
      username: 'fuzz-target',
      displayName: '模糊测试',
      orgId: world.dept.housing,
      roles: ['leader'],
    },
  });
  expect(target.statusCode, target.body).toBe(201);
  const categories = (
    await h.app.inject({ url: '/api/v1/categories?leaf=true&active=true', headers: bearer(tokens.admin!) })
  ).json().items as { id: number; code: string }[];
  const appeal = await world.newAppeal();
  Object.assign(samples, {
    'users:id': target.json().user.id,
    'orgs:id': String(world.dept.housing),
    'categories:id': String(categories.find((c) => c.code !== world.manholeCode)!.id),
    'appeals:id': appeal.id,
    'track:code': appeal.trackingCode,
    'notices:id': appeal.id,
    phone: '13812341234',
    reason: '模糊测试',
  });
  open311Key = await createKey(h, 'fuzz');
}, WORLD_TIMEOUT_MS);

const table = () => h.services.authorizer.table;

function callerFor(op: Operation): string | null {
  if (op.public) return null;
  const allowed = table()[op.permission!]!.roles as string[];
  return CALLERS.find((user) => rolesOf[user]!.some((role) => allowed.includes(role))) ?? null;
}

function bodyProperties(op: Operation): string[] {
  const requestBody = doc.paths[op.path]![op.method.toLowerCase()]!.requestBody;
  return Object.keys(requestBody?.content?.['application/json']?.schema?.properties ?? {});
}

function queryNames(op: Operation): string[] {
  const parameters = doc.paths[op.path]![op.method.toLowerCase()]!.parameters ?? [];
  return parameters.filter((p) => p.in === 'query').map((p) => p.name);
}

/** The path with a sample record's id, or a hostile value already in URL form, in each parameter. */
function pathFor(op: Operation, hostile: string | null, action: string): string {
  let url = op.path;
  for (const param of op.pathParams) {
    const before = op.path.split(`{${param.name}}`)[0]!.split('/').filter(Boolean).at(-1);
    const value =
      param.name === 'action' ? action : (hostile ?? urlPart(samples[`${before}:${param.name}`] ?? 'x'));
    url = url.replace(`{${param.name}}`, value);
  }
  return url;
}

/** One request: never a 5xx; a 4xx with the error model and not one row changed. */
async function expectHarmless(
  label: string,
  request: InjectOptions,
  options: { errorModel?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const before = await fingerprint(h.testDb.db);
  cases++;
  const response = await h.app.inject(request);
  const status = response.statusCode;
  const context = `${label} → ${status} ${response.body.slice(0, 300)}`;
  expect(status, context).toBeLessThan(500);
  if (status >= 400) {
    if (options.errorModel ?? true) expect(errorModelProblem(response), context).toBeNull();
    expect(await fingerprint(h.testDb.db), `${context}: a refused request changed the database`).toBe(before);
  }
  return response;
}

const fuzzed = documented.filter(
  (op) => !op.streams && !(op.method === 'POST' && op.path === '/api/v1/auth/logout'),
);
const ACTIONS = Object.keys(ACTION_BODIES);
const ACTION_FIELDS = [
  ...new Set(Object.values(ACTION_BODIES).flatMap((schema) => Object.keys(schema.properties))),
];
const short = hostileString.filter((s) => s.length < 2000);
const INTAKE_WEIGHT = 6;
const OPEN311_POST_WEIGHT = 4;
const open311Gets = open311.filter((op) => op.method === 'GET');
/** Cases per run of every property together: one per route, and the multiplied ones below. */
const CASES_PER_RUN = fuzzed.length + open311Gets.length + INTAKE_WEIGHT + 1 + OPEN311_POST_WEIGHT;
const RUNS = FUZZ_CASES ? Math.max(1, Math.ceil(FUZZ_CASES / CASES_PER_RUN)) : FUZZ_RUNS;
const property = { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true };
/** A property's time: CI's few runs take seconds; a campaign's share may take many minutes. */
const TIMEOUT_MS = FUZZ_CASES ? 6 * 3600_000 : 120_000;
let cases = 0;
afterAll(() => {
  if (FUZZ_REPORT)
    writeFileSync(FUZZ_REPORT, JSON.stringify({ seed: FUZZ_SEED, runsPerProperty: RUNS, cases }));
});

describe('every route survives hostile input', () => {
  test('the fuzzed operations cover the published API', () => {
    expect(fuzzed.length).toBeGreaterThanOrEqual(40);
  });

  for (const op of fuzzed) {
    test(`${op.method} ${op.path}`, { timeout: TIMEOUT_MS }, async () => {
      const caller = callerFor(op);
      const actionBody = op.path.endsWith('/actions/{action}');
      const fields = actionBody ? ACTION_FIELDS : bodyProperties(op);
      const input = fc.record({
        body: hostileBody(fields),
        query: fc.option(hostileQuery(queryNames(op)), { freq: 2 }),
        // Mostly a real record's id, so the body reaches the code behind the lookup.
        pathValue: fc.option(fc.oneof(short.map(urlPart), fc.constantFrom(...BROKEN_PERCENT)), { freq: 3 }),
        action: fc.oneof(fc.constantFrom(...ACTIONS), short.map(urlPart), fc.constantFrom(...BROKEN_PERCENT)),
      });
      await assertProperty(
        fc.asyncProperty(input, async ({ body, query, pathValue, action }) => {
          const url = pathFor(op, op.pathParams.length ? pathValue : null, action);
          await expectHarmless(`${op.method} ${url}`, {
            method: op.method as 'GET',
            url: query ? `${url}?${query}` : url,
            headers: caller ? bearer(tokens[caller]!) : {},
            ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: body as object }),
          });
        }),
        property,
      );
    });
  }
});

describe('resident intake with one field gone wrong', () => {
  const valid = () => ({
    channel: 'h5',
    categoryCode: world.manholeCode,
    content: '光明大道旁人行道上的井盖不见了，晚上很危险',
    location: { ...world.pin, address: '光明大道' },
    contact: { name: '张三', phone: '13812341234' },
  });
  const FIELDS = [
    'channel',
    'categoryCode',
    'title',
    'content',
    'location',
    'contact',
    'anonymous',
    'attachments',
    'accusedOrgId',
    'attributes',
    'stationCode',
  ];
  const mutation = fc.record({
    field: fc.constantFrom(...FIELDS),
    nested: fc.constantFrom(null, 'name', 'phone', 'lng', 'lat', 'address'),
    value: hostileValue,
  });

  test('any one hostile field: a 201 for what is acceptable, else a 4xx and nothing stored', {
    timeout: TIMEOUT_MS,
  }, async () => {
    await assertProperty(
      fc.asyncProperty(mutation, fc.boolean(), async ({ field, nested, value }, asStaff) => {
        const body: Record<string, unknown> = valid();
        const inside = body[field];
        if (nested && inside && typeof inside === 'object')
          (inside as Record<string, unknown>)[nested] = value;
        else body[field] = value;
        const response = await expectHarmless(`intake ${field}${nested ? `.${nested}` : ''}`, {
          method: 'POST',
          url: '/api/v1/appeals',
          headers: asStaff ? world.as('district-dispatcher') : {},
          payload: body,
        });
        if (response.statusCode === 201) {
          // Whatever was accepted reads back as JSON a browser can take, through the tracking code.
          const tracked = await world.track(response.json().trackingCode);
          expect(tracked.statusCode).toBe(200);
          expect(() => tracked.json()).not.toThrow();
        }
      }),
      { ...property, numRuns: RUNS * INTAKE_WEIGHT },
    );
  });

  test('a body over the 1 MiB limit is refused whole with 413', async () => {
    await expectHarmless('2 MB body', {
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { ...valid(), content: MEGABYTE_STRING + MEGABYTE_STRING },
    });
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { ...valid(), content: MEGABYTE_STRING + MEGABYTE_STRING },
    });
    expect(response.statusCode).toBe(413);
  });

  test('malformed JSON, deep nesting and the wrong content type get a 4xx', async () => {
    const raw = (payload: string, contentType = 'application/json') => ({
      method: 'POST' as const,
      url: '/api/v1/appeals',
      headers: { 'content-type': contentType },
      payload,
    });
    for (const [label, request, status] of [
      ['truncated JSON', raw('{"channel":"h5","content":'), 400],
      ['a lone brace', raw('{'), 400],
      ['NaN literal', raw('{"accusedOrgId":NaN}'), 400],
      ['prototype key', raw('{"__proto__":{"isAdmin":true}}'), 400],
      ['deep nesting', raw(`${'['.repeat(50_000)}${']'.repeat(50_000)}`), 400],
      // Fastify reads text/plain as a string: the schema then refuses a body that is no object.
      // Text no column can hold: refused at the edge, naming where (text-hygiene.ts).
      ['NUL in a string', raw('{"channel":"h5","content":"井盖\\u0000丢了"}'), 400],
      ['lone surrogate', raw('{"channel":"h5","title":"\\ud800"}'), 400],
      ['lone surrogate in a key', raw('{"attributes":{"\\udc00":1}}'), 400],
      ['plain text', raw('井盖丢了', 'text/plain'), 400],
      ['XML', raw('<appeal/>', 'application/xml'), 415],
      ['empty JSON body', raw('', 'application/json'), 400],
    ] as const) {
      const response = await expectHarmless(label, request);
      expect(response.statusCode, `${label}: ${response.body}`).toBe(status);
      if (label.startsWith('NUL') || label.startsWith('lone'))
        expect(response.json().error.details.issues[0].path).toMatch(/^\/(content|title|attributes\/.+)$/);
    }
  });
});

describe('uploads and Open311 under hostile input', () => {
  test('random bytes under any claimed type and file name are refused, nothing kept', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const part = fc.record({
      bytes: fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)),
      filename: hostileString.filter((s) => s.length < 200 && !/["\r\n]/.test(s)),
      contentType: fc.constantFrom(
        'image/jpeg',
        'image/png',
        'application/pdf',
        'text/html',
        'image/svg+xml',
      ),
      field: fc.constantFrom('file', 'photo', ''),
    });
    await assertProperty(
      fc.asyncProperty(part, async ({ bytes, filename, contentType, field }) => {
        const body = multipart([{ field, filename, contentType, bytes }]);
        const response = await expectHarmless(`upload ${contentType} ${bytes.length} B`, {
          method: 'POST',
          url: '/api/v1/uploads',
          ...body,
        });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }),
      property,
    );
  });

  test('a GeoReport v2 request with hostile fields never fails the server or half-stores', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const FIELDS = [
      'service_code',
      'lat',
      'long',
      'address_string',
      'description',
      'first_name',
      'last_name',
      'phone',
      'email',
      'media_url',
      'attribute[cover_type]',
      'device_id',
      'account_id',
    ];
    const value = fc.oneof(short.map(urlPart), fc.constantFrom(...BROKEN_PERCENT));
    const fields = fc.dictionary(fc.constantFrom(...FIELDS), value, { minKeys: 1 });
    await assertProperty(
      fc.asyncProperty(fields, fc.boolean(), async (values, withKey) => {
        await expectHarmless(
          `open311 ${Object.keys(values).join(',')}`,
          {
            method: 'POST',
            url: `${V2}/requests.json`,
            headers: FORM,
            payload: Object.entries({ ...(withKey ? { api_key: open311Key } : {}), ...values })
              .map(([name, v]) => `${urlPart(name)}=${v}`)
              .join('&'),
          },
          // GeoReport v2 answers errors in its own shape, a list of { code, description }.
          { errorModel: false },
        );
      }),
      { ...property, numRuns: RUNS * OPEN311_POST_WEIGHT },
    );
  });

  for (const op of open311Gets) {
    test(`${op.method} ${op.path}: hostile ids and filters get the spec's error, never a 5xx`, {
      timeout: TIMEOUT_MS,
    }, async () => {
      const QUERY = [
        'service_request_id',
        'service_code',
        'start_date',
        'end_date',
        'status',
        'page',
        'page_size',
        'extensions',
        'jurisdiction_id',
      ];
      const value = fc.oneof(short.map(urlPart), fc.constantFrom(...BROKEN_PERCENT));
      const input = fc.record({ pathValue: value, query: fc.dictionary(fc.constantFrom(...QUERY), value) });
      await assertProperty(
        fc.asyncProperty(input, async ({ pathValue, query }) => {
          const path = op.path.replace(/\{[^}]+\}/g, pathValue);
          const search = Object.entries(query)
            .map(([name, v]) => `${name}=${v}`)
            .join('&');
          await expectHarmless(
            `${op.method} ${path}`,
            { url: search ? `${path}?${search}` : path },
            { errorModel: false },
          );
        }),
        property,
      );
    });
  }
});
