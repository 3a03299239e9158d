import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import type { RateLimitOptions } from '../src/platform/rate-limit/index.ts';
import { bearer, createHarness, DEMO_PASSWORD, type Harness } from './support/harness.ts';
import { freePort } from './support/processes.ts';
import { multipart, phonePhoto } from './support/uploads.ts';

/*
 * The public doors — login, intake, uploads, tracking — hold against a script hammering them from
 * one address or with one phone number, while a hall's kiosk network is trusted and staff with a
 * session file calls freely. Limits are small here so the stories stay short.
 */

const LIMITS: RateLimitOptions = {
  trustedNetworks: ['10.8.0.0/16'],
  overrides: {
    login: { max: 3, windowMs: 60_000 },
    intake: { max: 4, windowMs: 600_000 },
    'intake-phone': { max: 2, windowMs: 3_600_000 },
    uploads: { max: 2, windowMs: 600_000 },
    tracking: { max: 5, windowMs: 60_000 },
  },
};

let h: Harness;
let category: string;
let station: string;
let dispatcher: string;

beforeAll(async () => {
  h = await createHarness({ app: { rateLimits: LIMITS } });
  dispatcher = await h.login('district-dispatcher');
  const catalogue = JSON.stringify((await h.app.inject({ url: '/api/v1/public/categories' })).json());
  category = catalogue.match(/"code":"([^"]+)","name":"井盖缺失[^"]*"/)![1]!;
  station = (
    await h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(dispatcher) })
  ).json().items[0].code;
});
afterAll(() => h?.close());

const appeal = (phone: string, extra: Record<string, unknown> = {}) => ({
  channel: 'h5',
  categoryCode: category,
  content: '小区门口井盖缺失，夜里很危险',
  stationCode: station,
  contact: { name: '王五', phone },
  ...extra,
});

function submit(app: FastifyInstance, remoteAddress: string, phone: string, headers = {}, extra = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    remoteAddress,
    headers,
    payload: appeal(phone, extra),
  });
}

function login(remoteAddress: string, password = 'wrong-Passw0rd') {
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    payload: { username: 'leader', password },
  });
}

describe('login', () => {
  test('a password-guessing script is stopped at the address with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await login('198.51.100.7')).statusCode).toBe(401);
    const refused = await login('198.51.100.7', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('try again'),
        details: { limit: 'login', retryAfterSeconds: expect.any(Number) },
      },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is unaffected; once the window has passed, the first one may try again.
    expect((await login('198.51.100.8', DEMO_PASSWORD)).statusCode).toBe(200);
    h.clock.advance(61_000);
    expect((await login('198.51.100.7', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  test('the counters hold an HMAC of the address, never the address', async () => {
    const rows = await h.services.db.many<{ key: string }>('SELECT key FROM rate_limit');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.key).join(' ')).not.toMatch(/198\.51|13[0-9]{9}/);
  });
});

describe('public intake', () => {
  test('one phone number files two appeals an hour, however it is written and wherever it comes from', async () => {
    expect((await submit(h.app, '203.0.113.1', '13700001111')).statusCode).toBe(201);
    expect((await submit(h.app, '203.0.113.2', '+86 137 0000 1111')).statusCode).toBe(201);
    const third = await submit(h.app, '203.0.113.3', '137-0000-1111');
    expect(third.statusCode).toBe(429);
    expect(third.json().error.details.limit).toBe('intake-phone');
    expect((await submit(h.app, '203.0.113.3', '13700002222')).statusCode).toBe(201);
  });

  test('one address files four appeals in ten minutes, whatever the phone numbers', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await submit(h.app, '203.0.113.50', `1360000${1000 + i}`)).statusCode).toBe(201);
    }
    const fifth = await submit(h.app, '203.0.113.50', '13600009999');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.details.limit).toBe('intake');
  });

  test('a refused appeal is not stored', async () => {
    const before = await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal');
    expect((await submit(h.app, '203.0.113.50', '13600008888')).statusCode).toBe(429);
    const after = await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal');
    expect(after!.n).toBe(before!.n);
  });

  test('the kiosks of a trusted hall network pass the address limit, not the phone limit', async () => {
    for (let i = 0; i < 6; i++) {
      expect((await submit(h.app, '10.8.3.4', `1350000${1000 + i}`)).statusCode).toBe(201);
    }
    expect((await submit(h.app, '10.8.3.4', '13500001000')).statusCode).toBe(201);
    expect((await submit(h.app, '10.8.3.4', '13500001000')).statusCode).toBe(429);
  });

  test('a hotline desk with a session is not limited: it files what callers report', async () => {
    for (let i = 0; i < 6; i++) {
      const filed = await submit(h.app, '203.0.113.50', '13400001111', bearer(dispatcher), {
        channel: 'hotline',
      });
      expect(filed.statusCode, filed.body).toBe(201);
    }
  });

  test('all requests at once: exactly the limit gets through (one atomic counter)', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => submit(h.app, '203.0.113.99', `1330000${1000 + i}`)),
    );
    const statuses = replies.map((reply) => reply.statusCode).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8);
  });
});

