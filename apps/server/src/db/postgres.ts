import pg from 'pg';
import { type Db, type SqlParam, withHelpers } from './db.ts';
import { createPgListener } from './pg-listener.ts';
import { createTransactionGuard } from './transaction-guard.ts';

// int8 (bigint, COUNT(*)) as number, the same as the PGlite adapter.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const guard = createTransactionGuard();
  const outer = withHelpers(async (sql, params) => {
    guard.assertOutside();
    const result = await pool.query(sql, params as unknown[] | undefined);
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
          const result = await client.query(sql, params as unknown[] | undefined);
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
