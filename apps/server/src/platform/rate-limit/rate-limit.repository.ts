import type { Db } from '../../db/db.ts';

/**
 * Counts one request against `key` in a fixed window, atomically: one INSERT … ON CONFLICT DO
 * UPDATE, so concurrent requests on every app process sharing the database each get their own
 * count. A window that has ended restarts at 1.
 */
export async function hit(
  db: Db,
  key: string,
  now: Date,
  windowMs: number,
): Promise<{ current: number; ttl: number }> {
  const row = await db.one<{ hits: number; window_ends_at: Date }>(
    `INSERT INTO rate_limit AS r (key, hits, window_ends_at) VALUES ($1, 1, $3)
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN r.window_ends_at <= $2 THEN 1 ELSE r.hits + 1 END,
       window_ends_at = CASE WHEN r.window_ends_at <= $2 THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
     RETURNING hits, window_ends_at`,
    [key, now, new Date(now.getTime() + windowMs)],
  );
  return { current: row!.hits, ttl: Math.max(0, new Date(row!.window_ends_at).getTime() - now.getTime()) };
}

/** The count in `key`'s current window without adding to it (0 when its window has ended). */
export async function peek(db: Db, key: string, now: Date): Promise<number> {
  const row = await db.one<{ hits: number }>(
    'SELECT hits FROM rate_limit WHERE key = $1 AND window_ends_at > $2',
    [key, now],
  );
  return row?.hits ?? 0;
}

/** Removes the rows of windows that have ended. */
export async function purgeEnded(db: Db, now: Date): Promise<number> {
  return (await db.query('DELETE FROM rate_limit WHERE window_ends_at <= $1', [now])).rowCount;
}
