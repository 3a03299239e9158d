import type { Queryable } from '../../db/db.ts';

/** The mediation figures of one subtree and period (registered_at in [from, to)), in one pass each. */
export function createDisputeStatsRepository(db: Queryable) {
  return {
    async totals(scopePath: string, from: Date | null, to: Date | null) {
      const row = await db.one<{
        received: number;
        resolved: number;
        failed: number;
        open: number;
        amountAgreed: number;
        amountPaid: number;
        peopleInvolved: number;
        requested: number;
        confirmed: number;
        rejected: number;
      }>(
        `WITH c AS (
           SELECT d.* FROM dispute d
            WHERE starts_with(d.org_path, $1)
              AND ($2::timestamptz IS NULL OR d.registered_at >= $2) AND ($3::timestamptz IS NULL OR d.registered_at < $3))
         SELECT count(*)::int AS received,
           count(*) FILTER (WHERE c.agreed_at IS NOT NULL)::int AS resolved,
           count(*) FILTER (WHERE c.failed_at IS NOT NULL)::int AS failed,
           count(*) FILTER (WHERE c.status IN ('registered', 'accepted', 'in_mediation'))::int AS open,
           coalesce((SELECT sum(a.total_amount) FROM dispute_agreement a JOIN c ON c.id = a.dispute_id), 0)::float8
             AS "amountAgreed",
           coalesce((SELECT sum(p.paid_amount) FROM dispute_payment p JOIN c ON c.id = p.dispute_id), 0)::float8
             AS "amountPaid",
           coalesce(sum(coalesce(c.people_involved,
             (SELECT count(*) FROM dispute_party p WHERE p.dispute_id = c.id))), 0)::int AS "peopleInvolved",
           count(*) FILTER (WHERE c.court_requested_at IS NOT NULL)::int AS requested,
           count(*) FILTER (WHERE c.ruling = 'confirmed')::int AS confirmed,
           count(*) FILTER (WHERE c.ruling = 'rejected')::int AS rejected
         FROM c`,
        [scopePath, from, to],
      );
      return row!;
    },

    byUnit: (scopePath: string, from: Date | null, to: Date | null) =>
      db.many<{ orgId: number; orgName: string; received: number; resolved: number; failed: number }>(
        `SELECT d.org_id AS "orgId", o.name AS "orgName", count(*)::int AS received,
           count(*) FILTER (WHERE d.agreed_at IS NOT NULL)::int AS resolved,
           count(*) FILTER (WHERE d.failed_at IS NOT NULL)::int AS failed
         FROM dispute d JOIN org_unit o ON o.id = d.org_id
         WHERE starts_with(d.org_path, $1)
           AND ($2::timestamptz IS NULL OR d.registered_at >= $2) AND ($3::timestamptz IS NULL OR d.registered_at < $3)
         GROUP BY d.org_id, o.name, o.path ORDER BY o.path LIMIT 500`,
        [scopePath, from, to],
      ),
  };
}
