import { FINAL_STATUSES, HANDLING_STATUSES } from '@doorstep/contracts';
import type { Queryable } from '../../db/db.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { scheduleDeadline } from '../../platform/workflow/index.ts';
import { escalateUnanswered } from '../coordination/index.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { createAppealRepository } from './appeals.repository.ts';
import type { AppealRow } from './appeals.types.ts';

interface JobCtx {
  tx: Queryable;
  now: Date;
}

type Deps = Pick<AppealDeps, 'calendar' | 'jobs' | 'events' | 'accountability'> & {
  journal: Journal;
  calendar: AppealDeps['calendar'] & {
    workingMinutesBetween(from: Date, to: Date): number;
    addWorkingMinutes(from: Date, minutes: number): Date;
  };
};

/**
 * Schedules the 75 % warning and the overdue check of the finish deadline (jobs
 * `appeal.finish_warning` and `appeal.finish_overdue`). Called when the deadline is set or moved.
 */
export function scheduleFinishTimers(deps: Deps, tx: Queryable, appealId: string, from: Date, due: Date) {
  return scheduleDeadline(deps, tx, {
    subject: 'appeal',
    id: appealId,
    name: 'finish',
    from,
    due,
    payload: { appealId },
  });
}

/**
 * Background work of the appeals module (run by platform/jobs, each inside the transaction that
 * marks the job done, so its effect happens exactly once even with several app processes).
 */
export function createAppealJobs(deps: Deps) {
  const { journal } = deps;

  async function record(tx: Queryable, row: AppealRow, action: string, data: Record<string, unknown>) {
    await journal.append(tx, {
      stream: `appeal:${row.id}`,
      action,
      subjectType: 'appeal',
      subjectId: row.id,
      data,
    });
    await deps.events.publish(tx, {
      type: action,
      appealId: row.id,
      orgPath: row.orgPath,
      assignedOrgIds: row.assignedOrgId ? [row.assignedOrgId, ...row.coHandlerOrgIds] : row.coHandlerOrgIds,
    });
  }

  /** Changes made by the system: a concurrent human change wins, and the job retries later. */
  async function update(tx: Queryable, row: AppealRow, patch: Record<string, unknown>, now: Date) {
    const ok = await createAppealRepository(tx).update(row.id, row.version, patch, now);
    if (!ok) throw new Error(`appeal ${row.id} changed while a timer ran; retrying`);
  }

  return {
    /** Still not accepted when the accept deadline passes. */
    async 'appeal.accept_overdue'(payload: { appealId: string }, { tx, now }: JobCtx) {
      const row = await createAppealRepository(tx).findById(payload.appealId);
      if (!row || row.status !== 'submitted' || row.overdue) return;
      await update(tx, row, { overdue: true }, now);
      await record(tx, row, 'appeal.overdue', {
        stage: 'accept',
        dueAt: row.acceptDueAt?.toISOString() ?? null,
      });
    },

    /** Three quarters of the handling time used: warn the handler and the dispatcher. */
    async 'appeal.finish_warning'(payload: { appealId: string }, { tx, now }: JobCtx) {
      const row = await createAppealRepository(tx).findById(payload.appealId);
      if (!row || !HANDLING_STATUSES.includes(row.status) || !row.finishDueAt || row.finishDueAt <= now)
        return;
      await record(tx, row, 'appeal.due_soon', { dueAt: row.finishDueAt.toISOString() });
    },

    /** The finish deadline passed without a resolution: mark overdue and open supervision (督办). */
    async 'appeal.finish_overdue'(payload: { appealId: string }, { tx, now }: JobCtx) {
      const row = await createAppealRepository(tx).findById(payload.appealId);
      // An extension may have moved the deadline since this timer was set: its new timer decides.
      if (
        !row ||
        !HANDLING_STATUSES.includes(row.status) ||
        !row.finishDueAt ||
        row.finishDueAt > now ||
        row.overdue
      )
        return;
      await update(tx, row, { overdue: true, supervised: true }, now);
      await record(tx, row, 'appeal.overdue', {
        stage: 'finish',
        dueAt: row.finishDueAt.toISOString(),
        supervised: true,
      });
      // 问责: the unit holding the work, and the person named for it.
      if (row.assignedOrgId && row.assignedOrgPath) {
        await deps.accountability?.record(tx, {
          appealId: row.id,
          kind: 'overdue',
          orgId: row.assignedOrgId,
          orgPath: row.assignedOrgPath,
          userId: row.assignedUserId,
          detail: {
            dueAt: row.finishDueAt.toISOString(),
            supervised: true,
            reminderCount: row.reminderCount,
          },
        });
      }
    },

    /**
     * Summoned units that did not report in by the deadline: the whistle goes one level up, with
     * a new numbered notice to the same units (吹哨升级).
     */
    async 'notice.report_in_overdue'(payload: { noticeId: string; appealId: string }, { tx, now }: JobCtx) {
      await escalateUnanswered(deps, tx, payload.noticeId, now, {
        subject: { type: 'appeal', id: payload.appealId },
        load: async () => {
          const row = await createAppealRepository(tx).findById(payload.appealId);
          return row && !FINAL_STATUSES.includes(row.status) ? row : undefined;
        },
        setLevel: (row, level) => update(tx, row, { escalationLevel: level }, now),
        record: (row, action, data) => record(tx, row, action, data),
      });
    },
  };
}
