import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../clock.ts';

const PURGE_EVERY_MS = 10 * 60_000;

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

/** Removes the rows of windows that have ended. */
export async function purgeEnded(db: Db, now: Date): Promise<number> {
  return (await db.query('DELETE FROM rate_limit WHERE window_ends_at <= $1', [now])).rowCount;
}

/**
 * A `@fastify/rate-limit` store on the `rate_limit` table, so every app process sharing one
 * database shares the counters (the plugin's own LocalStore counts per process). Time comes from
 * the injected clock. Rows of ended windows are purged every ten minutes by whichever request
 * comes first.
 */
export function pgRateLimitStore(deps: { db: Db; clock: Clock }): FastifyRateLimitStoreCtor {
  let lastPurge = 0;
  class PgRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = deps.clock.now();
      let purge: Promise<unknown> = Promise.resolve();
      if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = now.getTime();
        // A failed purge only leaves old rows behind; the request is still counted.
        purge = purgeEnded(deps.db, now).catch(() => 0);
      }
      purge
        .then(() => hit(deps.db, key, now, timeWindow))
        .then(
          (result) => callback(null, result),
          (error: Error) => callback(error),
        );
    }

    child(): FastifyRateLimitStore {
      return new PgRateLimitStore();
    }
  }
  return PgRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
