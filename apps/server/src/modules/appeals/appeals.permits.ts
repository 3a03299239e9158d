import type { Actor } from '../../platform/auth/actor.ts';
import type { AppError } from '../../platform/errors.ts';
import { availableActions as available, permits as permitted } from '../../platform/workflow/index.ts';
import type { AppealPatch } from './appeals.repository.ts';
import { type ActionName, type AppealRecord, appealMachine } from './appeals.transitions.ts';

/** The units working on the appeal after a change: they hear of it even outside its area. */
export function assignedIds(patch: AppealPatch, row: AppealRecord): number[] {
  const assigned = 'assignedOrgId' in patch ? (patch.assignedOrgId as number | null) : row.assignedOrgId;
  const helpers = 'coHandlerOrgIds' in patch ? (patch.coHandlerOrgIds as number[]) : row.coHandlerOrgIds;
  return [...(assigned ? [assigned] : []), ...helpers];
}

/** Which actions the actor may take on this appeal now: the console shows exactly these buttons. */
export function availableActions(actor: Actor, row: AppealRecord): ActionName[] {
  return available(appealMachine, actor, row);
}

export function permits(actor: Actor, row: AppealRecord, name: ActionName): AppError | null {
  return permitted(appealMachine, actor, row, name);
}
