import type { Queryable } from '../../db/db.ts';
import type { JournalContent } from './journal.hash.ts';

export interface JournalRow extends JournalContent {
  id: number;
  prevHash: string;
  hash: string;
}

const COLUMNS = `id, stream, seq, at, actor_id AS "actorId", actor_org_id AS "actorOrgId", action,
  subject_type AS "subjectType", subject_id AS "subjectId", data, prev_hash AS "prevHash", hash`;

export function createJournalRepository() {
  return {
    /** Serialises appends to one stream until the surrounding transaction ends. */
    async lockStream(tx: Queryable, stream: string): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [stream]);
    },
    lastOfStream(tx: Queryable, stream: string) {
      return tx.one<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM journal WHERE stream = $1 ORDER BY seq DESC LIMIT 1',
        [stream],
      );
    },
    async insert(tx: Queryable, row: Omit<JournalRow, 'id'>): Promise<number> {
      const inserted = await tx.one<{ id: number }>(
        `INSERT INTO journal (stream, seq, at, actor_id, actor_org_id, action, subject_type, subject_id, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          row.stream,
          row.seq,
          row.at,
          row.actorId,
          row.actorOrgId,
          row.action,
          row.subjectType,
          row.subjectId,
          JSON.stringify(row.data),
          row.prevHash,
          row.hash,
        ],
      );
      return inserted!.id;
    },
    /** Keyset pagination in chain order, so verifying millions of entries needs constant memory. */
    pageInChainOrder(db: Queryable, after: { stream: string; seq: number } | null, limit: number) {
      return after
        ? db.many<JournalRow>(
            `SELECT ${COLUMNS} FROM journal WHERE (stream, seq) > ($1, $2) ORDER BY stream, seq LIMIT $3`,
            [after.stream, after.seq, limit],
          )
        : db.many<JournalRow>(`SELECT ${COLUMNS} FROM journal ORDER BY stream, seq LIMIT $1`, [limit]);
    },
    list(
      db: Queryable,
      filter: { stream?: string; action?: string; from?: Date; to?: Date; beforeId?: number; limit: number },
    ) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      if (filter.stream) add('stream = ?', filter.stream);
      if (filter.action) add('action = ?', filter.action);
      if (filter.from) add('at >= ?', filter.from);
      if (filter.to) add('at < ?', filter.to);
      if (filter.beforeId) add('id < ?', filter.beforeId);
      params.push(filter.limit);
      return db.many<JournalRow>(
        `SELECT ${COLUMNS} FROM journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT $${params.length}`,
        params as never,
      );
    },
  };
}
