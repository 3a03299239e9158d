import type { Queryable } from '../../db/db.ts';

/** A job as a worker holds it after claiming it. */
export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  /** This attempt's number, 1 for the first run. */
  attempts: number;
  maxAttempts: number;
}

export interface JobRow extends ClaimedJob {
  runAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  doneAt: Date | null;
  failedAt: Date | null;
  dedupeKey: string | null;
  createdAt: Date;
}

const PENDING = 'done_at IS NULL AND failed_at IS NULL';

/** The only SQL of the job queue. Every time is a parameter from the injected Clock. */
export function createJobsRepository() {
  return {
    async insert(
      tx: Queryable,
      job: { kind: string; payload: string; runAt: Date; maxAttempts: number; now: Date },
    ): Promise<void> {
      await tx.query(
        `INSERT INTO job (kind, payload, run_at, max_attempts, created_at) VALUES ($1, $2::jsonb, $3, $4, $5)`,
        [job.kind, job.payload, job.runAt, job.maxAttempts, job.now],
      );
    },

    /**
     * Schedules the job of a key, or moves the pending one. A job of that key that is running right
     * now (valid lease) is first let go of its key and allowed no further retry, so the new
     * schedule is a job of its own: a handler can re-schedule its own key (a recurring timer)
     * and the running attempt finishing cannot swallow the new schedule.
     */
    async upsertByKey(
      tx: Queryable,
      job: { kind: string; payload: string; runAt: Date; maxAttempts: number; dedupeKey: string; now: Date },
    ): Promise<void> {
      await tx.query(
        `UPDATE job SET dedupe_key = NULL, max_attempts = GREATEST(attempts, 1)
         WHERE dedupe_key = $1 AND ${PENDING} AND locked_until > $2`,
        [job.dedupeKey, job.now],
      );
      await tx.query(
        `INSERT INTO job (kind, payload, run_at, max_attempts, dedupe_key, created_at)
         VALUES ($1, $2::jsonb, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) WHERE ${PENDING} DO UPDATE SET
           kind = EXCLUDED.kind, payload = EXCLUDED.payload, run_at = EXCLUDED.run_at,
           max_attempts = EXCLUDED.max_attempts, attempts = 0, last_error = NULL,
           locked_by = NULL, locked_until = NULL`,
        [job.kind, job.payload, job.runAt, job.maxAttempts, job.dedupeKey, job.now],
      );
    },

    /** Removes the unfinished job of a key; a run in progress then fails to mark itself done. */
    async deleteByKey(tx: Queryable, dedupeKey: string): Promise<void> {
      await tx.query(`DELETE FROM job WHERE dedupe_key = $1 AND ${PENDING}`, [dedupeKey]);
    },

    /**
     * Takes the next due job of the given kinds and leases it, in one statement. SKIP LOCKED lets
     * concurrent workers pass over a row another is claiming instead of queueing behind it; the
     * lease condition keeps a claimed job from being taken again until its lease runs out.
     */
    claimNext(
      db: Queryable,
      claim: { kinds: string[]; workerId: string; now: Date; leaseUntil: Date },
    ): Promise<ClaimedJob | undefined> {
      return db.one<ClaimedJob>(
        `UPDATE job SET locked_by = $1, locked_until = $2, attempts = attempts + 1
         WHERE id = (
           SELECT id FROM job
           WHERE ${PENDING} AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)
             AND kind = ANY($4::text[])
           ORDER BY run_at, id
           LIMIT 1
           FOR UPDATE SKIP LOCKED
         )
         RETURNING id, kind, payload, attempts, max_attempts AS "maxAttempts"`,
        [claim.workerId, claim.leaseUntil, claim.now, claim.kinds],
      );
    },

    /**
     * Marks a claimed job done inside the handler's transaction. Only the holder of this very
     * claim (worker and attempt) may: false means the lease was lost or the job cancelled, and the
     * caller rolls the handler's work back.
     */
    async markDone(tx: Queryable, job: ClaimedJob, workerId: string, now: Date): Promise<boolean> {
      const result = await tx.query(
        `UPDATE job SET done_at = $4, locked_until = NULL, last_error = NULL
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND ${PENDING}`,
        [job.id, workerId, job.attempts, now],
      );
      return result.rowCount === 1;
    },

    /** Records a failed attempt: back to waiting until `retryAt`, or failed for good. */
    async markFailed(
      db: Queryable,
      job: ClaimedJob,
      failure: { workerId: string; now: Date; retryAt: Date; error: string },
    ): Promise<'retry' | 'failed' | 'lost'> {
      const row = await db.one<{ failed: boolean }>(
        `UPDATE job SET last_error = $4, locked_until = NULL,
           failed_at = CASE WHEN attempts >= max_attempts THEN $5::timestamptz END,
           run_at = CASE WHEN attempts >= max_attempts THEN run_at ELSE $6::timestamptz END
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND ${PENDING}
         RETURNING failed_at IS NOT NULL AS failed`,
        [job.id, failure.workerId, job.attempts, failure.error, failure.now, failure.retryAt],
      );
      if (!row) return 'lost';
      return row.failed ? 'failed' : 'retry';
    },

    findByKey(db: Queryable, dedupeKey: string): Promise<JobRow[]> {
      return db.many<JobRow>(`${SELECT_JOB} WHERE dedupe_key = $1 ORDER BY id`, [dedupeKey]);
    },

    find(db: Queryable, id: number): Promise<JobRow | undefined> {
      return db.one<JobRow>(`${SELECT_JOB} WHERE id = $1`, [id]);
    },
  };
}

const SELECT_JOB = `SELECT id, kind, payload, run_at AS "runAt", attempts, max_attempts AS "maxAttempts",
  locked_by AS "lockedBy", locked_until AS "lockedUntil", last_error AS "lastError", done_at AS "doneAt",
  failed_at AS "failedAt", dedupe_key AS "dedupeKey", created_at AS "createdAt" FROM job`;
