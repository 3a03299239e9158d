/**
 * The one database interface the rest of the server sees. Two adapters implement it: embedded
 * PGlite (default, single connection) and a PostgreSQL server through `pg.Pool`.
 */
export type SqlParam = string | number | boolean | null | Date | Buffer | readonly unknown[] | object;

export interface Queryable {
  /** Run one statement with positional parameters ($1, $2, …). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<T>>;
  /** The first row, or undefined. */
  one<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  many<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /**
   * Run `work` in one transaction. Everything inside must use `tx`, never the outer Db: on PGlite
   * the outer handle waits for the transaction to end (a deadlock), so both adapters refuse it.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Run a script of several statements without parameters (migrations). */
  execScript(sql: string): Promise<void>;
  /** A round trip to the database, for readiness checks. */
  ping(): Promise<void>;
  /**
   * LISTEN on `channel` (a lower-case identifier). A NOTIFY arrives after the transaction that sent
   * it commits, never if it rolls back — on PostgreSQL from any process, on PGlite from this one.
   * Resolves once listening; the returned function stops it.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function withHelpers(query: Queryable['query']): Queryable {
  return {
    query,
    async one(sql, params) {
      const result = await query(sql, params);
      return result.rows[0] as never;
    },
    async many(sql, params) {
      const result = await query(sql, params);
      return result.rows as never;
    },
  };
}

/** LISTEN takes an identifier, not a parameter: only plain names are accepted. */
export function assertChannelName(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid notification channel "${channel}"`);
}
