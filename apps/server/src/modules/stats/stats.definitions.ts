import { type AppealStatus, HANDLING_STATUSES, RESOLVED_STATUSES } from '@doorstep/contracts';

/**
 * What each figure means, in one place: the SQL that counts it and the words the console shows.
 *
 * Every figure describes one cohort: the appeals **received** (submitted) in the chosen range,
 * counted in their state as of now. "Of the 120 appeals received in September, 96 are resolved"
 * — so a figure for a past month can still change while its appeals are being handled, and the
 * figures of one range always add up among themselves.
 *
 * `$now` is the request time from the injected Clock (deadlines that passed while their timer
 * job has not run yet still count as overdue).
 */

/** States in which the handling clock runs (the finish deadline applies). */
const HANDLING = sqlList(HANDLING_STATUSES);
/** Resolved and still so: a resolved appeal reopened after an unsatisfied rating is back in work. */
export const RESOLVED_SQL = `status IN ${sqlList(RESOLVED_STATUSES)}`;
const RESOLVED = RESOLVED_SQL;

/** A list of our own status words as SQL: constants of the contract, never input. */
function sqlList(statuses: readonly AppealStatus[]): string {
  return `(${statuses.map((status) => `'${status}'`).join(', ')})`;
}

export const FIGURES = {
  received: { sql: 'true', label: '受理量（收件）', description: 'appeals submitted in the range' },
  accepted: {
    sql: 'accepted_at IS NOT NULL',
    label: '受理',
    description: 'accepted at some point (including those later merged)',
  },
  rejected: { sql: `status = 'rejected'`, label: '不予受理', description: 'refused with a reason' },
  resolved: {
    sql: RESOLVED,
    label: '办结',
    description: 'resolved, verified or closed now (a reopened appeal counts again once re-resolved)',
  },
  closed: { sql: `status = 'closed'`, label: '结案', description: 'closed (final)' },
  onTime: {
    sql: `${RESOLVED} AND resolved_at <= finish_due_at`,
    label: '按时办结',
    description: 'resolved no later than the finish deadline (extensions included)',
  },
  overdue: {
    sql: `overdue
      OR (status = 'submitted' AND accept_due_at <= $now)
      OR (status IN ${HANDLING} AND finish_due_at <= $now)
      OR (${RESOLVED} AND resolved_at > finish_due_at)`,
    label: '超期',
    description:
      'late at some stage: marked overdue by a deadline timer, waiting past a deadline now, or resolved late',
  },
  merged: { sql: `status = 'merged'`, label: '合并', description: 'merged into another appeal (duplicates)' },
  reopened: {
    sql: 'reopen_count > 0',
    label: '重办',
    description: 'reopened at least once (unsatisfied rating or a dispatcher’s reopen) — 重办率 numerator',
  },
  rated: { sql: 'rating IS NOT NULL', label: '已评价', description: 'rated by the resident' },
  satisfied: {
    sql: `rating IN ('satisfied', 'basically_satisfied')`,
    label: '满意（含基本满意）',
    description: 'rated satisfied or basically satisfied',
  },
  // The parts of the three rates (三率) that are not figures of their own.
  respondedInTime: {
    sql: `(accepted_at IS NOT NULL AND accepted_at <= accept_due_at)
      OR (status = 'rejected' AND closed_at <= accept_due_at)`,
    label: '及时响应',
    description: 'accepted, or rejected, within the accept deadline (a rejection sets closed_at)',
  },
  responseBase: {
    sql: `NOT (status = 'merged' AND accepted_at IS NULL)
      AND NOT (status = 'submitted' AND accept_due_at > $now)`,
    label: '应响应',
    description:
      'received, less duplicates merged before acceptance (their demand is counted once) and less those still waiting inside their accept deadline (not late yet)',
  },
  resolutionBase: {
    sql: `accepted_at IS NOT NULL AND status <> 'merged'
      AND (${RESOLVED} OR finish_due_at <= $now)`,
    label: '应办结',
    description:
      'accepted (less those merged away afterwards) and either resolved or past their finish deadline: work still inside its deadline is not yet owed',
  },
} as const satisfies Record<string, { sql: string; label: string; description: string }>;

export type FigureName = keyof typeof FIGURES;

/**
 * The three rates (三率), each a share between 0 and 1 (null when its denominator is 0: the
 * screens show "—", never 0 %):
 * - **response rate (及时响应率)** = respondedInTime / responseBase. An appeal still waiting
 *   inside its accept deadline is in neither: it is not late yet, so it does not count against
 *   the desk; once the deadline passes unanswered it counts as a miss.
 * - **resolution rate (办结率)** = resolved / resolutionBase: of the accepted appeals (less
 *   duplicates merged away) that are resolved or past their finish deadline, the share resolved,
 *   verified or closed now. Work still inside its deadline is not owed yet: a handler's rate right
 *   after a dispatch is "—", not 0 %.
 * - **satisfaction rate (满意率)** = satisfied / rated: satisfied + basically satisfied over all
 *   rated; an appeal reopened after an unsatisfied rating keeps that rating.
 */
export const RATES = {
  response: { numerator: 'respondedInTime', denominator: 'responseBase', label: '及时响应率' },
  resolution: { numerator: 'resolved', denominator: 'resolutionBase', label: '办结率' },
  satisfaction: { numerator: 'satisfied', denominator: 'rated', label: '满意率' },
} as const satisfies Record<string, { numerator: FigureName; denominator: FigureName; label: string }>;

export type RateName = keyof typeof RATES;

/**
 * What happened in the range, whenever the appeal was received (the cohort figures count by
 * submission): 今日受理 is the appeals accepted today, yesterday's included. Each is the time of
 * the step as the appeal holds it now — the latest dispatch after a return, the latest resolution
 * after a reopen — so one appeal counts once per figure.
 */
export const ACTIVITY = {
  accepted: { column: 'accepted_at', label: '受理', description: 'accepted in the range' },
  dispatched: {
    column: 'dispatched_at',
    label: '派单',
    description: 'dispatched in the range (the latest dispatch, after any return)',
  },
  resolved: {
    column: 'resolved_at',
    label: '办结',
    description: 'resolved in the range (the latest resolution, after any reopen) and resolved still',
  },
} as const;
export type ActivityName = keyof typeof ACTIVITY;
/**
 * Activity looks back this far for the appeals whose steps fell in the range: the submission
 * bound keeps the query on the scope indexes. A step taken on an appeal older than a year before
 * the range is not counted (measured: none in the demo data; document it where it matters).
 */
export const ACTIVITY_LOOKBACK_DAYS = 366;

/** Shares are rounded to 4 decimals (0.1 % resolution in the console, stable in JSON). */
export function share(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** The widest range one request may ask for, in days (a year, leap day included). */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;
export const TOP_CATEGORIES = 10;

/** Every figure and rate in words, for the OpenAPI description and the console's tooltips. */
export function describeFigures(): string {
  const figures = Object.entries(FIGURES).map(([name, f]) => `- \`${name}\` ${f.label}: ${f.description}`);
  const rates = Object.entries(RATES).map(
    ([name, r]) => `- \`rates.${name}\` ${r.label} = ${r.numerator} / ${r.denominator}`,
  );
  const activity = Object.entries(ACTIVITY).map(
    ([name, a]) => `- \`activity.${name}\` ${a.label}: ${a.description}`,
  );
  return [...figures, ...rates, ...activity].join('\n');
}
