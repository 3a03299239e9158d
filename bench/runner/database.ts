import path from 'node:path';
import pg from 'pg';
import type { Db } from '../../apps/server/src/db/db.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { openDatabase } from '../../apps/server/src/db/open.ts';
import type { Services } from '../../apps/server/src/services.ts';
import { benchServices, seedBench } from '../seed/index.ts';
import { BENCH_ROOT, type BenchTarget } from '../target.ts';

/**
 * The database of one size: `<name>_<rows>` next to the given PostgreSQL database when several
 * sizes are measured (each keeps its seed for the next run), the given one when only one; on
 * PGlite a data folder per size.
 */
export function targetForRows(
  base: BenchTarget,
  rows: number,
  several: boolean,
  dataDirGiven: boolean,
): BenchTarget {
  const dataDir =
    dataDirGiven && !several ? base.dataDir : path.join(BENCH_ROOT, '.data', `${base.kind}-${rows}`);
  if (!base.databaseUrl) return { ...base, dataDir, label: `PGlite ${dataDir}` };
  if (!several) return { ...base, dataDir };
  const url = new URL(base.databaseUrl);
  url.pathname = `/${url.pathname.slice(1) || 'bench'}_${rows}`;
  return { ...base, databaseUrl: url.toString(), dataDir, label: `PostgreSQL ${url.pathname.slice(1)}` };
}

async function ensurePostgresDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export interface PreparedDatabase {
  db: Db;
  services: Services;
  /** Appeals in the database when the measurement starts. */
  appealRows: number;
  seeded: { appeals: number; seconds: number; appealsPerSecond: number } | null;
  close(): Promise<void>;
}

/** Opens the database of one size, seeding what is missing (a rerun reuses the seed). */
export async function prepareDatabase(
  target: BenchTarget,
  rows: number,
  log: (m: string) => void,
): Promise<PreparedDatabase> {
  if (target.databaseUrl) await ensurePostgresDatabase(target.databaseUrl);
  // As the server opens it: on PostgreSQL a pool of the server's size, so the baseline gets as
  // many connections as the API does.
  const opened = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
  const { db } = opened;
  try {
    await migrate(db);
    const existing = await countAppeals(db);
    let seeded: PreparedDatabase['seeded'] = null;
    if (existing < rows) {
      log(`seeding ${(rows - existing).toLocaleString('en')} appeals into ${target.label}`);
      const report = await seedBench({
        db,
        databaseUrl: target.databaseUrl,
        dataDir: target.dataDir,
        appeals: rows - existing,
        password: target.password,
        progress: false,
      });
      seeded = {
        appeals: report.appeals,
        seconds: report.seconds,
        appealsPerSecond: report.appealsPerSecond,
      };
      log(`seeded in ${report.seconds.toFixed(0)} s (${report.appealsPerSecond} appeals/s)`);
    } else {
      log(`reusing ${target.label}: ${existing.toLocaleString('en')} appeals`);
    }
    const services = benchServices(db, target.dataDir, { warn: log });
    return { db, services, appealRows: await countAppeals(db), seeded, close: opened.close };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

async function countAppeals(db: Db): Promise<number> {
  const found = await db.one<{ exists: boolean }>(
    "SELECT to_regclass('public.appeal') IS NOT NULL AS exists",
  );
  if (!found?.exists) return 0;
  return (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n;
}
