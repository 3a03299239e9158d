import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lockDataDir } from '../src/db/data-dir-lock.ts';
import type { Db } from '../src/db/db.ts';
import { openPglite } from '../src/db/pglite.ts';
import { ROLES } from '../src/platform/auth/roles.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createServices } from '../src/services.ts';
import { DEFAULT_SETTINGS } from './support/harness.ts';
import { createStore, jsonOutput, REPO_ROOT, runCli, type Store, stopAll } from './support/processes.ts';

// The `doorstep` operator command as it is run on a server: one process per command, on a data
// folder (PGlite) or a fresh database (TEST_DATABASE_URL). Each call starts tsx and the database
// (~1–2 s), so the commands are few and each describe block reuses one store.

const DEMO_PASSWORD = 'Cli-Demo-Passw0rd!';
const SLOW = 120_000;
const SHANGHAI = path.resolve(REPO_ROOT, '../shared/data/geo/shanghai-towns.geojson');

const stores: Store[] = [];
afterAll(async () => {
  await stopAll();
  for (const store of stores) await store.close();
});

async function newStore(): Promise<Store> {
  const store = await createStore();
  stores.push(store);
  return store;
}

/**
 * Opens the store's database in this process once no command runs: the PostgreSQL test handle, or
 * the PGlite data folder under its lock (a command started meanwhile would be refused, not corrupt it).
 */
async function withDatabase<T>(store: Store, work: (db: Db) => Promise<T>): Promise<T> {
  if (store.testDb) return work(store.testDb.db);
  const lock = lockDataDir(store.dataDir);
  try {
    const db = await openPglite(path.join(store.dataDir, 'pgdata'));
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  } finally {
    lock.release();
  }
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '');
}

