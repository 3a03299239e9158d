import type { AppealSuggestions } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { withinAccusedUnit } from '../../platform/workflow/index.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { createAppealRepository } from './appeals.repository.ts';
import type { AppealRow as Row } from './appeals.types.ts';

type Suggestion = AppealSuggestions['items'][number];

/** How far back the dispatch history reaches, and how often a unit must recur to be offered. */
const HISTORY_DAYS = 90;
const HISTORY_MIN_COUNT = 2;
const HISTORY_MAX = 2;

/**
 * The units a dispatcher is offered, best first, each with its reason: the catalogue's rules for
 * the category (an assignment for the area, then the competent department), where dispatchers
 * sent this category in the district lately (`近 90 天同类派往 N 次`), then the place's own units
 * from triage (the confident domain's departments when there is no category, the grid, the
 * nearest stations by distance, the station, community and subdistrict). Never the unit the appeal
 * complains about (art. 46(5)), never a unit the dispatcher could not give the work to.
 */
export function createAppealSuggestions(deps: AppealDeps & { db: Db; clock: Clock }) {
  const repo = createAppealRepository(deps.db);

  async function fromHistory(row: Row): Promise<Suggestion[]> {
    if (!row.categoryId) return [];
    const district = await deps.places.districtOf(row.orgPath);
    const districtUnit = district && (await deps.places.byId(district.id));
    if (!districtUnit) return [];
    const since = new Date(deps.clock.now().getTime() - HISTORY_DAYS * 86_400_000);
    const rows = await repo.dispatchHistory(row.categoryId, districtUnit.path, since);
    return rows
      .filter((unit) => unit.count >= HISTORY_MIN_COUNT)
      .slice(0, HISTORY_MAX)
      .map((unit) => ({
        org: { id: unit.orgId, name: unit.name },
        reason: `近 ${HISTORY_DAYS} 天同类事项派往此单位 ${unit.count} 次`,
        rule: 'history' as const,
      }));
  }

  async function fromPlace(row: Row): Promise<Suggestion[]> {
    if (!deps.triage) return [];
    const domain = row.categoryId ? null : (row.triage?.domain ?? null);
    const point = row.lat != null && row.lng != null ? { lat: row.lat, lng: row.lng } : undefined;
    const routes = await deps.triage.routesFor(row.orgPath, point, domain);
    return routes.map((route) => ({
      org: { id: route.orgId, name: route.name },
      reason: route.reason,
      rule: 'place' as const,
    }));
  }

  return async function suggest(actor: Actor, row: Row): Promise<Suggestion[]> {
    const rules = row.categoryId ? await deps.categories.responsible(row.categoryId, row.orgPath) : [];
    const candidates: Suggestion[] = [
      ...rules.map((r) => ({ org: r.department, reason: r.reason, rule: r.rule })),
      ...(await fromHistory(row)),
      ...(await fromPlace(row)),
    ];
    const unique = candidates.filter((c, i) => candidates.findIndex((d) => d.org.id === c.org.id) === i);
    const units = await Promise.all(unique.map((c) => deps.places.byId(c.org.id)));
    return unique.filter((_, i) => {
      const unit = units[i];
      if (!unit || withinAccusedUnit(row.accusedOrgPath, unit.path)) return false;
      // The dispatch would be refused: departments serve the district, anything else must be in
      // the dispatcher's subtree.
      return unit.level === 'department' || unit.path.startsWith(actor.orgPath);
    });
  };
}
