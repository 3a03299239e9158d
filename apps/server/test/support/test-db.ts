import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';

export interface TestDb {
  db: Db;
  /** A connection string for the same database (PostgreSQL runs only), for tests that spawn processes. */
  url: string | null;
  close(): Promise<void>;
}

/** The PostgreSQL server the suite runs against, or null for embedded PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;

/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a new database on the
 * TEST_DATABASE_URL server (dropped afterwards), so files never see each other's rows.
 */
export async function createTestDb(options: { migrated?: boolean } = {}): Promise<TestDb> {
  const migrated = options.migrated ?? true;
  if (!TEST_DATABASE_URL) {
    const db = await openPglite();
    if (migrated) await migrate(db);
    return { db, url: null, close: () => db.close() };
  }
  const name = `doorstep_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: 5 });
  // Unmigrated on request: a restore must land in an empty database.
  if (migrated) await migrate(db);
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
