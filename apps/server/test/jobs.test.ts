import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Db, Queryable } from '../src/db/db.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { MINUTE_MS, manualClock } from '../src/platform/clock.ts';
import {
  createJobQueue,
  createJobRunner,
  type JobContext,
  type JobHandlers,
  type JobQueue,
} from '../src/platform/jobs/index.ts';
import { createTestDb, type TestDb } from './support/test-db.ts';

/*
 * The deadline timers of appeals ("warn at 75 %", "overdue at 100 %") ride on this queue. Time is
 * a manual clock: a job falls due when the clock reaches it, without any sleeping.
 */

const HOUR_MS = 60 * MINUTE_MS;
let testDb: TestDb;
let db: Db;
const clock = manualClock('2026-10-09T09:00:00+08:00');
let queue: JobQueue;

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
  // What handlers "do": a row written in the handler's transaction, so we can count effects.
  await db.query(
    'CREATE TABLE test_job_effect (id serial PRIMARY KEY, job_id bigint, note text, worker text)',
  );
});
afterAll(() => testDb?.close());
beforeEach(async () => {
  await db.query('DELETE FROM job');
  await db.query('DELETE FROM test_job_effect');
  clock.set('2026-10-09T09:00:00+08:00');
  queue = createJobQueue({ db, clock });
});

async function enqueue(job: Parameters<JobQueue['enqueue']>[1]) {
  await db.transaction((tx) => queue.enqueue(tx, job));
}

function effect(tx: Queryable, ctx: JobContext, note: string, worker = '') {
  return tx.query('INSERT INTO test_job_effect (job_id, note, worker) VALUES ($1, $2, $3)', [
    ctx.jobId,
    note,
    worker,
  ]);
}

const effects = () =>
  db.many<{ job_id: number; note: string; worker: string }>(
    'SELECT job_id, note, worker FROM test_job_effect ORDER BY id',
  );

const recordingHandlers: JobHandlers = {
  'appeal.warn': async (payload: { appealId: string }, ctx) => {
    await effect(ctx.tx, ctx, `warn ${payload.appealId}`);
  },
};

describe('a scheduled job', () => {
  test('a due job runs once and is marked done', async () => {
    await enqueue({ kind: 'appeal.warn', payload: { appealId: 'A-1' }, dedupeKey: 'appeal:A-1:warn75' });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 1, failed: 0 });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    expect((await effects()).map((e) => e.note)).toEqual(['warn A-1']);
    const [job] = await queue.jobsByKey('appeal:A-1:warn75');
    expect(job).toMatchObject({ attempts: 1, lastError: null, failedAt: null });
    expect(job!.doneAt).toEqual(clock.now());
  });

  test('a future job waits until the clock reaches it', async () => {
    await enqueue({
      kind: 'appeal.warn',
      payload: { appealId: 'A-2' },
      runAt: new Date(clock.now().getTime() + 3 * HOUR_MS),
    });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    clock.advance(3 * HOUR_MS - 1000);
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    clock.advance(1000);
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 1, failed: 0 });
    expect(await effects()).toHaveLength(1);
  });

  test('jobs of a kind this worker has no handler for are left for one that has', async () => {
    await enqueue({ kind: 'appeal.escalate', payload: { appealId: 'A-3' } });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    const escalate: JobHandlers = {
      'appeal.escalate': async (_payload, ctx) => void (await effect(ctx.tx, ctx, 'up')),
    };
    expect(await queue.runDue(escalate)).toEqual({ ran: 1, failed: 0 });
  });

  test('a job enqueued in a transaction that rolls back never runs', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queue.enqueue(tx, { kind: 'appeal.warn', payload: { appealId: 'A-4' } });
        throw new Error('the appeal could not be saved');
      }),
    ).rejects.toThrow('could not be saved');
    clock.advance(24 * HOUR_MS);
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    expect(await db.many('SELECT id FROM job')).toEqual([]);
  });
});

