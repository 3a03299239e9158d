import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, Queryable } from '../../db/db.ts';
import type { Clock } from '../clock.ts';
import { type ClaimedJob, createJobsRepository, type JobRow } from './jobs.repository.ts';

/*
 * Written here rather than taken from pg-boss or graphile-worker: both read time from the
 * database's now() (our deadlines are tested by moving an injected Clock), keep their own schema
 * and connection handling outside our Db interface (so a job could not be enqueued inside the
 * caller's transaction on PGlite), and are built for a PostgreSQL server, not single-connection
 * PGlite. What we need is four statements (jobs.repository.ts).
 */

export interface JobContext {
  /** The transaction that also marks the job done: database work here happens exactly once. */
  tx: Queryable;
  now: Date;
  jobId: number;
  /** 1 for the first run. */
  attempt: number;
}

/**
 * A handler per job kind. The payload is what was enqueued (a JSON object); `never` lets a module
 * declare its handlers with their own payload types.
 */
export type JobHandler = (payload: never, ctx: JobContext) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** When it falls due; now when absent. */
  runAt?: Date;
  /** One unfinished job per key: enqueueing the key again replaces its run_at and payload. */
  dedupeKey?: string;
  /** Runs (first one included) before the job is given up as failed. */
  maxAttempts?: number;
}

export interface RunDueOptions {
  workerId?: string;
  /** At most this many jobs in this call. */
  limit?: number;
  /** Stops claiming further jobs once aborted; the job in hand finishes (clean shutdown). */
  signal?: AbortSignal;
  /** Told about every failed attempt, with the error the handler threw (for the log). */
  onFailure?(job: { id: number; kind: string; attempt: number; final: boolean }, error: unknown): void;
}

export interface JobQueueOptions {
  db: Db;
  clock: Clock;
  /** How long a claim lasts before another worker may take the job again. */
  leaseMs?: number;
  /** The wait before retry after failed attempt n (1-based). */
  backoff?: (attempt: number) => number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 2000;

/** 30 s, 1 min, 2 min, … capped at one hour. Deterministic, so tests can step the clock exactly. */
export function exponentialBackoff(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 60 * 60_000);
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Thrown inside the handler's transaction to roll its work back when the claim is no longer ours. */
class ClaimLostError extends Error {}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export function createJobQueue(options: JobQueueOptions) {
  const { db, clock } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const backoff = options.backoff ?? exponentialBackoff;
  const repo = createJobsRepository();

  async function runOne(
    job: ClaimedJob,
    handler: JobHandler,
    workerId: string,
    onFailure: RunDueOptions['onFailure'],
  ): Promise<'ran' | 'failed' | 'lost'> {
    try {
      await db.transaction(async (tx) => {
        const now = clock.now();
        await handler(job.payload as never, { tx, now, jobId: job.id, attempt: job.attempts });
        if (!(await repo.markDone(tx, job, workerId, clock.now()))) throw new ClaimLostError();
      });
      return 'ran';
    } catch (error) {
      if (error instanceof ClaimLostError) return 'lost';
      const now = clock.now();
      // The claim is still ours while we record the failure, so no other worker retries it early.
      const outcome = await repo.markFailed(db, job, {
        workerId,
        now,
        retryAt: new Date(now.getTime() + backoff(job.attempts)),
        error: describeError(error),
      });
      if (outcome === 'lost') return 'lost';
      onFailure?.({ id: job.id, kind: job.kind, attempt: job.attempts, final: outcome === 'failed' }, error);
      return 'failed';
    }
  }

  return {
    /** Schedules a job inside the caller's transaction: it exists only if that transaction commits. */
    async enqueue(tx: Queryable, job: NewJob): Promise<void> {
      const now = clock.now();
      const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
        throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
      }
      const row = {
        kind: job.kind,
        payload: JSON.stringify(job.payload),
        runAt: job.runAt ?? now,
        maxAttempts,
        now,
      };
      if (job.dedupeKey === undefined) await repo.insert(tx, row);
      else await repo.upsertByKey(tx, { ...row, dedupeKey: job.dedupeKey });
    },

    /** Drops the unfinished job of a key (e.g. the appeal was resolved before its warning fell due). */
    async cancel(tx: Queryable, dedupeKey: string): Promise<void> {
      await repo.deleteByKey(tx, dedupeKey);
    },

    /**
     * Claims due jobs of the kinds in `handlers` one at a time and runs each handler in a
     * transaction that also marks the job done, so the handler's database work commits exactly
     * once. A handler that throws rolls its work back; the job waits `backoff(attempt)` and is
     * given up as failed after its last attempt. Jobs of kinds without a handler are left for
     * workers that know them (a rolling upgrade can have both).
     */
    async runDue(handlers: JobHandlers, opts: RunDueOptions = {}): Promise<{ ran: number; failed: number }> {
      const kinds = Object.keys(handlers);
      const workerId = opts.workerId ?? defaultWorkerId();
      const limit = opts.limit ?? 100;
      let ran = 0;
      let failed = 0;
      if (kinds.length === 0) return { ran, failed };
      for (let taken = 0; taken < limit && !opts.signal?.aborted; taken++) {
        const now = clock.now();
        const job = await repo.claimNext(db, {
          kinds,
          workerId,
          now,
          leaseUntil: new Date(now.getTime() + leaseMs),
        });
        if (!job) break;
        const outcome = await runOne(job, handlers[job.kind]!, workerId, opts.onFailure);
        if (outcome === 'ran') ran++;
        else if (outcome === 'failed') failed++;
      }
      return { ran, failed };
    },

    /** The jobs recorded under a key — the unfinished one and finished ones — oldest first. */
    jobsByKey(dedupeKey: string): Promise<JobRow[]> {
      return repo.findByKey(db, dedupeKey);
    },

    job(id: number): Promise<JobRow | undefined> {
      return repo.find(db, id);
    },
  };
}
export type JobQueue = ReturnType<typeof createJobQueue>;
