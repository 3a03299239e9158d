import path from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import type { Db } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenDatabase {
  db: Db;
  /** Closes the database and releases the data-folder lock. */
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in the data folder, locked. */
export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
}): Promise<OpenDatabase> {
  if (options.databaseUrl) {
    const db = await openPostgres(options.databaseUrl);
    return { db, close: () => db.close() };
  }
  const lock = lockDataDir(options.dataDir);
  try {
    const db = await openPglite(path.join(options.dataDir, 'pgdata'));
    return {
      db,
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