describe('failures', () => {
  test('a failing job retries with backoff, its work rolled back each time, and ends failed with its last error', async () => {
    let calls = 0;
    const failures: { attempt: number; final: boolean }[] = [];
    const flaky: JobHandlers = {
      'sms.send': async (_payload, ctx) => {
        calls++;
        await effect(ctx.tx, ctx, 'half-done work');
        throw new Error(`短信网关不可用 (#${ctx.attempt})`);
      },
    };
    const run = () =>
      queue.runDue(flaky, {
        onFailure: (job, _error) => failures.push({ attempt: job.attempt, final: job.final }),
      });
    await enqueue({ kind: 'sms.send', payload: { to: 'resident' }, maxAttempts: 3, dedupeKey: 'sms:1' });
    const start = clock.now().getTime();
    const job = async () => (await queue.jobsByKey('sms:1'))[0]!;

    expect(await run()).toEqual({ ran: 0, failed: 1 });
    expect(await job()).toMatchObject({
      attempts: 1,
      lastError: 'Error: 短信网关不可用 (#1)',
      failedAt: null,
    });
    expect((await job()).runAt.getTime()).toBe(start + 30_000);
    expect(await run()).toEqual({ ran: 0, failed: 0 }); // backing off

    clock.advance(30_000);
    expect(await run()).toEqual({ ran: 0, failed: 1 });
    expect((await job()).runAt.getTime()).toBe(start + 30_000 + 60_000);
    clock.advance(59_000);
    expect(await run()).toEqual({ ran: 0, failed: 0 });
    clock.advance(1_000);
    expect(await run()).toEqual({ ran: 0, failed: 1 });

    const last = await job();
    expect(last).toMatchObject({ attempts: 3, lastError: 'Error: 短信网关不可用 (#3)', doneAt: null });
    expect(last.failedAt).toEqual(clock.now());
    expect(failures).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 3, final: true },
    ]);
    clock.advance(7 * 24 * HOUR_MS);
    expect(await run()).toEqual({ ran: 0, failed: 0 });
    expect(calls).toBe(3);
    expect(await effects()).toEqual([]);
  });

  test('a job that succeeds on its second attempt is done, with its work committed once', async () => {
    const flaky: JobHandlers = {
      'appeal.warn': async (_payload, ctx) => {
        await effect(ctx.tx, ctx, `attempt ${ctx.attempt}`);
        if (ctx.attempt === 1) throw new Error('database hiccup');
      },
    };
    await enqueue({ kind: 'appeal.warn', payload: {}, dedupeKey: 'k' });
    expect(await queue.runDue(flaky)).toEqual({ ran: 0, failed: 1 });
    clock.advance(30_000);
    expect(await queue.runDue(flaky)).toEqual({ ran: 1, failed: 0 });
    expect((await effects()).map((e) => e.note)).toEqual(['attempt 2']);
    expect((await queue.jobsByKey('k'))[0]).toMatchObject({ attempts: 2, lastError: null });
  });
});

describe('dedupe keys', () => {
  test('scheduling the same key again replaces the pending job instead of adding one', async () => {
    const t0 = clock.now().getTime();
    await enqueue({
      kind: 'appeal.warn',
      payload: { appealId: 'old' },
      runAt: new Date(t0 + HOUR_MS),
      dedupeKey: 'appeal:B:warn75',
    });
    // The deadline was extended (延期): the warning moves.
    await enqueue({
      kind: 'appeal.warn',
      payload: { appealId: 'B' },
      runAt: new Date(t0 + 2 * HOUR_MS),
      dedupeKey: 'appeal:B:warn75',
    });
    const jobs = await queue.jobsByKey('appeal:B:warn75');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.runAt.getTime()).toBe(t0 + 2 * HOUR_MS);
    clock.advance(HOUR_MS);
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });
    clock.advance(HOUR_MS);
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 1, failed: 0 });
    expect((await effects()).map((e) => e.note)).toEqual(['warn B']);
  });

  test('a cancelled key never runs; once a job of a key is done the key can be scheduled again', async () => {
    await enqueue({ kind: 'appeal.warn', payload: { appealId: 'C' }, dedupeKey: 'appeal:C:warn75' });
    await db.transaction((tx) => queue.cancel(tx, 'appeal:C:warn75'));
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 0, failed: 0 });

    await enqueue({ kind: 'appeal.warn', payload: { appealId: 'D' }, dedupeKey: 'appeal:D:warn75' });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 1, failed: 0 });
    // Reopened (重办): a new warning for the new round.
    await enqueue({ kind: 'appeal.warn', payload: { appealId: 'D' }, dedupeKey: 'appeal:D:warn75' });
    expect(await queue.runDue(recordingHandlers)).toEqual({ ran: 1, failed: 0 });
    expect((await queue.jobsByKey('appeal:D:warn75')).map((j) => j.doneAt !== null)).toEqual([true, true]);
  });

  test('a handler can re-schedule its own key: a daily reminder keeps coming', async () => {
    const daily: JobHandlers = {
      'supervision.remind': async (_payload, ctx) => {
        await effect(ctx.tx, ctx, `remind ${ctx.now.toISOString()}`);
        await queue.enqueue(ctx.tx, {
          kind: 'supervision.remind',
          payload: {},
          runAt: new Date(ctx.now.getTime() + 24 * HOUR_MS),
          dedupeKey: 'remind:E',
        });
      },
    };
    await enqueue({ kind: 'supervision.remind', payload: {}, dedupeKey: 'remind:E' });
    for (let day = 0; day < 3; day++) {
      expect(await queue.runDue(daily)).toEqual({ ran: 1, failed: 0 });
      clock.advance(24 * HOUR_MS);
    }
    expect(await effects()).toHaveLength(3);
    const pending = (await db.many<{ n: number }>('SELECT count(*) AS n FROM job WHERE done_at IS NULL'))[0]!;
    expect(pending.n).toBe(1);
  });
});

