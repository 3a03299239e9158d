import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant shared by all nodes; serialises migrations when several start at once.
const MIGRATION_LOCK_KEY = 74_657_301;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function listMigrations(dir = MIGRATIONS_DIR): { version: string; sql: string }[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: file.replace(/\.sql$/, ''),
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}

/**
 * Forward-only: applies every migration not yet recorded, each in its own transaction, and refuses
 * to start when an applied migration's file has been edited since (its checksum changed).
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  await db.execScript(`CREATE TABLE IF NOT EXISTS schema_migration (
    version text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const migrations = listMigrations(dir);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const row = await tx.one<{ checksum: string }>(
        'SELECT checksum FROM schema_migration WHERE version = $1',
        [migration.version],
      );
      if (row) {
        if (row.checksum !== checksum(migration.sql)) {
          throw new Error(
            `migration ${migration.version} was changed after it was applied; migrations are forward-only — add a new file instead`,
          );
        }
        return false;
      }
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [
        migration.version,
        checksum(migration.sql),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
    else alreadyApplied++;
  }
  return { applied, alreadyApplied };
}

/**
 * Migrations run statement by statement inside one transaction (the extended protocol takes one
 * statement at a time on both drivers). Statements end with `;` at the end of a line; function
 * bodies are written between `$$` markers and are kept whole.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (!inDollar && /^\s*--/.test(line)) continue;
    current.push(line);
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*(--.*)?$/.test(line)) {
      const statement = current.join('\n').trim();
      if (statement.replace(/;$/, '').trim()) statements.push(statement);
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements;
}
