import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../auth/actor.ts';
import type { Clock } from '../clock.ts';
import { type FieldCipher, maskPhone } from '../crypto.ts';
import { errors } from '../errors.ts';
import type { JobContext } from '../jobs/index.ts';
import { keysetPage, timeIdCursor } from '../paging.ts';
import type { MessageGateway, ResidentMessage, ResidentNotifier } from './notifier.ts';
import { createOutboxRepository, type OutboxRow, type OutboxStatus } from './outbox.repository.ts';
import { prepareMessage, renderForOperator } from './templates.ts';

export const DELIVER_JOB = 'notify.deliver';
/** Tries (first included) before a message is given up as failed: 30 s, 1, 2, 4 min apart. */
export const DELIVERY_ATTEMPTS = 5;
const MAX_ERROR_CHARS = 500;
const MAX_RECIPIENT_CHARS = 64;

interface Deps {
  db: Db;
  cipher: FieldCipher;
  clock: Clock;
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; maxAttempts?: number },
    ): Promise<void>;
  };
  gateway: MessageGateway;
}

/** An outbox entry as an operator sees it: masked recipient, tracking codes masked in the text. */
function operatorView(row: OutboxRow) {
  return {
    id: row.id,
    appealId: row.appealId,
    channel: row.channel,
    recipient: row.recipientMasked,
    template: row.template,
    body: renderForOperator(row.template, row.params, row.body),
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    failedAt: row.failedAt?.toISOString() ?? null,
  };
}
export type OutboxEntryView = ReturnType<typeof operatorView>;

/**
 * Messages to residents, the local way: `notifier.send` writes them to the outbox table in the
 * caller's transaction and schedules their delivery; the `notify.deliver` job hands each to the
 * gateway and records the outcome; `list` shows them to the operator who runs the gateway.
 */
export function createResidentNotify(deps: Deps) {
  const { db, cipher, clock, gateway } = deps;

  const notifier: ResidentNotifier = {
    async send(tx: Queryable, message: ResidentMessage) {
      const { template, params, body } = prepareMessage(message.template, message.params);
      const to = message.to.replace(/[\s-]/g, '');
      if (!to || to.length > MAX_RECIPIENT_CHARS) throw new Error('a resident message needs a recipient');
      const id = await createOutboxRepository(tx).insert({
        appealId: message.appealId,
        channel: message.channel,
        recipientEnc: cipher.encrypt(to),
        recipientMasked: maskPhone(to)!,
        template,
        params,
        body,
        now: clock.now(),
      });
      await deps.jobs.enqueue(tx, {
        kind: DELIVER_JOB,
        payload: { messageId: id },
        maxAttempts: DELIVERY_ATTEMPTS,
      });
    },
  };

  /**
   * Delivers one message inside the job's transaction. A gateway error before the last attempt is
   * rethrown, so the job queue retries with backoff; at the last attempt the message is marked
   * failed instead. Delivery is at least once: if the gateway accepted a message and the commit
   * then fails, the retry sends it again (the message id is passed as the gateway's reference).
   */
  async function deliver(payload: { messageId: string }, ctx: JobContext): Promise<void> {
    const repo = createOutboxRepository(ctx.tx);
    const row = await repo.lockPending(payload.messageId);
    if (!row) return;
    try {
      const receipt = await gateway.deliver({
        id: row.id,
        channel: row.channel,
        to: cipher.decrypt(row.recipientEnc),
        template: row.template,
        params: row.params,
        body: row.body,
      });
      await repo.markSent(row.id, { now: ctx.now, attempts: ctx.attempt, ref: receipt.ref });
    } catch (error) {
      if (ctx.attempt < DELIVERY_ATTEMPTS) throw error;
      const text = error instanceof Error ? error.message : String(error);
      await repo.markFailed(row.id, {
        now: ctx.now,
        attempts: ctx.attempt,
        error: `${gateway.name}: ${text}`.slice(0, MAX_ERROR_CHARS),
      });
    }
  }

  return {
    notifier,
    /** The job handlers to merge into services.jobHandlers. */
    jobHandlers: { [DELIVER_JOB]: deliver },

    outbox: {
      /** Newest first, keyset-paginated; only messages about appeals of the actor's subtree. */
      async list(
        actor: Actor,
        filter: { status?: OutboxStatus; appealId?: string; cursor?: string; limit?: number },
      ) {
        const limit = Math.min(filter.limit ?? 50, 200);
        let after: { createdAt: Date; id: string } | undefined;
        if (filter.cursor) {
          const [at, id] = Buffer.from(filter.cursor, 'base64url').toString('utf8').split('|');
          const createdAt = new Date(at ?? '');
          if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id))
            throw errors.validation('the cursor is not valid');
          after = { createdAt, id };
        }
        const rows = await createOutboxRepository(db).list({
          scopePath: actor.orgPath,
          status: filter.status,
          appealId: filter.appealId,
          after,
          limit: limit + 1,
        });
        const { page, next } = keysetPage(rows, limit, (last) => timeIdCursor(last.createdAt, last.id));
        return { items: page.map(operatorView), next };
      },
    },
  };
}
export type ResidentNotify = ReturnType<typeof createResidentNotify>;
export type OutboxService = ResidentNotify['outbox'];
