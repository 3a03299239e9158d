import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../clock.ts';

import { hit, purgeEnded } from './rate-limit.repository.ts';

const PURGE_EVERY_MS = 10 * 60_000;

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
