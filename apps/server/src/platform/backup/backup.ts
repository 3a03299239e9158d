import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { lockDataDir } from '../../db/data-dir-lock.ts';
import { openPostgres } from '../../db/postgres.ts';
import { countUserRelations } from './backup.repository.ts';

/**
 * `doorstep backup FILE` / `doorstep restore FILE`. PostgreSQL: pg_dump's custom format, taken in
 * one snapshot, so it is consistent while servers keep writing. PGlite: a gzipped tar of the data
 * folder (PGlite's dumpDataDir); only one process may open that folder, so the server must be
 * stopped — the data-folder lock says so with a clear error instead of copying pages in flux.
 * UNLOGGED tables (rate-limit counters) come back empty, as after any crash: they are transient.
 * Neither file holds the data key (secrets.json / DOORSTEP_DATA_KEY): keep it apart from backups.
 */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupTarget {
  databaseUrl: string | null;
  dataDir: string;
}

export interface BackupReport {
  database: 'pglite' | 'postgres';
  file: string;
  bytes: number;
}

const run = promisify(execFile);
const PG_DUMP_MAGIC = 'PGDMP';
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** libpq reads the password from PGPASSWORD, so it never shows in the process list. */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[], databaseUrl: string): Promise<void> {
  const { url, env } = connection(databaseUrl);
  try {
    await run(tool, [...args, `--dbname=${url}`], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new BackupError(`${tool} was not found; install the PostgreSQL client tools (postgresql-client)`);
    }
    throw new BackupError(`${tool} failed: ${(failure.stderr ?? failure.message).trim()}`);
  }
}

function pgdataOf(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

function fileKind(file: string): 'pglite' | 'postgres' | 'unknown' {
  if (!existsSync(file)) throw new BackupError(`no such file: ${file}`);
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === PG_DUMP_MAGIC) return 'postgres';
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'pglite';
  return 'unknown';
}

export async function backup(target: BackupTarget, file: string): Promise<BackupReport> {
  if (target.databaseUrl) {
    await pgTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', '--no-unlogged-table-data', `--file=${file}`],
      target.databaseUrl,
    );
    return { database: 'postgres', file, bytes: statSync(file).size };
  }
  if (!existsSync(pgdataOf(target.dataDir))) {
    throw new BackupError(`there is no database in ${target.dataDir} to back up`);
  }
  const lock = lockDataDir(target.dataDir);
  try {
    const pglite = await PGlite.create(pgdataOf(target.dataDir), { extensions: { pg_trgm } });
    try {
      const dump = await pglite.dumpDataDir('gzip');
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
    } finally {
      await pglite.close();
    }
  } finally {
    lock.release();
  }
  return { database: 'pglite', file, bytes: statSync(file).size };
}

export async function restore(target: BackupTarget, file: string): Promise<BackupReport> {
  const kind = fileKind(file);
  const wanted = target.databaseUrl ? 'postgres' : 'pglite';
  if (kind === 'unknown') throw new BackupError(`${file} is not a Doorstep backup`);
  if (kind !== wanted) {
    throw new BackupError(
      `${file} is a ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} backup, but this installation uses ` +
        `${wanted === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (no DATABASE_URL)'}; restore it into the same kind`,
    );
  }
  if (target.databaseUrl) {
    const db = await openPostgres(target.databaseUrl, { max: 1 });
    try {
      const relations = await countUserRelations(db);
      if (relations > 0) {
        throw new BackupError(
          `the database is not empty (${relations} tables, views or sequences); restore only into a new, empty database`,
        );
      }
    } finally {
      await db.close();
    }
    await pgTool(
      'pg_restore',
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', file],
      target.databaseUrl,
    );
    return { database: 'postgres', file, bytes: statSync(file).size };
  }
  const lock = lockDataDir(target.dataDir);
  try {
    const pgdata = pgdataOf(target.dataDir);
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
      throw new BackupError(
        `${target.dataDir} already holds a database; restore only into a new, empty data folder`,
      );
    }
    const blob = new Blob([readFileSync(file)]);
    const pglite = await PGlite.create(pgdata, { loadDataDir: blob, extensions: { pg_trgm } });
    await pglite.close();
  } finally {
    lock.release();
  }
  return { database: 'pglite', file, bytes: statSync(file).size };
}
