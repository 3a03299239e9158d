import type { PatrolKind } from '@doorstep/contracts';
import type { Queryable } from '../../db/db.ts';

export interface PatrolRow {
  id: string;
  kind: PatrolKind;
  userId: string;
  userName: string;
  orgId: number;
  orgName: string;
  orgPath: string;
  status: 'started' | 'finished';
  startedAt: Date;
  finishedAt: Date | null;
  distanceM: number | null;
  pointCount: number;
  lastLat: number | null;
  lastLng: number | null;
  lastAt: Date | null;
}

const COLUMNS = `p.id, p.kind, p.user_id AS "userId", u.display_name AS "userName", p.org_id AS "orgId",
  o.name AS "orgName", p.org_path AS "orgPath", p.status, p.started_at AS "startedAt", p.finished_at AS "finishedAt",
  p.distance_m AS "distanceM", p.point_count AS "pointCount", p.last_lat AS "lastLat", p.last_lng AS "lastLng",
  p.last_at AS "lastAt"`;
const FROM = 'patrol p JOIN app_user u ON u.id = p.user_id JOIN org_unit o ON o.id = p.org_id';

export function createPatrolRepository(db: Queryable) {
  return {
    insert: (patrol: {
      id: string;
      kind: PatrolKind;
      userId: string;
      orgId: number;
      orgPath: string;
      now: Date;
    }) =>
      db.query(
        `INSERT INTO patrol (id, kind, user_id, org_id, org_path, status, started_at)
         VALUES ($1, $2, $3, $4, $5, 'started', $6)`,
        [patrol.id, patrol.kind, patrol.userId, patrol.orgId, patrol.orgPath, patrol.now],
      ),

    /** The walker's own patrol (another person's id is not found), locked when asked. */
    findOwn: (id: string, userId: string, lock = false) =>
      db.one<PatrolRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE p.id = $1 AND p.user_id = $2 ${lock ? 'FOR UPDATE OF p' : ''}`,
        [id, userId],
      ),

    openOf: (userId: string) =>
      db.one<PatrolRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE p.user_id = $1 AND p.status = 'started'`, [
        userId,
      ]),

    /** Adds the points not held yet (keyed by time), in one statement; answers how many were new. */
    async addPoints(
      patrolId: string,
      points: readonly { lat: number; lng: number; at: Date; accuracyM: number | null }[],
    ): Promise<number> {
      const result = await db.query(
        `INSERT INTO patrol_point (patrol_id, at, lat, lng, accuracy_m)
         SELECT $1, p.at, p.lat, p.lng, p.accuracy
         FROM unnest($2::timestamptz[], $3::float8[], $4::float8[], $5::real[]) AS p(at, lat, lng, accuracy)
         ON CONFLICT (patrol_id, at) DO NOTHING`,
        [
          patrolId,
          points.map((p) => p.at.toISOString()),
          points.map((p) => p.lat),
          points.map((p) => p.lng),
          points.map((p) => p.accuracyM),
        ],
      );
      return result.rowCount;
    },

    /** The newest point becomes the last known position; the count follows the table. */
    refreshSummary: (patrolId: string) =>
      db.query(
        `UPDATE patrol p SET point_count = s.n, last_lat = s.lat, last_lng = s.lng, last_at = s.at
         FROM (SELECT count(*)::int AS n,
                 (array_agg(lat ORDER BY at DESC))[1] AS lat,
                 (array_agg(lng ORDER BY at DESC))[1] AS lng,
                 max(at) AS at
               FROM patrol_point WHERE patrol_id = $1) s
         WHERE p.id = $1`,
        [patrolId],
      ),

    track: (patrolId: string) =>
      db.many<{ lat: number; lng: number; at: Date; accuracyM: number | null }>(
        `SELECT lat, lng, at, accuracy_m AS "accuracyM" FROM patrol_point WHERE patrol_id = $1 ORDER BY at`,
        [patrolId],
      ),

    finish: (patrolId: string, distanceM: number, now: Date) =>
      db.query(`UPDATE patrol SET status = 'finished', finished_at = $2, distance_m = $3 WHERE id = $1`, [
        patrolId,
        now,
        distanceM,
      ]),

    /** The patrols of a day within a scope (and under one unit, when asked). */
    ofDay: (scopePath: string, from: Date, to: Date, unitPath: string | null) =>
      db.many<PatrolRow>(
        `SELECT ${COLUMNS} FROM ${FROM}
         WHERE starts_with(p.org_path, $1) AND p.started_at >= $2 AND p.started_at < $3
           AND ($4::text IS NULL OR starts_with(p.org_path, $4::text))
         ORDER BY p.started_at LIMIT 500`,
        [scopePath, from, to, unitPath],
      ),

    /** Finished patrols per unit walked in a period: how many, metres, how many people. */
    coverage: (scopePath: string, from: Date, to: Date) =>
      db.many<{ orgId: number; orgName: string; patrols: number; distanceM: number; walkers: number }>(
        `SELECT p.org_id AS "orgId", o.name AS "orgName", count(*)::int AS patrols,
           coalesce(sum(p.distance_m), 0)::int AS "distanceM", count(DISTINCT p.user_id)::int AS walkers
         FROM patrol p JOIN org_unit o ON o.id = p.org_id
         WHERE starts_with(p.org_path, $1) AND p.status = 'finished' AND p.started_at >= $2 AND p.started_at < $3
         GROUP BY p.org_id, o.name ORDER BY o.name`,
        [scopePath, from, to],
      ),

    /** Whoever is on patrol now in a scope, with the newest position: for the nearest-worker alert. */
    onDuty: (scopePath: string) =>
      db.many<PatrolRow>(
        `SELECT ${COLUMNS} FROM ${FROM}
         WHERE p.status = 'started' AND starts_with(p.org_path, $1) AND p.last_at IS NOT NULL`,
        [scopePath],
      ),
  };
}
