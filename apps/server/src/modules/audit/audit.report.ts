import { AUDIT_REPORT_LIST_LIMIT, type AuditReportSection } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { errors } from '../../platform/errors.ts';
import { createAuditRepository, type ReportRow } from './audit.repository.ts';

/** What the report shows, each section from the security journal's actions. */
export const REPORT_SECTIONS = {
  logins: ['auth.login'],
  loginFailures: ['auth.login_failed'],
  lockouts: ['auth.locked'],
  otpFailures: ['auth.otp_failed'],
  sessionRevocations: ['auth.session_revoked', 'auth.session_revoke_refused'],
  exports: ['appeals.exported', 'people.exported'],
  personalDataViews: ['personal_data.viewed'],
} as const satisfies Record<AuditReportSection, readonly string[]>;
export type ReportSection = AuditReportSection;

export const REPORT_LIST_LIMIT = AUDIT_REPORT_LIST_LIMIT;
const MAX_WINDOW_DAYS = 366;

export interface ReportItem {
  at: string;
  action: string;
  actor: { id: string | null; username: string | null; orgId: number | null };
  ip: string | null;
  userAgent: string | null;
  result: string | null;
  subject: { type: string | null; id: string | null };
  /** What else the event recorded: a reason, a username tried, the export's row count. */
  detail: Record<string, unknown>;
}

function item(row: ReportRow): ReportItem {
  const { ip, userAgent, result, ...detail } = row.data as Record<string, unknown>;
  return {
    at: new Date(row.at).toISOString(),
    action: row.action,
    actor: { id: row.actorId, username: row.actorName, orgId: row.actorOrgId },
    ip: typeof ip === 'string' ? ip : null,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    // Entries written before results were recorded: a login or a view that happened succeeded.
    result: typeof result === 'string' ? result : null,
    subject: { type: row.subjectType, id: row.subjectId },
    detail,
  };
}

/**
 * The auditor's report over a window: exact counts and the latest events of each kind, limited to
 * the events of the caller's subtree (a subdistrict's security admin sees their staff only).
 */
export function createAuditReport(deps: { db: Db }) {
  const repo = createAuditRepository(deps.db);
  return async function report(actor: Actor, window: { from: Date; to: Date }) {
    const { from, to } = window;
    if (!(from < to)) throw errors.validation('"from" must be before "to"', { from, to });
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
      throw errors.validation(`a report covers at most ${MAX_WINDOW_DAYS} days`, {
        maxDays: MAX_WINDOW_DAYS,
      });
    }
    const scope = {
      from,
      to,
      scopePath: actor.orgPath,
      includeUnattributed: /^\/\d+\/$/.test(actor.orgPath),
    };
    const all = Object.values(REPORT_SECTIONS).flat();
    const counts = await repo.counts(scope, all);
    const sections = {} as Record<ReportSection, { count: number; items: ReportItem[]; truncated: boolean }>;
    for (const [name, actions] of Object.entries(REPORT_SECTIONS) as [ReportSection, readonly string[]][]) {
      const count = actions.reduce((sum, action) => sum + (counts[action] ?? 0), 0);
      const rows = count === 0 ? [] : await repo.latest(scope, actions, REPORT_LIST_LIMIT);
      sections[name] = { count, items: rows.map(item), truncated: count > rows.length };
    }
    return { from: from.toISOString(), to: to.toISOString(), sections };
  };
}