describe('doorstep on the demo district', () => {
  let store: Store;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    store = await newStore();
    env = { ...store.env, DOORSTEP_DEMO_PASSWORD: DEMO_PASSWORD };
  });

  test(
    '--help lists the commands',
    async () => {
      const result = await runCli(['--help'], env);
      expect(result.code).toBe(0);
      for (const command of ['migrate', 'seed', 'user', 'import', 'journal']) {
        expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
      }
    },
    SLOW,
  );

  test(
    'migrate, then seed demo loads the district once; a second seed loads nothing',
    async () => {
      const migrated = await runCli(['migrate'], env);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stderr).toContain('migrations are up to date');

      const seeded = await runCli(['seed', 'demo'], env);
      expect(seeded.code, seeded.stderr).toBe(0);
      const first = jsonOutput(seeded);
      expect(first.seeded).toBe(true);
      expect(first.units).toBeGreaterThanOrEqual(900);
      expect(first.users).toContain('district-dispatcher');
      expect(seeded.stderr).not.toContain(DEMO_PASSWORD);

      const again = await runCli(['seed', 'demo'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(jsonOutput(again)).toMatchObject({ seeded: false, units: 0 });
      expect(again.stderr).toContain('nothing loaded');
    },
    SLOW,
  );

  test(
    'triage export writes the finished appeals as training examples (none yet in a new district)',
    async () => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'doorstep-export-')), 'train.jsonl');
      const result = await runCli(['triage', 'export', '--out', out], env);
      expect(result.code, result.stderr).toBe(0);
      expect(jsonOutput(result)).toEqual({ out, examples: 0, corrected: 0, labels: 0 });
      expect(readFileSync(out, 'utf8')).toBe('');
      const bad = await runCli(['triage', 'export', '--out', out, '--days', 'soon'], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--days');
      // Nothing finished yet: no district has two items to learn, nothing is trained.
      const retrain = await runCli(['triage', 'retrain'], env);
      expect(retrain.code, retrain.stderr).toBe(0);
      const districts = jsonOutput(retrain).districts as { trained?: boolean }[];
      expect(Array.isArray(districts)).toBe(true);
      expect(districts.every((d) => d.trained === false)).toBe(true);
    },
    SLOW,
  );

  // Rows under the demo district (440311000000), with the subdistrict slot 009 it does not use.
  const HEADER = 'code,name,level,parent_code,lng,lat';
  const GOOD_ROWS = [
    '440311009000,测试街道,subdistrict,440311000000,,',
    '440311009001,测试社区,community,440311009000,,',
    '440311009001901,测试站,station,440311009001,113.93,22.74',
    '440311009001001,测试网格,grid,440311009001901,,',
  ];

  test(
    'import orgs with bad rows reports each as FILE:LINE and loads nothing',
    async () => {
      const file = path.join(store.dataDir, 'bad-orgs.csv');
      const lines = [
        HEADER, // 1
        GOOD_ROWS[0], // 2
        '4403110090,坏街道,subdistrict,440311000000,,', // 3: bad code for its level
        GOOD_ROWS[1], // 4
        '440311009002,未知层级,village,440311009000,,', // 5: unknown level
        '440311009003,孤儿社区,community,440311999000,,', // 6: unknown parent
        '440311009001,重复社区,community,440311009000,,', // 7: duplicate of line 4
        '440311009001902,无位置站,station,440311009001,,', // 8: station without lng/lat
        GOOD_ROWS[2], // 9
        GOOD_ROWS[3], // 10
      ];
      writeFileSync(file, `${lines.join('\n')}\n`);

      const result = await runCli(['import', 'orgs', file], env);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
      const reported = stderrLines(result.stderr).filter((line) => line.startsWith(`${file}:`));
      const lineOf = (line: string) => Number(line.slice(file.length + 1).split(':')[0]);
      expect([...new Set(reported.map(lineOf))]).toEqual([3, 5, 6, 7, 8]);
      const about = (n: number) => reported.filter((line) => lineOf(line) === n).join('\n');
      expect(about(3)).toMatch(/code '4403110090' does not match the 12-digit pattern for level subdistrict/);
      expect(about(5)).toMatch(/level 'village' is not one of/);
      expect(about(6)).toMatch(/parent code '440311999000' is not in the file or the database/);
      expect(about(7)).toMatch(/duplicate code '440311009001'.*line 4/);
      expect(about(8)).toMatch(/station needs a location/);
      expect(result.stderr).toMatch(/problem\(s\) found; nothing was imported/);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  test(
    'a good CSV imports and prints what it loaded (the same codes: the bad import left nothing behind)',
    async () => {
      const file = path.join(store.dataDir, 'good-orgs.csv');
      writeFileSync(file, `${[HEADER, ...GOOD_ROWS].join('\n')}\n`);
      const result = await runCli(['import', 'orgs', file], env);
      expect(result.code, result.stderr).toBe(0);
      expect(jsonOutput(result)).toEqual({
        imported: 4,
        byLevel: { subdistrict: 1, community: 1, station: 1, grid: 1 },
      });
    },
    SLOW,
  );

  const USERNAME = 'cli-staff';
  const STRONG = `Cli-Reset-${randomBytes(4).toString('hex')}-9!`;

  test(
    'user create prints a generated password once; reset-password takes a strong one from stdin and refuses a weak one',
    async () => {
      const created = await runCli(
        [
          'user',
          'create',
          '--username',
          USERNAME,
          '--name',
          '测试 社区员',
          '--org',
          '440311009001',
          '--roles',
          'community_staff',
        ],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const output = jsonOutput(created) as { user: Record<string, unknown>; generatedPassword: string };
      expect(output.user).toMatchObject({
        username: USERNAME,
        roles: ['community_staff'],
        mustChangePassword: true,
      });
      expect(output.generatedPassword).toEqual(expect.any(String));
      expect(output.generatedPassword.length).toBeGreaterThanOrEqual(10);
      expect(created.stdout.split(output.generatedPassword).length - 1).toBe(1);
      expect(created.stderr).not.toContain(output.generatedPassword);

      const reset = await runCli(['user', 'reset-password', USERNAME, '--password-stdin'], env, {
        stdin: `${STRONG}\n`,
      });
      expect(reset.code, reset.stderr).toBe(0);
      expect(jsonOutput(reset)).toMatchObject({ user: { username: USERNAME }, generatedPassword: null });
      expect(reset.stdout).not.toContain(STRONG);

      const weak = await runCli(['user', 'reset-password', USERNAME, '--password-stdin'], env, {
        stdin: 'weak\n',
      });
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/the password is too weak: at least 10 characters are required/);
      expect(weak.stderr).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  test(
    'user create with an unknown role exits 1 and lists the known roles',
    async () => {
      const result = await runCli(
        [
          'user',
          'create',
          '--username',
          'cli-wizard',
          '--name',
          '巫师',
          '--org',
          '440311009001',
          '--roles',
          'community_staff,wizard',
        ],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('unknown role(s): wizard');
      expect(result.stderr).toContain(`known: ${ROLES.join(', ')}`);
      expect(result.stdout).toBe('');
    },
    SLOW,
  );

  test(
    'journal verify reports ok after all of the above',
    async () => {
      const result = await runCli(['journal', 'verify'], env);
      expect(result.code, result.stderr).toBe(0);
      const report = jsonOutput(result);
      expect(report.status).toBe('ok');
      expect(report.entries).toEqual(expect.any(Number));
    },
    SLOW,
  );

  test(
    'the database holds exactly what the commands reported, and the reset password logs in',
    async () => {
      await withDatabase(store, async (db) => {
        const counted = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM org_unit');
        const seeded = await db.one<{ n: number }>(
          "SELECT count(*)::int AS n FROM org_unit WHERE code NOT LIKE '440311009%'",
        );
        expect(counted!.n - seeded!.n).toBe(4);
        expect(seeded!.n).toBeGreaterThanOrEqual(900);
        expect(await db.one("SELECT 1 FROM app_user WHERE username = 'cli-wizard'")).toBeUndefined();

        const services = createServices({
          db,
          clock: systemClock,
          secrets: { sessionSecret: randomBytes(32).toString('hex'), dataKey: randomBytes(32) },
          settings: { ...DEFAULT_SETTINGS, dataDir: store.dataDir },
        });
        const session = await services.auth.login(
          { username: USERNAME, password: STRONG },
          { ip: null, userAgent: null },
        );
        expect(session.user).toMatchObject({ username: USERNAME, mustChangePassword: true });
      });
    },
    SLOW,
  );
});

describe('doorstep import of the real Shanghai towns file', () => {
  test(
    'an empty database takes 1 city, 16 districts and 217 subdistricts',
    async () => {
      const store = await newStore();
      const result = await runCli(
        [
          'import',
          'orgs',
          SHANGHAI,
          '--root-code',
          '310000000000',
          '--root-name',
          '上海市',
          '--root-level',
          'city',
          '--group-by',
          'district',
          '--group-level',
          'district',
          '--feature-level',
          'subdistrict',
        ],
        store.env,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(jsonOutput(result)).toEqual({
        imported: 234,
        byLevel: { city: 1, district: 16, subdistrict: 217 },
      });
    },
    SLOW,
  );
});
