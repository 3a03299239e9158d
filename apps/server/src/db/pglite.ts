import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { assertChannelName, type Db, type Queryable, type SqlParam, withHelpers } from './db.ts';
import { createTransactionGuard } from './transaction-guard.ts';

/**
 * Embedded PostgreSQL (WASM). `dataDir` undefined → in memory (tests). PGlite is one connection:
 * its own mutex serialises `query` and `transaction`, which is exactly the serialisation we need.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    // Trigram indexes make free-text search over Chinese appeal texts fast (migration 0008).
    extensions: { pg_trgm },
    // int8 as JS number like our pg adapter; ids and counts stay far below 2^53.
    parsers: { [types.INT8]: (value: string) => Number(value) },
  });
  const guard = createTransactionGuard();
  const run = async (sql: string, params?: readonly SqlParam[]) => {
    const result = await pglite.query(sql, params as unknown[] | undefined);
    return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
  };
  const outer = withHelpers(async (sql, params) => {
    guard.assertOutside();
    return run(sql, params);
  });
  return {
    kind: 'pglite',
    ...outer,
    transaction(work) {
      guard.assertOutside();
      return pglite.transaction((tx) =>
        guard.run(() => {
          const inner: Queryable = withHelpers(async (sql, params) => {
            const result = await tx.query(sql, params as unknown[] | undefined);
            return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
          });
          return work(inner);
        }),
      ) as never;
    },
    async execScript(sql) {
      guard.assertOutside();
      await pglite.exec(sql);
    },
    async ping() {
      await outer.query('SELECT 1');
    },
    // PGlite's own LISTEN/NOTIFY on its one connection: delivered at commit, dropped on rollback.
    async listen(channel, onMessage) {
      guard.assertOutside();
      assertChannelName(channel);
      const unlisten = await pglite.listen(channel, onMessage);
      return () => unlisten();
    },
    async close() {
      await pglite.close();
    },
  };
}
