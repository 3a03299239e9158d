import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from './support/harness.ts';
import {
  createStore,
  removeDir,
  type ServerProcess,
  type Store,
  startServer,
  stopAll,
  tempDir,
} from './support/processes.ts';
import { openStream } from './support/sse.ts';
import { TEST_DATABASE_URL } from './support/test-db.ts';

/*
 * Two app processes on one PostgreSQL, as a district runs them behind a load balancer: nothing a
 * request or a job needs may live in one process's memory. PGlite is one process by design (its
 * data folder is locked), so this file runs on the PostgreSQL pass of CI only.
 */

const sharedEnv = {
  DOORSTEP_SESSION_SECRET: randomBytes(32).toString('hex'),
  DOORSTEP_DATA_KEY: randomBytes(32).toString('hex'),
  DOORSTEP_DEMO_PASSWORD: DEMO_PASSWORD,
  // Small, so the test reaches it: six lookups a minute per address, counted in the database.
  DOORSTEP_RATE_LIMITS: 'tracking=6/1m',
};

let store: Store;
let secondDir: string;
let a: ServerProcess;
let b: ServerProcess;

async function login(server: ServerProcess, username: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const body = (await response.json()) as { token?: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.token!;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function fileHotlineAppeal(server: ServerProcess, token: string, n: number): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/appeals`, {
    method: 'POST',
    headers: { ...auth(token), 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'hotline', content: `多节点测试诉求 第${n}件：小区路灯不亮` }),
  });
  const body = (await response.json()) as { id?: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.id!;
}

describe.skipIf(!TEST_DATABASE_URL)('two app processes on one PostgreSQL', () => {
  beforeAll(async () => {
    store = await createStore();
    secondDir = tempDir();
    // One after the other: the first applies the migrations and seeds the demo district.
    a = await startServer({ ...store.env, ...sharedEnv });
    b = await startServer({ ...store.env, ...sharedEnv, DOORSTEP_DATA_DIR: secondDir });
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await store?.close();
    if (secondDir) removeDir(secondDir);
  });

  test('a session opened on A works on B, and a logout on B ends it on A', async () => {
    const token = await login(a, 'district-dispatcher');
    const onB = await fetch(`${b.baseUrl}/api/v1/auth/me`, { headers: auth(token) });
    expect(onB.status).toBe(200);
    expect(((await onB.json()) as { user: { username: string } }).user.username).toBe('district-dispatcher');

    const logout = await fetch(`${b.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: auth(token) });
    expect(logout.status).toBeLessThan(300);
    expect((await fetch(`${a.baseUrl}/api/v1/auth/me`, { headers: auth(token) })).status).toBe(401);
  });

  test('an event stream on B hears of an appeal filed on A', async () => {
    const listener = await login(b, 'district-dispatcher');
    const stream = await openStream(`${b.baseUrl}/api/v1/events`, auth(listener));
    try {
      expect(stream.status).toBe(200);
      const id = await fileHotlineAppeal(a, await login(a, 'district-dispatcher'), 0);
      const heard = await stream.waitFor((m) => m.data.includes(`"appealId":"${id}"`), 10_000);
      expect(JSON.parse(heard.data)).toMatchObject({ type: 'appeal.created', appealId: id });
    } finally {
      stream.close();
    }
  });

  test('a rate limit counts the requests both processes served', async () => {
    const track = (server: ServerProcess) => fetch(`${server.baseUrl}/api/v1/track/ABCD-EFGH-JK`);
    // Three on each: neither process alone is near six, together they use the whole allowance.
    for (const server of [a, b, a, b, a, b]) expect((await track(server)).status).toBe(404);
    for (const server of [a, b]) {
      const refused = await track(server);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    }
  });

  test('a job runs exactly once, whichever process takes it', { timeout: 90_000 }, async () => {
    const tokens = [await login(a, 'district-dispatcher'), await login(b, 'district-dispatcher')];
    const servers = [a, b];
    const ids: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const filed = await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          fileHotlineAppeal(servers[k % 2]!, tokens[k % 2]!, batch * 8 + k),
        ),
      );
      ids.push(...filed);
    }
    const db = store.testDb!.db;
    // Every accept deadline falls due at once, and forty more checks per appeal beside it: both
    // processes' job runners (one poll each 2 s) race for 1,640 due jobs for several seconds.
    await db.transaction(async (tx) => {
      await tx.query(
        "UPDATE job SET run_at = now() WHERE kind = 'appeal.accept_overdue' AND payload->>'appealId' = ANY ($1::text[])",
        [ids],
      );
      await tx.query(
        `INSERT INTO job (kind, payload, run_at, created_at)
         SELECT 'appeal.accept_overdue', jsonb_build_object('appealId', id), now(), now()
           FROM unnest($1::text[]) AS id, generate_series(1, 40)`,
        [ids],
      );
    });
    type JobRow = { attempts: number; done: boolean; failed: boolean; worker: string | null };
    let jobs: JobRow[] = [];
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      jobs = await db.many<JobRow>(
        `SELECT attempts, done_at IS NOT NULL AS done, failed_at IS NOT NULL AS failed, locked_by AS worker
           FROM job WHERE kind = 'appeal.accept_overdue' AND payload->>'appealId' = ANY ($1::text[])`,
        [ids],
      );
    } while (jobs.some((job) => !job.done) && Date.now() < deadline);

    expect(jobs).toHaveLength(ids.length * 41);
    expect(jobs.filter((job) => !job.done || job.failed)).toEqual([]);
    // Claimed once each: a second claim would have counted a second attempt.
    expect(jobs.filter((job) => job.attempts !== 1)).toEqual([]);
    // Both processes took part (a worker id is host:pid:random).
    const pids = new Set(jobs.map((job) => job.worker?.split(':')[1]));
    expect([...pids].sort()).toEqual([String(a.pid), String(b.pid)].sort());
    const overdue = await db.many<{ n: number }>(
      `SELECT count(*)::int AS n FROM journal WHERE action = 'appeal.overdue' AND subject_id = ANY ($1::text[])
        GROUP BY subject_id`,
      [ids],
    );
    expect(overdue).toHaveLength(ids.length);
    expect(overdue.every((row) => row.n === 1)).toBe(true);
  });
});
