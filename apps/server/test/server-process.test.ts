import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_TOTP_SECRET, otpAt } from './support/demo-otp.ts';
import {
  type Child,
  createStore,
  removeDir,
  SERVER_BIN,
  type ServerProcess,
  type Store,
  spawnNode,
  startServer,
  stopAll,
  tempDir,
} from './support/processes.ts';
import { TEST_DATABASE_URL } from './support/test-db.ts';

// The real server as an operator starts it: `node apps/server/bin/server.mjs`, configured only
// through its environment, on a fresh data folder (PGlite) or a fresh database (TEST_DATABASE_URL).

const ON_POSTGRES = Boolean(TEST_DATABASE_URL);
const DEMO_PASSWORD = 'Proc-Demo-Passw0rd!';
const SLOW = 120_000;

const stores: Store[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const store of stores) await store.close();
  for (const dir of dirs) removeDir(dir);
});

async function newStore(): Promise<Store> {
  const store = await createStore();
  stores.push(store);
  return store;
}

async function login(server: ServerProcess, username: string, password: string) {
  const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { token?: string; error?: { code: string } },
  };
}

async function loginToken(server: ServerProcess, username: string, password: string): Promise<string> {
  const { status, body } = await login(server, username, password);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.token as string;
}

async function getJson(server: ServerProcess, url: string, token?: string) {
  const response = await fetch(`${server.baseUrl}${url}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/**
 * A login whose body arrives in two parts: the request is in flight on the server (headers
 * received, body pending) for as long as we wait between the parts.
 */
function splitLoginRequest(server: ServerProcess, password: string) {
  const body = JSON.stringify({ username: 'district-dispatcher', password });
  const half = Math.floor(body.length / 2);
  const request = http.request({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: '/api/v1/auth/login',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, half));
  return { response, finish: () => request.end(body.slice(half)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('a first start with DOORSTEP_DEMO_PASSWORD set', () => {
  let store: Store;
  let server: ServerProcess;

  beforeAll(async () => {
    store = await newStore();
    server = await startServer({
      ...store.env,
      DOORSTEP_DEMO_PASSWORD: DEMO_PASSWORD,
      DOORSTEP_DEMO_TOTP_SECRET: DEMO_TOTP_SECRET,
    });
  }, SLOW);

  test('answers /healthz and /readyz, and district-dispatcher sees the whole demo district', async () => {
    expect(await getJson(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await getJson(server, '/readyz');
    expect(ready).toEqual({
      status: 200,
      body: { status: 'ok', database: ON_POSTGRES ? 'postgres' : 'pglite' },
    });

    const token = await loginToken(server, 'district-dispatcher', DEMO_PASSWORD);
    const tree = await getJson(server, '/api/v1/orgs/tree', token);
    expect(tree.status).toBe(200);
    const counts = tree.body.counts as Record<string, number>;
    expect(counts).toMatchObject({ district: 1, subdistrict: 6, community: 31, station: 208 });
    expect(counts.grid).toBeGreaterThanOrEqual(600);
    expect(counts.department).toBeGreaterThanOrEqual(12);
    expect(server.stderr()).toMatch(/demo district loaded: \d+ org units/);
    // The password came from the environment, so it is neither printed nor written to a file.
    expect(server.stderr()).not.toContain(DEMO_PASSWORD);
    expect(existsSync(path.join(store.dataDir, 'demo-credentials.txt'))).toBe(false);
  });

  test.skipIf(ON_POSTGRES)(
    'a second server or a `doorstep migrate` on the same data folder stops with "in use", and the first keeps answering',
    async () => {
      const lockFile = path.join(store.dataDir, 'doorstep.lock');
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(server.pid));

      const second = spawnNode(SERVER_BIN, [], {
        ...store.env,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
      });
      const migrate = spawnNode(path.join(path.dirname(SERVER_BIN), 'doorstep.mjs'), ['migrate'], store.env);
      for (const child of [second, migrate] as Child[]) {
        const exit = await child.waitForExit(30_000);
        expect(exit.code, child.stderr()).toBe(1);
        expect(child.stderr()).toContain(store.dataDir);
        expect(child.stderr()).toMatch(/is in use by process \d+/);
        expect(child.stderr()).toContain(`process ${server.pid}`);
        expect(child.stderr()).not.toMatch(/^\s+at /m);
      }

      expect(server.isRunning()).toBe(true);
      expect((await getJson(server, '/readyz')).status).toBe(200);
      await loginToken(server, 'district-dispatcher', DEMO_PASSWORD);
      // The refused processes did not take or remove the first server's lock.
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(server.pid));
    },
    SLOW,
  );

  test(
    'SIGTERM lets a request in flight finish, then exits with code 0 (and frees the data folder)',
    async () => {
      const inFlight = splitLoginRequest(server, DEMO_PASSWORD);
      await sleep(500); // the server has the request's headers and waits for the rest of its body
      const startedAt = Date.now();
      server.process.kill('SIGTERM');
      await sleep(300); // the server is now shutting down
      expect(server.isRunning()).toBe(true);
      inFlight.finish();

      const answer = await inFlight.response;
      expect(answer.status, answer.body).toBe(200);
      expect(JSON.parse(answer.body).token).toEqual(expect.any(String));

      const exit = await server.waitForExit(10_000);
      expect(exit, server.stderr()).toEqual({ code: 0, signal: null });
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      if (!ON_POSTGRES) expect(existsSync(path.join(store.dataDir, 'doorstep.lock'))).toBe(false);
    },
    SLOW,
  );

  test.skipIf(ON_POSTGRES)(
    'a stale lock file left by a dead process does not block the next start',
    async () => {
      const lockFile = path.join(store.dataDir, 'doorstep.lock');
      let deadPid = 999_999;
      while (isAlive(deadPid)) deadPid++;
      writeFileSync(lockFile, String(deadPid));

      const restarted = await startServer({
        ...store.env,
        DOORSTEP_DEMO_PASSWORD: DEMO_PASSWORD,
        DOORSTEP_DEMO_TOTP_SECRET: DEMO_TOTP_SECRET,
      });
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(restarted.pid));
      await loginToken(restarted, 'district-dispatcher', DEMO_PASSWORD);
      expect(restarted.stderr()).not.toContain('demo district loaded');
      expect(await restarted.stop()).toEqual({ code: 0, signal: null });
      expect(existsSync(lockFile)).toBe(false);
    },
    SLOW,
  );
});

describe('a first start without DOORSTEP_DEMO_PASSWORD', () => {
  let store: Store;
  let server: ServerProcess;
  let password: string;
  let token: string;

  beforeAll(async () => {
    store = await newStore();
    server = await startServer(store.env);
  }, SLOW);

  test('prints a generated demo password once and writes it to demo-credentials.txt (0600); it logs in', async () => {
    const printed = /the demo users' password is (\S+)/.exec(server.stderr());
    expect(printed, server.stderr()).not.toBeNull();
    password = printed?.[1] as string;
    expect(occurrences(server.stderr(), password)).toBe(1);
    expect(server.stdout()).not.toContain(password);

    const credentials = path.join(store.dataDir, 'demo-credentials.txt');
    expect(mode(credentials)).toBe(0o600);
    expect(readFileSync(credentials, 'utf8')).toMatch(
      new RegExp(`^district-dispatcher\\t${escapeRegExp(password)}\\t`, 'm'),
    );

    token = await loginToken(server, 'district-dispatcher', password);
    expect((await getJson(server, '/api/v1/auth/me', token)).status).toBe(200);

    // No DOORSTEP_DEMO_TOTP_SECRET: the admin desks' one-time-code secret is generated into the
    // same file, never printed, and a code from it opens the security desk.
    const totpSecret = /^totp-secret\t([A-Z2-7]+)$/m.exec(readFileSync(credentials, 'utf8'))?.[1];
    expect(totpSecret).toBeDefined();
    expect(server.stderr()).not.toContain(totpSecret);
    const withoutCode = await login(server, 'security', password);
    expect([withoutCode.status, withoutCode.body.error?.code]).toEqual([401, 'otp_required']);
    const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'security', password, otp: otpAt(new Date(), totpSecret) }),
    });
    expect(response.status).toBe(200);
  });

  test('generates secrets.json (0600) and warns that DOORSTEP_SESSION_SECRET and DOORSTEP_DATA_KEY are not set', () => {
    const secrets = path.join(store.dataDir, 'secrets.json');
    expect(mode(secrets)).toBe(0o600);
    const stored = JSON.parse(readFileSync(secrets, 'utf8'));
    expect(stored).toEqual({ sessionSecret: expect.any(String), dataKey: expect.any(String) });
    expect(server.stderr()).toMatch(/warning: DOORSTEP_SESSION_SECRET and DOORSTEP_DATA_KEY not set/);
    // The secrets themselves never reach the log.
    expect(server.stderr()).not.toContain(stored.sessionSecret);
    expect(server.stderr()).not.toContain(stored.dataKey);
  });

  test(
    'after a restart nothing is seeded again, the password still works and an earlier token stays valid',
    async () => {
      const secretsBefore = readFileSync(path.join(store.dataDir, 'secrets.json'), 'utf8');
      expect(await server.stop()).toEqual({ code: 0, signal: null });

      server = await startServer(store.env);
      expect(server.stderr()).not.toContain('demo district loaded');
      expect(server.stderr()).not.toContain(password);
      expect(server.stderr()).not.toContain('newly generated');
      expect(server.stderr()).toMatch(/DOORSTEP_SESSION_SECRET and DOORSTEP_DATA_KEY not set/);
      expect(readFileSync(path.join(store.dataDir, 'secrets.json'), 'utf8')).toBe(secretsBefore);

      const me = await getJson(server, '/api/v1/auth/me', token);
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect((me.body.user as { username: string }).username).toBe('district-dispatcher');

      const fresh = await loginToken(server, 'district-dispatcher', password);
      const tree = await getJson(server, '/api/v1/orgs/tree', fresh);
      expect((tree.body.counts as Record<string, number>).subdistrict).toBe(6);
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    },
    SLOW,
  );
});

describe('a bad configuration stops start-up with a message naming the variable', () => {
  test.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://x'],
    ['DOORSTEP_LOCKOUT_THRESHOLD', '9'],
  ])(
    '%s=%s → exit code 1, no stack trace',
    async (name, value) => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      const child = spawnNode(SERVER_BIN, [], {
        DOORSTEP_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        [name]: value,
      });
      const exit = await child.waitForExit(30_000);
      const output = child.stdout() + child.stderr();
      expect(exit.code, output).toBe(1);
      expect(child.stderr()).toContain('cannot start: invalid configuration');
      expect(child.stderr()).toMatch(new RegExp(`^\\s+- ${name}\\b`, 'm'));
      expect(output).not.toMatch(/^\s+at /m);
      // Nothing was opened: the data folder stays empty.
      expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
    },
    60_000,
  );
});
