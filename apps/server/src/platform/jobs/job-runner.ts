import { defaultWorkerId, type JobHandlers, type JobQueue } from './job-queue.ts';

/** The slice of a pino logger the runner needs (Fastify's `app.log` fits). */
export interface JobRunnerLog {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface JobRunnerOptions {
  queue: JobQueue;
  handlers: JobHandlers;
  log: JobRunnerLog;
  /** Pause between polls when nothing is left to do. */
  intervalMs?: number;
  workerId?: string;
  /** Jobs per runDue call; a full batch is followed at once by the next one. */
  batchSize?: number;
}

export interface JobRunner {
  readonly workerId: string;
  start(): void;
  /** Stops polling and resolves once the job in hand (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Polls the queue in one process. Polling (rather than waking on NOTIFY) keeps it the same on
 * PGlite and PostgreSQL and needs no extra connection; a poll is one indexed query. The timer
 * is a chain of unref'd timeouts, so batches never overlap and the timer alone never keeps the
 * process alive.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { queue, handlers, log } = options;
  const intervalMs = options.intervalMs ?? 2000;
  const batchSize = options.batchSize ?? 50;
  const workerId = options.workerId ?? defaultWorkerId();
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let abort: AbortController | null = null;

  async function drain(signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        const { ran, failed } = await queue.runDue(handlers, {
          workerId,
          limit: batchSize,
          signal,
          onFailure: (job, error) =>
            log.warn(
              { err: error, jobId: job.id, kind: job.kind, attempt: job.attempt },
              job.final ? 'job failed for good after its last attempt' : 'job failed; it will be retried',
            ),
        });
        if (signal.aborted || ran + failed < batchSize) return;
      }
    } catch (error) {
      // The database may be restarting; the next poll tries again.
      log.error({ err: error, workerId }, 'job runner could not run due jobs');
    }
  }

  function schedule(controller: AbortController, delayMs: number) {
    timer = setTimeout(() => {
      inFlight = drain(controller.signal).finally(() => {
        inFlight = null;
        if (!controller.signal.aborted) schedule(controller, intervalMs);
      });
    }, delayMs);
    timer.unref();
  }

  return {
    workerId,
    start() {
      if (abort) return;
      abort = new AbortController();
      // Jobs that fell due while the server was down run straight away.
      schedule(abort, 0);
    },
    async stop() {
      abort?.abort();
      abort = null;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
