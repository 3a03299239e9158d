import type { Queryable, SqlParam } from '../../apps/server/src/db/db.ts';

/** What one scenario or its baseline achieved over its run. */
export interface Measured {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** The value at quantile q of already sorted latencies (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * The baseline's load loop: `connections` workers each run `work` back to back for `durationMs`,
 * as autocannon's connections do for HTTP. Latencies are kept whole (a 15 s run at a few
 * thousand operations a second is well under a million numbers), so p99 is exact.
 */
export async function runConcurrent(
  work: (i: number) => Promise<void>,
  options: { connections: number; durationMs: number },
): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let firstError: unknown = null;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      try {
        await work(i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (firstError && !latencies.length) throw firstError;
  if (firstError) console.error(`[bench]   baseline error (${errors} in all): ${String(firstError)}`);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    reqPerSec: round(latencies.length / seconds),
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    errors,
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface RecordedStatement {
  sql: string;
  params: readonly SqlParam[];
}

/**
 * A Queryable that notes every statement it passes on: the baseline's statements are what the
 * EXPLAIN files show, so the plans are of exactly the queries measured.
 */
export function recording(inner: Queryable, into: RecordedStatement[]): Queryable {
  return {
    query(sql, params) {
      into.push({ sql, params: params ?? [] });
      return inner.query(sql, params);
    },
    one(sql, params) {
      into.push({ sql, params: params ?? [] });
      return inner.one(sql, params);
    },
    many(sql, params) {
      into.push({ sql, params: params ?? [] });
      return inner.many(sql, params);
    },
  };
}
