import type { ActionBodies } from '@doorstep/contracts';
import type { Queryable } from '../../db/db.ts';
import { errors } from '../../platform/errors.ts';
import { scheduleFinishTimers } from './appeals.jobs.ts';
import type { StaffMember } from './appeals.ports.ts';
import type { AppealPatch } from './appeals.repository.ts';
import type { AppealRow } from './appeals.types.ts';

/** The catalogue's default for a complex case when an appeal has no category (seed 001: 5 days). */
export const DEFAULT_COMPLEX_FINISH_DAYS = 5;

/** The roles a named worker may have: those that claim and resolve work. */
const WORKER_ROLES = new Set([
  'department_handler',
  'community_staff',
  'station_staff',
  'grid_worker',
  'mediator',
]);

export type Assignee = StaffMember;

/** Whether a person may be named for a unit's work: active, with a role that handles work. */
export const canBeAssigned = (person: Assignee) =>
  person.active && person.roles.some((role) => WORKER_ROLES.has(role));

/**
 * 指派: the unit holding the work names the person who does it. The person must be inside that
 * unit (or below it: a community's grid worker), able to handle work, and not disabled.
 */
export function assignEffect(row: AppealRow, assignee: Assignee | undefined, body: ActionBodies['assign']) {
  if (!assignee || !canBeAssigned(assignee)) {
    throw errors.unprocessable('invalid_assignee', 'this person cannot be given the work of this unit', {
      userId: body.userId,
    });
  }
  if (row.assignedUserId === assignee.id) {
    throw errors.conflict('the work is already with this person', { code: 'already_assigned' });
  }
  return {
    patch: { assignedUserId: assignee.id } satisfies AppealPatch,
    data: { userId: assignee.id, userName: assignee.name, previousUserId: row.assignedUserId },
  };
}

/**
 * 复杂疑难: the finish deadline becomes the item's `complexFinishDays` working days from acceptance
 * (plus any extension already granted) — longer, never shorter, than the one it replaces. The
 * timers move with it; an appeal already late by the new deadline stays late.
 */
export async function markComplexEffect(
  deps: Parameters<typeof scheduleFinishTimers>[0],
  tx: Queryable,
  row: AppealRow,
  complexFinishDays: number | undefined,
  body: ActionBodies['mark-complex'],
  now: Date,
) {
  const from = row.acceptedAt ?? now;
  const days = (complexFinishDays ?? DEFAULT_COMPLEX_FINISH_DAYS) + row.extensionDays;
  const computed = deps.calendar.addWorkingDays(from, days);
  const finishDueAt = row.finishDueAt && row.finishDueAt > computed ? row.finishDueAt : computed;
  await scheduleFinishTimers(deps, tx, row.id, from, finishDueAt);
  return {
    patch: {
      complexAt: now,
      complexReason: body.reason,
      finishDueAt,
      overdue: finishDueAt <= now,
    } satisfies AppealPatch,
    data: { reason: body.reason, finishDueAt: finishDueAt.toISOString(), workingDays: days },
  };
}
