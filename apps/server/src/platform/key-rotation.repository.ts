import type { Queryable } from '../db/db.ts';

/*
 * The SQL of `doorstep keys rotate` (key-rotation.ts): which columns are encrypted, a page of them,
 * and a write guarded by the value that was read. Table and column names come from the catalogue,
 * so each is checked as a plain identifier before it is quoted into a statement.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unexpected identifier in the schema: ${name}`);
  return `"${name}"`;
}

/** The encrypted columns of the schema, by table, with each table's primary key. */
export async function encryptedColumns(
  db: Queryable,
): Promise<{ table: string; key: string; columns: string[] }[]> {
  const rows = await db.many<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name LIKE '%\\_enc' ESCAPE '\\' AND data_type = 'text'
     ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const row of rows)
    byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.column_name]);
  const tables = [];
  for (const [table, columns] of byTable) {
    const keys = await db.many<{ attname: string }>(
      `SELECT a.attname FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary`,
      [table],
    );
    if (keys.length !== 1)
      throw new Error(`table ${table} has encrypted columns but no single-column primary key`);
    tables.push({ table, key: keys[0]!.attname, columns });
  }
  return tables;
}

type Table = { table: string; key: string; columns: string[] };

/** Rows after `after` in primary-key order: the key as text (`pk`) and the encrypted columns. */
export function readPage(db: Queryable, { table, key, columns }: Table, after: string | null, limit: number) {
  return db.many<Record<string, string | null>>(
    `SELECT ${ident(key)}::text AS pk, ${columns.map(ident).join(', ')} FROM ${ident(table)}
     ${after === null ? '' : `WHERE ${ident(key)} > $2`} ORDER BY ${ident(key)} LIMIT $1`,
    after === null ? [limit] : [limit, after],
  );
}

/** Writes `set` on the row only if the columns of `was` still hold what was read; true if written. */
export async function updateIfUnchanged(
  tx: Queryable,
  { table, key }: Omit<Table, 'columns'>,
  update: { pk: string; set: Record<string, string>; was: Record<string, string> },
): Promise<boolean> {
  const names = Object.keys(update.set);
  const guards = Object.keys(update.was);
  const params = [update.pk, ...names.map((n) => update.set[n]!), ...guards.map((n) => update.was[n]!)];
  const result = await tx.query(
    `UPDATE ${ident(table)} SET ${names.map((n, i) => `${ident(n)} = $${i + 2}`).join(', ')}
     WHERE ${ident(key)} = $1
       AND ${guards.map((n, i) => `${ident(n)} = $${names.length + i + 2}`).join(' AND ')}`,
    params,
  );
  return result.rowCount === 1;
}
