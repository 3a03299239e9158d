import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, Queryable } from '../../apps/server/src/db/db.ts';
import { APPEAL_COLUMNS, JOURNAL_COLUMNS, type Value } from './lifecycle.ts';

/** Where generated rows go, one batch at a time: nothing holds more than a batch in memory. */
export interface RowSink {
  write(appeals: Value[][], journal: Value[][]): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes. */
function copyField(value: Value): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function copyText(rows: Value[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(copyField).join('\t')}\n`;
  return out;
}

/** COPY … FROM STDIN per batch on one dedicated connection: the fastest path into PostgreSQL. */
export async function copySink(databaseUrl: string): Promise<RowSink> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const copy = async (table: string, columns: readonly string[], rows: Value[][]) => {
    if (!rows.length) return;
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from([copyText(rows)]), stream);
  };
  return {
    async write(appeals, journal) {
      // Appeals first: merged_into points at an earlier appeal, checked at the end of each COPY.
      await copy('appeal', APPEAL_COLUMNS, appeals);
      await copy('journal', JOURNAL_COLUMNS, journal);
    },
    close: () => client.end(),
  };
}

async function insertRows(tx: Queryable, table: string, columns: readonly string[], rows: Value[][]) {
  // Well under PostgreSQL's 65,535 parameters per statement.
  const perStatement = Math.floor(20_000 / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const params: Value[] = [];
    const tuples = slice.map((row) => {
      const marks = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** Batched multi-row INSERTs through the server's own Db (PGlite has no COPY FROM STDIN stream). */
export function insertSink(db: Db): RowSink {
  return {
    write: (appeals, journal) =>
      db.transaction(async (tx) => {
        await insertRows(tx, 'appeal', APPEAL_COLUMNS, appeals);
        await insertRows(tx, 'journal', JOURNAL_COLUMNS, journal);
      }),
    async close() {},
  };
}

/**
 * Secondary indexes of the loaded tables (not those behind a key or UNIQUE constraint). Dropping
 * them for the load and building each once afterwards is many times faster than updating them row
 * by row — the trigram index above all. Their definitions are read from the catalogue, so the
 * rebuilt indexes are exactly the migrations' ones.
 */
export async function secondaryIndexes(db: Queryable, tables: string[]) {
  return db.many<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = ANY ($1::text[]) AND t.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
      ORDER BY i.relname`,
    [tables],
  );
}
