import type { Queryable } from '../../db/db.ts';

export interface AlertRow {
  appealId: string;
  userId: string;
  rank: number;
  distanceM: number;
  alertedAt: Date;
  acknowledgedAt: Date | null;
  arrivedAt: Date | null;
}

const COLUMNS = `appeal_id AS "appealId", user_id AS "userId", rank, distance_m AS "distanceM",
  alerted_at AS "alertedAt", acknowledged_at AS "acknowledgedAt", arrived_at AS "arrivedAt"`;

export function createAlertRepository(db: Queryable) {
  return {
    insert: (alert: { appealId: string; userId: string; rank: number; distanceM: number; now: Date }) =>
      db.query(
        `INSERT INTO appeal_alert (appeal_id, user_id, rank, distance_m, alerted_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [alert.appealId, alert.userId, alert.rank, alert.distanceM, alert.now],
      ),

    /** Every alert of one appeal, locked: acknowledging is a race the first one wins. */
    ofAppeal: (appealId: string, lock = false) =>
      db.many<AlertRow>(
        `SELECT ${COLUMNS} FROM appeal_alert WHERE appeal_id = $1 ORDER BY rank ${lock ? 'FOR UPDATE' : ''}`,
        [appealId],
      ),

    acknowledge: (appealId: string, userId: string, now: Date) =>
      db.query('UPDATE appeal_alert SET acknowledged_at = $3 WHERE appeal_id = $1 AND user_id = $2', [
        appealId,
        userId,
        now,
      ]),

    arrive: (appealId: string, userId: string, now: Date) =>
      db.query('UPDATE appeal_alert SET arrived_at = $3 WHERE appeal_id = $1 AND user_id = $2', [
        appealId,
        userId,
        now,
      ]),

    /** What still calls this person: alerts of appeals nobody has taken yet, newest first. */
    openFor: (userId: string) =>
      db.many<AlertRow & { title: string }>(
        `SELECT x.appeal_id AS "appealId", x.user_id AS "userId", x.rank, x.distance_m AS "distanceM",
           x.alerted_at AS "alertedAt", x.acknowledged_at AS "acknowledgedAt", x.arrived_at AS "arrivedAt", a.title
         FROM appeal_alert x JOIN appeal a ON a.id = x.appeal_id
         WHERE x.user_id = $1 AND x.acknowledged_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM appeal_alert y WHERE y.appeal_id = x.appeal_id AND y.acknowledged_at IS NOT NULL)
         ORDER BY x.alerted_at DESC LIMIT 20`,
        [userId],
      ),

    /** Names the person who took it (指派 by the alert): their inbox and reach follow. */
    nameTaker: (appealId: string, userId: string, now: Date) =>
      db.query(
        'UPDATE appeal SET assigned_user_id = $2, updated_at = $3, version = version + 1 WHERE id = $1',
        [appealId, userId, now],
      ),
  };
}
