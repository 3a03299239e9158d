import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { keysetPage } from '../../platform/paging.ts';
import { createAuditReport } from './audit.report.ts';

/** The report's window when the caller names none: the seven days up to now. */
const DEFAULT_REPORT_DAYS = 7;
const DAY_MS = 86_400_000;

export interface EntryFilter {
  stream?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Cursor: entries with a smaller id. */
  before?: number;
  limit?: number;
}

/** The auditor's window on the journal. Reads only: nothing here can change a record. */
export function createAuditService(deps: { db: Db; journal: Journal; clock: Clock }) {
  const { db, journal, clock } = deps;
  const report = createAuditReport({ db });

  return {
    /** Security report over [from, to), the caller's subtree (audit.report.ts). */
    report(actor: Actor, window: { from?: Date; to?: Date }) {
      const to = window.to ?? clock.now();
      const from = window.from ?? new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
      return report(actor, { from, to });
    },

    /** Recomputes every hash chain. */
    verify: () => journal.verify(db),

    /** The journal, filtered, newest first, a page at a time. */
    async entries(filter: EntryFilter) {
      const limit = filter.limit ?? 100;
      const rows = await journal.list(db, {
        stream: filter.stream,
        action: filter.action,
        from: filter.from,
        to: filter.to,
        beforeId: filter.before,
        limit: limit + 1,
      });
      const { page, next } = keysetPage(rows, limit, (last) => last.id);
      return { items: page.map((row) => ({ ...row, at: new Date(row.at).toISOString() })), next };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
