import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../auth/actor.ts';
import type { Clock } from '../clock.ts';
import { type FieldCipher, maskPhone } from '../crypto.ts';
import type { JobContext } from '../jobs/index.ts';
import { type Journal, SECURITY_STREAM } from '../journal/index.ts';
import { keysetPage, readTimeIdCursor, timeIdCursor } from '../paging.ts';
import type { MessageGateway, ResidentMessage, ResidentNotifier } from './notifier.ts';
import { createOutboxRepository, type OutboxRow, type OutboxStatus } from './outbox.repository.ts';
import { prepareMessage, renderForOperator } from './templates.ts';

export const DELIVER_JOB = 'notify.deliver';
/** The security event written when the hour's SMS budget is spent (at most once an hour). */
export const SMS_BUDGET_REACHED = 'sms.budget_reached';
/** Tries (first included) before a message is given up as failed: 30 s, 1, 2, 4 min apart. */
export const DELIVERY_ATTEMPTS = 5;
const MAX_ERROR_CHARS = 500;
const MAX_RECIPIENT_CHARS = 64;

/** SMS handed to the gateway per rolling hour, all recipients together, unless configured. */
export const DEFAULT_SMS_BUDGET_PER_HOUR = 2000;
/** A message over the budget waits this long before it is offered again. */
export const BUDGET_WAIT_MS = 10 * 60_000;
const HOUR_MS = 3600_000;

interface Deps {
  db: Db;
  cipher: FieldCipher;
  clock: Clock;
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; maxAttempts?: number; runAt?: Date },
    ): Promise<void>;
  };
  gateway: MessageGateway;
  /** The alert when the SMS budget is reached: a security event the auditor sees. */
  journal: Pick<Journal, 'append' | 'list'>;
  /**
   * SMS per rolling hour across every recipient (DOORSTEP_SMS_BUDGET_PER_HOUR). The per-phone
   * intake limit bounds one target; this bounds them all, so a flood of appeals naming thousands
   * of numbers costs the district at most this many messages an hour.
   */
  smsBudgetPerHour?: number;
}

/** An outbox entry as an operator sees it: masked recipient, tracking codes masked in the text. */
function operatorView(row: OutboxRow) {
  return {
    id: row.id,
    appealId: row.appealId,
    disputeId: row.disputeId,
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
      if (Boolean(message.appealId) === Boolean(message.disputeId)) {
        throw new Error('a resident message is about one appeal or one dispute case');
      }
      const id = await createOutboxRepository(tx).insert({
        appealId: message.appealId ?? null,
        disputeId: message.disputeId ?? null,
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
    if (row.channel === 'sms' && (await overBudget(ctx))) {
      // Not lost and not an attempt: the message waits, and the queue drains at the budget's pace.
      await deps.jobs.enqueue(ctx.tx, {
        kind: DELIVER_JOB,
        payload,
        maxAttempts: DELIVERY_ATTEMPTS,
        runAt: new Date(ctx.now.getTime() + BUDGET_WAIT_MS),
      });
      return;
    }
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

  /** Whether the hour's SMS are spent; the first time in an hour, the security journal says so. */
  async function overBudget(ctx: JobContext): Promise<boolean> {
    const budget = deps.smsBudgetPerHour ?? DEFAULT_SMS_BUDGET_PER_HOUR;
    const hourAgo = new Date(ctx.now.getTime() - HOUR_MS);
    const sent = await createOutboxRepository(ctx.tx).countSentSince('sms', hourAgo);
    if (sent < budget) return false;
    const [recent] = await deps.journal.list(ctx.tx, {
      stream: SECURITY_STREAM,
      action: SMS_BUDGET_REACHED,
      from: hourAgo,
      limit: 1,
    });
    if (!recent) {
      await deps.journal.append(ctx.tx, {
        stream: SECURITY_STREAM,
        action: SMS_BUDGET_REACHED,
        data: { budgetPerHour: budget, sentLastHour: sent, waitMinutes: BUDGET_WAIT_MS / 60_000 },
      });
    }
    return true;
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
          const { at, id } = readTimeIdCursor(filter.cursor);
          after = { createdAt: at, id };
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
