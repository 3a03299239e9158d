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
const RESOLVED = `status IN ${sqlList(RESOLVED_STATUSES)}`;

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
    sql: `NOT (status = 'merged' AND accepted_at IS NULL)`,
    label: '应响应',
    description: 'received, less duplicates merged before acceptance (their demand is counted once)',
  },
  resolutionBase: {
    sql: `accepted_at IS NOT NULL AND status <> 'merged'`,
    label: '应办结',
    description: 'accepted, less those merged into another appeal afterwards',
  },
} as const satisfies Record<string, { sql: string; label: string; description: string }>;

export type FigureName = keyof typeof FIGURES;

/**
 * The three rates (三率), each a share between 0 and 1 (null when its denominator is 0):
 * - **response rate (及时响应率)** = respondedInTime / responseBase. An appeal still waiting
 *   inside its accept deadline counts as not (yet) responded: the rate of the last days rises
 *   as the desk works through them.
 * - **resolution rate (办结率)** = resolved / resolutionBase: of the accepted appeals (less
 *   duplicates merged away), the share resolved, verified or closed now.
 * - **satisfaction rate (满意率)** = satisfied / rated: satisfied + basically satisfied over all
 *   rated; an appeal reopened after an unsatisfied rating keeps that rating.
 */
export const RATES = {
  response: { numerator: 'respondedInTime', denominator: 'responseBase', label: '及时响应率' },
  resolution: { numerator: 'resolved', denominator: 'resolutionBase', label: '办结率' },
  satisfaction: { numerator: 'satisfied', denominator: 'rated', label: '满意率' },
} as const satisfies Record<string, { numerator: FigureName; denominator: FigureName; label: string }>;

export type RateName = keyof typeof RATES;

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
  return [...figures, ...rates].join('\n');
}
