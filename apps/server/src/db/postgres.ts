import { createHash } from 'node:crypto';
import pg from 'pg';
import { type Db, type SqlParam, withHelpers } from './db.ts';
import { createPgListener } from './pg-listener.ts';
import { createTransactionGuard } from './transaction-guard.ts';

// int8 (bigint, COUNT(*)) as number, the same as the PGlite adapter.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Reads and writes; DDL and session commands stay unnamed (run once, nothing to reuse). */
const REUSABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;
/** Far above the distinct statements the code writes; a runaway generator falls back to unnamed. */
const MAX_NAMED = 5000;
const names = new Map<string, string>();

/**
 * A statement named after its text, so each pooled connection parses and plans it once and then
 * only binds and executes it (node-postgres keeps the prepared names per connection). The
 * repositories' statements are long joins run thousands of times a minute: unnamed, PostgreSQL
 * parsed and planned every one of them again (the bench's profile, bench/README.md).
 */
export function namedStatement(sql: string, params?: readonly SqlParam[]): pg.QueryConfig {
  const values = params as unknown[] | undefined;
  if (!REUSABLE.test(sql)) return { text: sql, values };
  let name = names.get(sql);
  if (!name) {
    if (names.size >= MAX_NAMED) return { text: sql, values };
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return { name, text: sql, values };
}

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const guard = createTransactionGuard();
  const outer = withHelpers(async (sql, params) => {
    guard.assertOutside();
    const result = await pool.query(namedStatement(sql, params));
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  });
  await pool.query('SELECT 1');
  const listener = createPgListener(connectionString);
  return {
    kind: 'postgres',
    ...outer,
    async transaction(work) {
      guard.assertOutside();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inner = withHelpers(async (sql: string, params?: readonly SqlParam[]) => {
          const result = await client.query(namedStatement(sql, params));
          return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
        });
        const value = await guard.run(() => work(inner));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async execScript(sql) {
      guard.assertOutside();
      await pool.query(sql);
    },
    async ping() {
      await outer.query('SELECT 1');
    },
    listen: (channel, onMessage) => listener.listen(channel, onMessage),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}
