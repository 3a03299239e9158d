import type { Queryable } from '../../db/db.ts';

export interface TicketRow {
  id: string;
  number: number;
  status: 'waiting' | 'called' | 'done';
  windowName: string | null;
  createdAt: Date;
  calledAt: Date | null;
}

const COLUMNS = `id, number, status, window_name AS "windowName", created_at AS "createdAt", called_at AS "calledAt"`;

export function createQueueRepository(db: Queryable) {
  return {
    /** The next number of the hall's day; the unique key makes a racing duplicate fail (and retry). */
    take: (orgId: number, day: string, now: Date) =>
      db.one<TicketRow>(
        `INSERT INTO hall_ticket (org_id, day, number, created_at)
         SELECT $1, $2::date, coalesce(max(number), 0) + 1, $3 FROM hall_ticket WHERE org_id = $1 AND day = $2::date
         RETURNING ${COLUMNS}`,
        [orgId, day, now],
      ),

    waitingAhead: async (orgId: number, day: string, number: number) =>
      (
        await db.one<{ n: number }>(
          `SELECT count(*)::int AS n FROM hall_ticket
           WHERE org_id = $1 AND day = $2::date AND status = 'waiting' AND number < $3`,
          [orgId, day, number],
        )
      )?.n ?? 0,

    /** The window's previous caller is done; the oldest waiting number is called to it. */
    async callNext(orgId: number, day: string, windowName: string, now: Date) {
      await db.query(
        `UPDATE hall_ticket SET status = 'done' WHERE org_id = $1 AND day = $2::date AND status = 'called' AND window_name = $3`,
        [orgId, day, windowName],
      );
      return db.one<TicketRow>(
        `UPDATE hall_ticket SET status = 'called', window_name = $3, called_at = $4
         WHERE id = (SELECT id FROM hall_ticket WHERE org_id = $1 AND day = $2::date AND status = 'waiting'
                     ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
        [orgId, day, windowName, now],
      );
    },

    recentlyCalled: (orgId: number, day: string, limit: number) =>
      db.many<TicketRow>(
        `SELECT ${COLUMNS} FROM hall_ticket WHERE org_id = $1 AND day = $2::date AND called_at IS NOT NULL
         ORDER BY called_at DESC, number DESC LIMIT $3`,
        [orgId, day, limit],
      ),

    summary: (orgId: number, day: string) =>
      db.one<{ waiting: number; averageWaitS: number | null; served: number }>(
        `SELECT count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
           count(*) FILTER (WHERE called_at IS NOT NULL)::int AS served,
           (avg(extract(epoch FROM called_at - created_at)) FILTER (WHERE called_at IS NOT NULL))::float8 AS "averageWaitS"
         FROM hall_ticket WHERE org_id = $1 AND day = $2::date`,
        [orgId, day],
      ),
  };
}