describe('several workers', () => {
  test('two runners racing over 200 jobs never run one job twice', async () => {
    // On PostgreSQL the second runner has its own pool, as a second app process would.
    const otherDb = testDb.url ? await openPostgres(testDb.url, { max: 5 }) : db;
    try {
      const queues = [createJobQueue({ db, clock }), createJobQueue({ db: otherDb, clock })];
      await db.transaction(async (tx) => {
        for (let i = 0; i < 200; i++)
          await queue.enqueue(tx, { kind: 'appeal.warn', payload: { appealId: `R-${i}` } });
      });
      const handlersFor = (worker: string): JobHandlers => ({
        'appeal.warn': async (payload: { appealId: string }, ctx) => {
          await effect(ctx.tx, ctx, payload.appealId, worker);
        },
      });
      const results = await Promise.all(
        queues.flatMap((q, i) => [
          q.runDue(handlersFor(`w${i}`), { workerId: `w${i}a`, limit: 500 }),
          q.runDue(handlersFor(`w${i}`), { workerId: `w${i}b`, limit: 500 }),
        ]),
      );
      expect(results.reduce((sum, r) => sum + r.ran, 0)).toBe(200);
      const rows = await effects();
      expect(rows).toHaveLength(200);
      expect(new Set(rows.map((r) => r.job_id)).size).toBe(200);
      // Both runners took part, so the race really happened.
      expect(rows.filter((r) => r.worker === 'w0').length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.worker === 'w1').length).toBeGreaterThan(0);
      const open = await db.many('SELECT id FROM job WHERE done_at IS NULL');
      expect(open).toEqual([]);
    } finally {
      if (otherDb !== db) await otherDb.close();
    }
  });

  test.skipIf(!process.env.TEST_DATABASE_URL)(
    'a worker that outlives its lease cannot commit: the job’s work happens once, by the worker that took it over',
    async () => {
      const otherDb = await openPostgres(testDb.url!, { max: 2 });
      try {
        const slow = createJobQueue({ db, clock, leaseMs: MINUTE_MS });
        const other = createJobQueue({ db: otherDb, clock, leaseMs: MINUTE_MS });
        await enqueue({ kind: 'appeal.warn', payload: { appealId: 'L' } });
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let started!: () => void;
        const hasStarted = new Promise<void>((resolve) => {
          started = resolve;
        });
        const stuck = slow.runDue({
          'appeal.warn': async (_payload, ctx) => {
            await effect(ctx.tx, ctx, 'slow', 'slow');
            started();
            await gate;
          },
        });
        await hasStarted;
        clock.advance(2 * MINUTE_MS);
        const taken = await other.runDue({
          'appeal.warn': async (_payload, ctx) => void (await effect(ctx.tx, ctx, 'took over', 'other')),
        });
        expect(taken).toEqual({ ran: 1, failed: 0 });
        release();
        expect(await stuck).toEqual({ ran: 0, failed: 0 });
        expect((await effects()).map((e) => e.note)).toEqual(['took over']);
      } finally {
        await otherDb.close();
      }
    },
  );

  test('the runner polls in the background and stop() waits for the job in hand', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const warnings: string[] = [];
    const runner = createJobRunner({
      queue,
      intervalMs: 10,
      log: { error: (_d, m) => warnings.push(m), warn: (_d, m) => warnings.push(m) },
      handlers: {
        'appeal.warn': async (_payload, ctx) => {
          started();
          await gate;
          await effect(ctx.tx, ctx, 'ran in the background');
        },
      },
    });
    runner.start();
    await enqueue({ kind: 'appeal.warn', payload: {} });
    await hasStarted;
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await effects()).map((e) => e.note)).toEqual(['ran in the background']);
    // Stopped: a new due job stays pending.
    await enqueue({ kind: 'appeal.warn', payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await effects()).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});
