import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import {
  createStore,
  type Env,
  jsonOutput,
  removeDir,
  runCli,
  type ServerProcess,
  type Store,
  startServer,
  stopAll,
  tempDir,
} from './support/processes.ts';
import { createTestDb, TEST_DATABASE_URL, type TestDb } from './support/test-db.ts';

// `doorstep backup FILE` and `doorstep restore FILE` through the real CLI: a round trip must bring
// back every row of every table and the same head hash of every journal stream.

const ON_POSTGRES = Boolean(TEST_DATABASE_URL);
const SLOW = 180_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  await stopAll();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Target {
  env: Env;
  dataDir: string;
  databaseUrl: string | null;
}

/** An empty installation: a new data folder and, on PostgreSQL, a new database without migrations. */
async function emptyTarget(): Promise<Target> {
  const dataDir = tempDir();
  cleanups.push(() => removeDir(dataDir));
  let testDb: TestDb | null = null;
  if (ON_POSTGRES) {
    testDb = await createTestDb({ migrated: false });
    cleanups.push(() => testDb?.close());
  }
  const databaseUrl = testDb?.url ?? null;
  return {
    dataDir,
    databaseUrl,
    env: { DOORSTEP_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? undefined },
  };
}

interface Snapshot {
  rows: Record<string, number>;
  heads: Record<string, string>;
}

async function snapshot(target: Target): Promise<Snapshot> {
  const database = await openDatabase(target);
  try {
    const tables = await database.db.many<{ name: string }>(
      // UNLOGGED tables (rate-limit counters) are transient by design and left out of backups.
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p' ORDER BY 1`,
    );
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const row = await database.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
      rows[name] = row?.n ?? -1;
    }
    const heads: Record<string, string> = {};
    const last = await database.db.many<{ stream: string; hash: string }>(
      'SELECT DISTINCT ON (stream) stream, hash FROM journal ORDER BY stream, seq DESC',
    );
    for (const { stream, hash } of last) heads[stream] = hash;
    return { rows, heads };
  } finally {
    await database.close();
  }
}

let phone = 0;
async function submit(server: ServerProcess): Promise<number> {
  const n = phone++;
  const response = await fetch(`${server.baseUrl}/api/v1/appeals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'h5',
      content: `备份测试：楼道灯坏了 #${n}`,
      contact: { name: '王五', phone: `137${String(n).padStart(8, '0')}` },
    }),
  });
  return response.status;
}

async function sourceWithAppeals(): Promise<{ store: Store; server: ServerProcess; target: Target }> {
  const store = await createStore();
  cleanups.push(() => store.close());
  const server = await startServer({
    ...store.env,
    DOORSTEP_DEMO_PASSWORD: 'Backup-Demo-Passw0rd!',
    DOORSTEP_TRUSTED_NETWORKS: '127.0.0.1/32',
  });
  for (let i = 0; i < 3; i++) expect(await submit(server)).toBe(201);
  const target = { env: store.env, dataDir: store.dataDir, databaseUrl: store.testDb?.url ?? null };
  return { store, server, target };
}

describe('doorstep backup / restore', () => {
  test(
    'a round trip brings back every table’s rows and every journal head; a non-empty target is refused',
    async () => {
      const { store, server, target: source } = await sourceWithAppeals();
      const file = path.join(tempDir(), 'doorstep.backup');
      cleanups.push(() => removeDir(path.dirname(file)));

      if (!ON_POSTGRES) {
        // PGlite: one process per data folder, so a backup of a running server is refused.
        const refused = await runCli(['backup', file], source.env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/in use by process/);
      }
      await server.stop();
      const made = await runCli(['backup', file], source.env);
      expect(made.code, made.stderr).toBe(0);
      expect(jsonOutput(made)).toMatchObject({ database: ON_POSTGRES ? 'postgres' : 'pglite' });
      const before = await snapshot(source);
      expect(before.rows.appeal).toBe(3);

      const target = await emptyTarget();
      const restored = await runCli(['restore', file], target.env);
      expect(restored.code, restored.stderr).toBe(0);
      const after = await snapshot(target);
      expect(after.rows).toEqual(before.rows);
      expect(after.heads).toEqual(before.heads);
      expect(Object.keys(after.heads).length).toBeGreaterThan(3);

      // The data key lives in secrets.json, never in the backup: carried over by hand, as documented.
      copyFileSync(path.join(store.dataDir, 'secrets.json'), path.join(target.dataDir, 'secrets.json'));
      const verify = await runCli(['journal', 'verify'], target.env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(jsonOutput(verify).status).toBe('ok');

      const again = await runCli(['restore', file], target.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not empty|already holds a database/);
    },
    SLOW,
  );

  test('a file that is no backup is refused with a clear message', async () => {
    const target = await emptyTarget();
    const bogus = path.join(target.dataDir, 'notes.txt');
    writeFileSync(bogus, 'hello');
    const result = await runCli(['restore', bogus], target.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a Doorstep backup');
    expect(existsSync(path.join(target.dataDir, 'pgdata'))).toBe(false);
  });

  test.skipIf(!ON_POSTGRES)(
    'on PostgreSQL a backup taken while the server takes appeals is a consistent snapshot',
    async () => {
      const { server, target: source } = await sourceWithAppeals();
      const file = path.join(tempDir(), 'live.backup');
      cleanups.push(() => removeDir(path.dirname(file)));
      let stop = false;
      const statuses: number[] = [];
      const traffic = (async () => {
        while (!stop) statuses.push(await submit(server));
      })();
      const made = await runCli(['backup', file], source.env);
      stop = true;
      await traffic;
      expect(made.code, made.stderr).toBe(0);
      expect(new Set(statuses)).toEqual(new Set([201]));

      const target = await emptyTarget();
      const restored = await runCli(['restore', file], target.env);
      expect(restored.code, restored.stderr).toBe(0);
      // The data key travels by hand, as documented: a process with another key refuses the database.
      copyFileSync(path.join(source.dataDir, 'secrets.json'), path.join(target.dataDir, 'secrets.json'));
      const after = await snapshot(target);
      // Somewhere between the appeals before the dump began and all that were ever acknowledged.
      expect(after.rows.appeal).toBeGreaterThanOrEqual(3);
      expect(after.rows.appeal).toBeLessThanOrEqual(3 + statuses.length);
      // One snapshot: no appeal without its journal stream, no chain cut in the middle.
      const verify = await runCli(['journal', 'verify'], target.env);
      expect(verify.code, verify.stderr).toBe(0);
      expect(jsonOutput(verify).status).toBe('ok');
    },
    SLOW,
  );
});
