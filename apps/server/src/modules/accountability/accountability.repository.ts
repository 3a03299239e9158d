import type { Queryable } from '../../db/db.ts';

export type AccountabilityKind = 'overdue' | 'returned';
export type AccountabilityStatus = 'open' | 'confirmed' | 'waived';

export interface AccountabilityRow {
  id: string;
  appealId: string;
  trackingCode: string;
  title: string;
  finishDueAt: Date | null;
  resolvedAt: Date | null;
  kind: AccountabilityKind;
  orgId: number;
  orgName: string;
  userId: string | null;
  userName: string | null;
  detail: Record<string, unknown>;
  status: AccountabilityStatus;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdAt: Date;
}

const COLUMNS = `r.id, r.appeal_id AS "appealId", a.tracking_code AS "trackingCode", a.title,
  a.finish_due_at AS "finishDueAt", a.resolved_at AS "resolvedAt", r.kind, r.org_id AS "orgId", o.name AS "orgName",
  r.user_id AS "userId", u.display_name AS "userName", r.detail, r.status, d.display_name AS "decidedByName",
  r.decided_at AS "decidedAt", r.decision_reason AS "decisionReason", r.created_at AS "createdAt"`;
const FROM = `accountability r JOIN appeal a ON a.id = r.appeal_id JOIN org_unit o ON o.id = r.org_id
  LEFT JOIN app_user u ON u.id = r.user_id LEFT JOIN app_user d ON d.id = r.decided_by`;

export function createAccountabilityRepository(db: Queryable) {
  return {
    /** One record per appeal, kind and unit: a second overdue of the same work adds nothing. */
    async insert(entry: {
      appealId: string;
      kind: AccountabilityKind;
      orgId: number;
      orgPath: string;
      userId: string | null;
      detail: Record<string, unknown>;
      now: Date;
    }): Promise<boolean> {
      const result = await db.query(
        `INSERT INTO accountability (appeal_id, kind, org_id, org_path, user_id, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (appeal_id, kind, org_id) DO NOTHING`,
        [
          entry.appealId,
          entry.kind,
          entry.orgId,
          entry.orgPath,
          entry.userId,
          JSON.stringify(entry.detail),
          entry.now,
        ],
      );
      return result.rowCount > 0;
    },

    list: (scopePath: string, status: AccountabilityStatus | null, limit: number) =>
      db.many<AccountabilityRow>(
        `SELECT ${COLUMNS} FROM ${FROM}
         WHERE starts_with(r.org_path, $1) AND ($2::text IS NULL OR r.status = $2::text)
         ORDER BY r.created_at DESC LIMIT $3`,
        [scopePath, status, limit],
      ),

    findInScope: (id: string, scopePath: string, lock = false) =>
      db.one<AccountabilityRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1 AND starts_with(r.org_path, $2) ${lock ? 'FOR UPDATE OF r' : ''}`,
        [id, scopePath],
      ),

    decide: (id: string, status: 'confirmed' | 'waived', userId: string, reason: string, now: Date) =>
      db.query(
        `UPDATE accountability SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5
         WHERE id = $1 AND status = 'open'`,
        [id, status, userId, reason, now],
      ),
  };
}
