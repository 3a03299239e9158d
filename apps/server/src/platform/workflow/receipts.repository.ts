import type { Queryable } from '../../db/db.ts';

/** What an Idempotency-Key was first used for. */
export interface ActionReceipt {
  subjectType: string;
  subjectId: string;
  action: string;
  bodyHash: string;
}

/** How long a key is remembered: far longer than any phone stays offline. */
const KEEP_DAYS = 30;

export function createReceiptRepository(tx: Queryable) {
  return {
    find: (actorId: string, key: string) =>
      tx.one<ActionReceipt>(
        `SELECT subject_type AS "subjectType", subject_id AS "subjectId", action, body_hash AS "bodyHash"
         FROM action_receipt WHERE actor_id = $1 AND key = $2`,
        [actorId, key],
      ),

    /**
     * Records the key in the action's own transaction, so it exists exactly when the action does.
     * This person's receipts past their time go at the same moment: a purge needs no job of its
     * own, and one person's actions never wait on another's.
     */
    async record(actorId: string, key: string, receipt: ActionReceipt, now: Date) {
      await tx.query('DELETE FROM action_receipt WHERE actor_id = $1 AND created_at < $2', [
        actorId,
        new Date(now.getTime() - KEEP_DAYS * 86_400_000),
      ]);
      await tx.query(
        `INSERT INTO action_receipt (actor_id, key, subject_type, subject_id, action, body_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [actorId, key, receipt.subjectType, receipt.subjectId, receipt.action, receipt.bodyHash, now],
      );
    },
  };
}
