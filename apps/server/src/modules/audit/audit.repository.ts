import type { Queryable } from '../../db/db.ts';
import { SECURITY_STREAM } from '../../platform/journal/index.ts';

export interface ReportRow {
  id: number;
  at: Date;
  action: string;
  actorId: string | null;
  actorName: string | null;
  actorOrgId: number | null;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
}

export interface ReportWindow {
  from: Date;
  to: Date;
  /** Only events whose actor belongs to this subtree. */
  scopePath: string;
  /** Events with no known actor (a login with an unknown username): for the top of the tree only. */
  includeUnattributed: boolean;
}

const SCOPED = `j.stream = '${SECURITY_STREAM}' AND j.at >= $1 AND j.at < $2
  AND (starts_with(o.path, $3) OR (j.actor_org_id IS NULL AND $4::boolean))`;
const FROM =
  'journal j LEFT JOIN org_unit o ON o.id = j.actor_org_id LEFT JOIN app_user u ON u.id = j.actor_id';

/** Reads the security stream for the auditor's report; never writes (the journal refuses it anyway). */
export function createAuditRepository(db: Queryable) {
  const params = (w: ReportWindow) => [w.from, w.to, w.scopePath, w.includeUnattributed];
  return {
    async counts(w: ReportWindow, actions: readonly string[]): Promise<Record<string, number>> {
      const rows = await db.many<{ action: string; count: number }>(
        `SELECT j.action, count(*)::int AS count FROM ${FROM}
         WHERE ${SCOPED} AND j.action = ANY ($5::text[]) GROUP BY j.action`,
        [...params(w), [...actions]],
      );
      return Object.fromEntries(rows.map((row) => [row.action, row.count]));
    },

    /** The newest `limit` events of some actions in the window. */
    latest: (w: ReportWindow, actions: readonly string[], limit: number) =>
      db.many<ReportRow>(
        `SELECT j.id, j.at, j.action, j.actor_id AS "actorId", u.username AS "actorName",
           j.actor_org_id AS "actorOrgId", j.subject_type AS "subjectType", j.subject_id AS "subjectId", j.data
         FROM ${FROM} WHERE ${SCOPED} AND j.action = ANY ($5::text[])
         ORDER BY j.id DESC LIMIT $6`,
        [...params(w), [...actions], limit],
      ),
  };
}
