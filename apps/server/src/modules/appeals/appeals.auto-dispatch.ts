import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { createAppealRepository } from './appeals.repository.ts';
import type { AppealRow } from './appeals.types.ts';

/**
 * 自动派单 (Kuiwen's platform "dispatches by itself"): when the district turns it on
 * (`DOORSTEP_AUTO_DISPATCH=on`), an appeal whose category is known, whose text the domain model
 * reads with confidence, that repeats no open appeal and names no accused unit, and whose
 * catalogue rules name exactly one responsible unit, is accepted and dispatched by the platform at
 * once — journaled with no person as actor and the reason in the dispatch's note. Anything less
 * certain waits for a person, as before.
 */
export function createAutoDispatch(
  deps: Pick<AppealDeps, 'categories'> & { db: Db; enabled: boolean },
  act: (actor: Actor, id: string, action: string, body: Record<string, unknown>) => Promise<unknown>,
) {
  const repo = createAppealRepository(deps.db);
  // The platform acts with a dispatcher's role over the whole tree; its journal entries have no user.
  const platform = systemActor(['district_dispatcher']);

  /** The one unit and the reason, or null when a person must decide (with why, for the tests). */
  async function decide(row: AppealRow): Promise<{ orgId: number; note: string } | null> {
    if (row.status !== 'submitted' || !row.categoryId || row.accusedOrgId) return null;
    const triage = row.triage;
    if (!triage || triage.needsHuman || !triage.domain || (triage.duplicates?.length ?? 0) > 0) return null;
    const rules = await deps.categories.responsible(row.categoryId, row.orgPath);
    if (rules.length !== 1) return null;
    const [rule] = rules;
    const confidence = Math.round(triage.domain.confidence * 100);
    return {
      orgId: rule!.department.id,
      note: `平台自动派单：事项「${row.categoryName ?? ''}」${rule!.reason}，领域研判置信度 ${confidence}%`,
    };
  }

  return async function autoDispatch(id: string): Promise<boolean> {
    if (!deps.enabled) return false;
    const row = await repo.findById(id);
    const decision = row ? await decide(row) : null;
    if (!decision) return false;
    try {
      await act(platform, id, 'accept', {});
      await act(platform, id, 'dispatch', { orgId: decision.orgId, note: decision.note });
      return true;
    } catch (error) {
      // A person got there first, or the rules refused: the appeal is theirs, as without the platform.
      if (error instanceof AppError) return false;
      throw error;
    }
  };
}
