import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Db } from '../../apps/server/src/db/db.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { seededRandom } from '../../apps/server/src/modules/orgs/demo/seeded-random.ts';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { resolveSecrets } from '../../apps/server/src/platform/secrets.ts';
import { seedDemo } from '../../apps/server/src/seed/demo-seed.ts';
import { createServices } from '../../apps/server/src/services.ts';
import { loadContext } from './context.ts';
import { generateAppeal, trackingCodeFor, type Value } from './lifecycle.ts';
import { copySink, insertSink, type RowSink, secondaryIndexes } from './sinks.ts';

export interface SeedOptions {
  db: Db;
  /** Set on PostgreSQL: rows go in by COPY on a connection of their own. */
  databaseUrl: string | null;
  /** The server's data folder (its secrets file; demo credentials when no password is given). */
  dataDir: string;
  appeals: number;
  /** The demo staff's password, so the benchmark can log in. */
  password: string;
  years?: number;
  now?: Date;
  seed?: string;
  batch?: number;
  progress?: boolean;
  corpus?: string;
}

export interface SeedReport {
  appeals: number;
  journalEntries: number;
  byStatus: Record<string, number>;
  seconds: number;
  appealsPerSecond: number;
}

const LOADED_TABLES = ['appeal', 'journal'];

/**
 * Fills a database with a district's history: the demo org tree and staff (the same seed as
 * `npm start`), then `appeals` appeals over `years` years with every transition journaled.
 */
export async function seedBench(options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const { db } = options;
  await migrate(db);
  const log = {
    info: (m: string) => console.error(`[bench:seed] ${m}`),
    warn: (m: string) => console.error(`[bench:seed] warning: ${m}`),
  };
  const services = benchServices(db, options.dataDir, log);
  const demo = await seedDemo(services, { password: options.password, dataDir: options.dataDir });
  if (demo.seeded) log.info(`demo district loaded: ${demo.units} org units, ${demo.users.length} staff`);

  const random = seededRandom(options.seed ?? 'bench', String(options.appeals));
  const ctx = await loadContext(db, random, options.corpus);
  const existing = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n;
  const now = options.now ?? new Date();
  const span = (options.years ?? 3) * 365.25 * 86_400_000;
  const start = now.getTime() - span;
  const codeOffset = BigInt(`0x${randomBytes(6).toString('hex')}`);
  const batch = options.batch ?? (options.databaseUrl ? 10_000 : 2_000);

  const indexes = options.appeals >= 20_000 ? await dropIndexes(db, options.dataDir) : [];
  const sink: RowSink = options.databaseUrl ? await copySink(options.databaseUrl) : insertSink(db);
  const bar =
    options.progress === false
      ? null
      : new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: 'appeals {bar} {percentage}% {value}/{total} | {rate}/s | eta {eta_formatted}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(options.appeals, 0, { rate: 0 });

  const byStatus: Record<string, number> = {};
  const recent: { id: string; trackingCode: string }[] = [];
  let journalEntries = 0;
  try {
    for (let done = 0; done < options.appeals; ) {
      const size = Math.min(batch, options.appeals - done);
      const appeals: Value[][] = [];
      const journal: Value[][] = [];
      for (let k = 0; k < size; k++) {
        const i = done + k;
        // In submission order with jitter inside each slot, as a real table fills up.
        const submittedAt = new Date(Math.floor(start + ((i + random()) * span) / options.appeals));
        const id = randomUUID();
        const trackingCode = trackingCodeFor(existing + i, codeOffset);
        const g = generateAppeal(ctx, random, {
          id,
          trackingCode,
          submittedAt,
          now,
          mergeTarget: () => (recent.length ? recent[Math.floor(random() * recent.length)]! : null),
        });
        appeals.push(g.appeal);
        for (const entry of g.journal) journal.push(entry);
        byStatus[g.status] = (byStatus[g.status] ?? 0) + 1;
        if (g.status !== 'merged') {
          if (recent.length < 500) recent.push({ id, trackingCode });
          else recent[i % 500] = { id, trackingCode };
        }
      }
      await sink.write(appeals, journal);
      journalEntries += journal.length;
      done += size;
      bar?.update(done, { rate: Math.round(done / ((Date.now() - started) / 1000)) });
    }
  } finally {
    bar?.stop();
    await sink.close();
  }
  await restoreIndexes(db, options.dataDir, indexes, log);
  log.info('analysing the tables');
  // One statement each: PostgreSQL refuses VACUUM inside the implicit transaction of a script.
  for (const table of LOADED_TABLES)
    await db.query(`${db.kind === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE'} ${table}`);
  const seconds = (Date.now() - started) / 1000;
  return {
    appeals: options.appeals,
    journalEntries,
    byStatus,
    seconds,
    appealsPerSecond: Math.round(options.appeals / seconds),
  };
}

/**
 * The server's services over the benchmark database, with the secrets of its data folder (the
 * server started on that folder reads the same ones, so it can decrypt what was written here).
 */
export function benchServices(db: Db, dataDir: string, log: { warn(m: string): void }) {
  const secrets = resolveSecrets({ sessionSecret: null, dataKey: null }, dataDir, log);
  return createServices({
    db,
    clock: systemClock,
    secrets,
    settings: {
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      lockoutThreshold: 5,
      lockoutMinutes: 10,
      dataDir,
    },
  });
}

/** Notes the definitions in the data folder first, so a crashed load can be finished by a re-run. */
async function dropIndexes(db: Db, dataDir: string) {
  const indexes = await secondaryIndexes(db, LOADED_TABLES);
  const pendingFile = path.join(dataDir, 'bench-indexes.json');
  const pending: { name: string; def: string }[] = existsSync(pendingFile)
    ? JSON.parse(readFileSync(pendingFile, 'utf8'))
    : [];
  const all = [...pending, ...indexes.filter((i) => !pending.some((p) => p.name === i.name))];
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(pendingFile, JSON.stringify(all, null, 2));
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
  return all;
}

async function restoreIndexes(
  db: Db,
  dataDir: string,
  indexes: { name: string; def: string }[],
  log: { info(m: string): void },
) {
  const pendingFile = path.join(dataDir, 'bench-indexes.json');
  const pending: { name: string; def: string }[] = existsSync(pendingFile)
    ? JSON.parse(readFileSync(pendingFile, 'utf8'))
    : indexes;
  // One script per index: the setting must reach the connection that builds it.
  const memory = db.kind === 'postgres' ? "SET maintenance_work_mem = '1GB'; " : '';
  for (const index of pending) {
    log.info(`building index ${index.name}`);
    await db.execScript(
      `${memory}${index.def.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')}`,
    );
  }
  rmSync(pendingFile, { force: true });
}