describe('uploads and tracking', () => {
  test('an address uploads two photos per window; staff are not counted', async () => {
    const form = multipart([
      { field: 'file', filename: 'a.jpg', contentType: 'image/jpeg', bytes: await phonePhoto() },
    ]);
    const upload = (headers: Record<string, string> = {}) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/uploads',
        remoteAddress: '192.0.2.10',
        headers: { ...form.headers, ...headers },
        payload: form.payload,
      });
    expect((await upload()).statusCode).toBe(201);
    expect((await upload()).statusCode).toBe(201);
    expect((await upload()).statusCode).toBe(429);
    expect((await upload(bearer(dispatcher))).statusCode).toBe(201);
  });

  test('guessing tracking codes is cut off after five look-ups; rating counts too', async () => {
    const look = (code: string) =>
      h.app.inject({ url: `/api/v1/track/${code}`, remoteAddress: '192.0.2.20' });
    for (const code of ['AAAA-AAAA-A1', 'AAAA-AAAA-A2', 'AAAA-AAAA-A3', 'AAAA-AAAA-A4']) {
      expect((await look(code)).statusCode).toBe(404);
    }
    const rating = await h.app.inject({
      method: 'POST',
      url: '/api/v1/track/AAAA-AAAA-A5/rating',
      remoteAddress: '192.0.2.20',
      payload: { score: 'satisfied', ratingToken: 'AAAA-AAAA' },
    });
    expect(rating.statusCode).toBe(404);
    expect((await look('AAAA-AAAA-A6')).statusCode).toBe(429);
  });
});

describe('shared by every app process', () => {
  test('a second app on the same database sees the first one’s counts', async () => {
    const second = await buildApp({ services: h.services, rateLimits: LIMITS });
    await second.ready();
    try {
      for (let i = 0; i < 2; i++)
        expect((await submit(h.app, '203.0.113.70', `1320000${1000 + i}`)).statusCode).toBe(201);
      for (let i = 2; i < 4; i++)
        expect((await submit(second, '203.0.113.70', `1320000${1000 + i}`)).statusCode).toBe(201);
      expect((await submit(h.app, '203.0.113.70', '13200009999')).statusCode).toBe(429);
      expect((await submit(second, '203.0.113.70', '13200009998')).statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });
});

describe('configuration', () => {
  test('trusted networks, limits and Redis are parsed once and a bad value names the variable', () => {
    const config = loadConfig(
      {
        DOORSTEP_TRUSTED_NETWORKS: '10.8.0.0/16, 192.0.2.7, fd00::/8',
        DOORSTEP_RATE_LIMITS: 'intake=50/10m,tracking=200/1m',
        REDIS_URL: 'redis://127.0.0.1:6379/0',
      },
      '/tmp',
    );
    expect(config.trustedNetworks).toEqual(['10.8.0.0/16', '192.0.2.7', 'fd00::/8']);
    expect(config.rateLimits).toEqual({
      intake: { max: 50, windowMs: 600_000 },
      tracking: { max: 200, windowMs: 60_000 },
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(loadConfig({}, '/tmp').trustedNetworks).toEqual([]);
    for (const [name, value] of [
      ['DOORSTEP_TRUSTED_NETWORKS', '10.8.0.0/33'],
      ['DOORSTEP_TRUSTED_NETWORKS', 'kiosk-lan'],
      ['DOORSTEP_RATE_LIMITS', 'intake=lots'],
      ['DOORSTEP_RATE_LIMITS', 'signup=5/1m'],
      ['REDIS_URL', 'localhost:6379'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }, '/tmp'), `${name}=${value}`).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value }, '/tmp')).toThrow(name);
    }
  });
});

// With REDIS_URL the counters live in Redis (the plugin's own store). Run against a throwaway
// redis-server when this machine has one; TEST_REDIS_URL points at another.
const REDIS_BINARY = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) =>
  existsSync(path),
);
describe.skipIf(!process.env.TEST_REDIS_URL && !REDIS_BINARY)('with Redis', () => {
  let redisUrl: string;
  let redis: ChildProcess | null = null;
  beforeAll(async () => {
    if (process.env.TEST_REDIS_URL) {
      redisUrl = process.env.TEST_REDIS_URL;
      return;
    }
    const port = await freePort();
    redis = spawn(REDIS_BINARY!, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    redisUrl = `redis://127.0.0.1:${port}/0`;
    await waitForPort(port);
  });
  afterAll(() => {
    redis?.kill();
  });

  test('two app processes count in Redis together, and nothing is written to rate_limit', async () => {
    const options = { ...LIMITS, redisUrl };
    const [one, two] = [
      await buildApp({ services: h.services, rateLimits: options }),
      await buildApp({ services: h.services, rateLimits: options }),
    ];
    await Promise.all([one.ready(), two.ready()]);
    try {
      const rowsBefore = await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM rate_limit');
      const look = (app: FastifyInstance) =>
        app.inject({ url: '/api/v1/track/BBBB-BBBB-B1', remoteAddress: '192.0.2.77' });
      for (let i = 0; i < 3; i++) expect((await look(one)).statusCode).toBe(404);
      for (let i = 0; i < 2; i++) expect((await look(two)).statusCode).toBe(404);
      expect((await look(one)).statusCode).toBe(429);
      expect((await look(two)).statusCode).toBe(429);
      const rowsAfter = await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM rate_limit');
      expect(rowsAfter!.n).toBe(rowsBefore!.n);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
