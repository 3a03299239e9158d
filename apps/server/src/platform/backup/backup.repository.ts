import type { Queryable } from '../../db/db.ts';

/** Tables, views and sequences outside the system schemas: zero means a database nobody has used. */
export async function countUserRelations(db: Queryable): Promise<number> {
  const row = await db.one<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%'
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
  );
  return row?.n ?? 0;
}
