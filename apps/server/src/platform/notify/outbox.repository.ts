import type { Queryable } from '../../db/db.ts';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  /** The record the message is about: an appeal, or a dispute case (its parties). */
  appealId: string | null;
  disputeId: string | null;
  channel: 'sms' | 'wechat';
  recipientEnc: string;
  recipientMasked: string;
  template: string;
  params: Record<string, string>;
  body: string;
  status: OutboxStatus;
  attempts: number;
  gatewayRef: string | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
}

export interface OutboxListFilter {
  /** Only messages about appeals (or dispute cases) whose area lies in this subtree. */
  scopePath: string;
  status?: OutboxStatus;
  appealId?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

const COLUMNS = `o.id, o.appeal_id AS "appealId", o.dispute_id AS "disputeId", o.channel, o.recipient_enc AS "recipientEnc",
  o.recipient_masked AS "recipientMasked", o.template, o.params, o.body, o.status, o.attempts,
  o.gateway_ref AS "gatewayRef", o.last_error AS "lastError", o.created_at AS "createdAt",
  o.sent_at AS "sentAt", o.failed_at AS "failedAt"`;

/** The only SQL of the outbox. Times come from the injected Clock. */
export function createOutboxRepository(db: Queryable) {
  return {
    async insert(row: {
      appealId: string | null;
      disputeId: string | null;
      channel: string;
      recipientEnc: string;
      recipientMasked: string;
      template: string;
      params: Record<string, string>;
      body: string;
      now: Date;
    }): Promise<string> {
      const inserted = await db.one<{ id: string }>(
        `INSERT INTO outbox (appeal_id, dispute_id, channel, recipient_enc, recipient_masked, template, params, body,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING id`,
        [
          row.appealId,
          row.disputeId,
          row.channel,
          row.recipientEnc,
          row.recipientMasked,
          row.template,
          JSON.stringify(row.params),
          row.body,
          row.now,
        ],
      );
      return inserted!.id;
    },

    /** The message if it still waits for delivery, locked against a concurrent delivery. */
    lockPending: (id: string) =>
      db.one<OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox o WHERE o.id = $1 AND o.status = 'pending' FOR UPDATE`,
        [id],
      ),

    markSent: (id: string, outcome: { now: Date; attempts: number; ref: string | null }) =>
      db.query(
        `UPDATE outbox SET status = 'sent', sent_at = $2, attempts = $3, gateway_ref = $4, last_error = NULL
         WHERE id = $1 AND status = 'pending'`,
        [id, outcome.now, outcome.attempts, outcome.ref],
      ),

    markFailed: (id: string, outcome: { now: Date; attempts: number; error: string }) =>
      db.query(
        `UPDATE outbox SET status = 'failed', failed_at = $2, attempts = $3, last_error = $4
         WHERE id = $1 AND status = 'pending'`,
        [id, outcome.now, outcome.attempts, outcome.error],
      ),

    /** Messages of a channel the gateway accepted since a moment (the SMS budget's count). */
    async countSentSince(channel: string, since: Date): Promise<number> {
      const row = await db.one<{ count: number }>(
        `SELECT count(*)::int AS count FROM outbox WHERE channel = $1 AND status = 'sent' AND sent_at >= $2`,
        [channel, since],
      );
      return row?.count ?? 0;
    },

    find: (id: string) => db.one<OutboxRow>(`SELECT ${COLUMNS} FROM outbox o WHERE o.id = $1`, [id]),

    list(filter: OutboxListFilter) {
      const params: unknown[] = [filter.scopePath];
      const where = ['starts_with(coalesce(a.org_path, d.org_path), $1)'];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.status) add('o.status = ?', filter.status);
      if (filter.appealId) add('o.appeal_id = ?::uuid', filter.appealId);
      if (filter.after) {
        params.push(filter.after.createdAt, filter.after.id);
        where.push(`(o.created_at, o.id) < ($${params.length - 1}, $${params.length}::uuid)`);
      }
      params.push(filter.limit);
      return db.many<OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox o LEFT JOIN appeal a ON a.id = o.appeal_id
         LEFT JOIN dispute d ON d.id = o.dispute_id
         WHERE ${where.join(' AND ')}
         ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.length}`,
        params as never,
      );
    },
  };
}
