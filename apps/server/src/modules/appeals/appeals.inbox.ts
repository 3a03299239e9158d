import { type AppealStatus, OPEN_STATUSES } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { roleMayTake } from '../../platform/workflow/index.ts';
import { createNoticeRepository } from '../coordination/index.ts';
import type { createAppealAlerts } from './appeals.alerts.ts';
import { createAppealRepository } from './appeals.repository.ts';
import { type ActionName, appealMachine } from './appeals.transitions.ts';
import type { AppealViews } from './appeals.views.ts';
import { maskTrackingCode } from './tracking-code.ts';

/** The statuses in which a unit (or the person it named) holds the work. */
const HELD_STATUSES = ['dispatched', 'claimed', 'in_progress'] as const;

type Summary = ReturnType<AppealViews['summary']>;
type Lister = (
  actor: Actor,
  filter: {
    status?: readonly AppealStatus[];
    limit?: number;
    mine?: boolean;
    dueBefore?: Date;
    overdue?: boolean;
  },
) => Promise<{ items: Summary[] }>;

/**
 * What the caller must do now, by the actions their roles may take: a dispatcher's subtree holds
 * every department's work and summons, yet a dispatcher never claims or reports in, and a grid
 * worker never accepts.
 */
export function createAppealInbox(deps: { db: Db; clock: Clock; views: AppealViews }) {
  const repo = createAppealRepository(deps.db);
  const notices = createNoticeRepository(deps.db);
  return async function inbox(
    actor: Actor,
    use: { list: Lister; alerts: ReturnType<typeof createAppealAlerts> },
  ) {
    const { list, alerts } = use;
    const now = deps.clock.now();
    const soon = new Date(now.getTime() + 24 * 3600_000);
    const may = (action: ActionName) => roleMayTake(appealMachine, actor.roles, action);
    const none = { items: [] as Summary[] };
    const [toAccept, mine, dispatched, dueSoon, overdue, summons] = await Promise.all([
      may('accept') ? list(actor, { status: ['submitted'], limit: 50 }) : none,
      actor.userId ? list(actor, { status: HELD_STATUSES, mine: true, limit: 50 }) : none,
      may('claim') ? repo.list({ scopePath: actor.orgPath, status: ['dispatched'], limit: 100 }) : [],
      list(actor, { status: OPEN_STATUSES, dueBefore: soon, overdue: false, limit: 50 }),
      list(actor, { overdue: true, status: OPEN_STATUSES, limit: 50 }),
      may('report-in') ? notices.openSummonsFor(actor.orgPath) : [],
    ]);
    // To claim: work given to the caller's own unit (or below), not merely inside their area, and
    // not named for someone else (what is named for the caller is in assignedToMe).
    const toClaim = dispatched
      .filter((r) => r.assignedOrgPath?.startsWith(actor.orgPath) && r.assignedUserId === null)
      .map((r) => deps.views.summary(actor, r));
    return {
      toAccept: toAccept.items,
      alerts: await alerts.openFor(actor),
      assignedToMe: mine.items,
      toClaim,
      dueSoon: dueSoon.items,
      overdue: overdue.items,
      summons: summons.map((s) => ({
        ...s,
        // A tracking code opens the public view: masked like everywhere staff see it.
        reference: s.subjectType === 'appeal' ? maskTrackingCode(s.reference) : s.reference,
        reportDueAt: s.reportDueAt.toISOString(),
      })),
    };
  };
}
