import type { Queryable } from '../../db/db.ts';
import { ACTIVITY, type ActivityName, FIGURES, type FigureName, RESOLVED_SQL } from './stats.definitions.ts';

/** One row of the grouping-sets query: the totals, or one group of one breakdown. */
export type StatsRow = {
  dimension: 'total' | 'day' | 'status' | 'channel' | 'category';
  /** The group's value (day offset, status, channel, category id) as text; null for the totals. */
  key: string | null;
} & Record<FigureName, number>;

export interface CategoryName {
  id: number;
  code: string;
  name: string;
}

const AGGREGATES = (Object.keys(FIGURES) as FigureName[])
  .map((name) => `count(*) FILTER (WHERE ${FIGURES[name].sql})::int AS "${name}"`)
  .join(',\n  ');

const ACTIVITY_COUNTS = (Object.keys(ACTIVITY) as ActivityName[])
  .map((name) => {
    const column = ACTIVITY[name].column;
    // A resolution counts only while the appeal is still resolved (a reopened one is back in work).
    const still = name === 'resolved' ? ` AND ${RESOLVED_SQL}` : '';
    return `count(*) FILTER (WHERE ${column} >= $2 AND ${column} < $3${still})::int AS "${name}"`;
  })
  .join(',\n  ');

/**
 * The SQL of the stats module: it reads the appeals module's table as a report, never writes.
 *
 * The scoped rows are read once and `GROUPING SETS` folds them into the totals and every
 * breakdown in the same pass. The filter is the caller's scope (its area, or the work assigned to
 * it) and the submission range: each half of the OR is a prefix-and-range condition on its own
 * index (appeal_scope_recent, appeal_assigned), so the planner combines two index scans rather
 * than reading the table — see the README for the measured plans.
 *
 * The day of a row is its offset from the range start in whole days: the range starts at a China
 * midnight and China (UTC+8, no daylight saving) has 86 400 s days, so no time-zone database is
 * needed (PGlite has none built in).
 */
export function createStatsRepository(db: Queryable) {
  return {
    figures: (filter: { scopePath: string; from: Date; to: Date; now: Date }) =>
      db.many<StatsRow>(
        `WITH scoped AS (
           SELECT status, channel, category_id, rating, reopen_count, overdue, submitted_at, accept_due_at,
             accepted_at, finish_due_at, resolved_at, closed_at,
             floor(date_part('epoch', submitted_at - $2::timestamptz) / 86400)::int AS day
           FROM appeal
           WHERE submitted_at >= $2 AND submitted_at < $3
             AND (starts_with(org_path, $1)
               OR (assigned_org_path IS NOT NULL AND starts_with(assigned_org_path, $1)))
         )
         SELECT
           CASE WHEN GROUPING(day) = 0 THEN 'day' WHEN GROUPING(status) = 0 THEN 'status'
             WHEN GROUPING(channel) = 0 THEN 'channel' WHEN GROUPING(category_id) = 0 THEN 'category'
             ELSE 'total' END AS dimension,
           COALESCE(day::text, status, channel, category_id::text) AS key,
           ${AGGREGATES.replaceAll('$now', '$4')}
         FROM scoped
         GROUP BY GROUPING SETS ((), (day), (status), (channel), (category_id))`,
        [filter.scopePath, filter.from, filter.to, filter.now],
      ),

    /**
     * Steps taken in [from, to) on the scope's appeals, whenever they were received (ACTIVITY).
     * `since` bounds the submissions read, so the scope indexes apply as in `figures`.
     */
    activity: (filter: { scopePath: string; from: Date; to: Date; since: Date }) =>
      db.one<Record<ActivityName, number>>(
        `SELECT ${ACTIVITY_COUNTS}
           FROM appeal
          WHERE submitted_at >= $4 AND submitted_at < $3
            AND (starts_with(org_path, $1)
              OR (assigned_org_path IS NOT NULL AND starts_with(assigned_org_path, $1)))
            AND (accepted_at >= $2 OR dispatched_at >= $2 OR resolved_at >= $2)`,
        [filter.scopePath, filter.from, filter.to, filter.since],
      ),

    categoryNames: (ids: number[]) =>
      db.many<CategoryName>('SELECT id, code, name FROM category WHERE id = ANY ($1::int[])', [ids]),
  };
}
export type StatsRepository = ReturnType<typeof createStatsRepository>;
