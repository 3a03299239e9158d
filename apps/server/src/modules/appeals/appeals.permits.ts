import type { Actor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppealAccess, AppealPatch } from './appeals.repository.ts';
import { type ActionName, transitions } from './appeals.transitions.ts';
import type { AppealRow } from './appeals.types.ts';

type Row = AppealRow & AppealAccess;

/** The units working on the appeal after a change: they hear of it even outside its area. */
export function assignedIds(patch: AppealPatch, row: Row): number[] {
  const assigned = 'assignedOrgId' in patch ? (patch.assignedOrgId as number | null) : row.assignedOrgId;
  const helpers = 'coHandlerOrgIds' in patch ? (patch.coHandlerOrgIds as number[]) : row.coHandlerOrgIds;
  return [...(assigned ? [assigned] : []), ...helpers];
}

/** Which actions the actor may take on this appeal now: the console shows exactly these buttons. */
export function availableActions(actor: Actor, row: Row): ActionName[] {
  return (Object.keys(transitions) as ActionName[]).filter((name) => permits(actor, row, name) === null);
}

export function permits(actor: Actor, row: Row, name: ActionName): AppError | null {
  const t = transitions[name];
  if (!actor.roles.some((role) => (t.roles as readonly string[]).includes(role))) {
    return new AppError('action_not_allowed', 403, `your role may not ${name} an appeal`, { action: name });
  }
  // The state before the relation: an appeal nobody is assigned to (submitted, returned, …) cannot
  // be claimed by anyone, and “not in this state” is the true answer. The caller already sees the
  // appeal (it was found through one of their relations), so its state tells them nothing new.
  if (!(t.from as readonly string[]).includes(row.status)) {
    return new AppError(
      'illegal_transition',
      409,
      `an appeal that is ${row.status} cannot be given “${name}”`,
      {
        action: name,
        status: row.status,
        allowedFrom: t.from,
      },
    );
  }
  const related = {
    area: row.inArea,
    assigned: row.isAssigned,
    summoned: row.isSummoned,
    involved: row.inArea || row.isAssigned || row.isSummoned,
  }[t.who];
  if (!related) {
    const why = {
      area: 'the appeal is outside your area',
      assigned: 'the work is not assigned to your unit',
      summoned: 'your unit was not summoned',
      involved: 'you have no part in this appeal',
    };
    return new AppError('action_not_allowed', 403, why[t.who], { action: name });
  }
  return null;
}
