import type { Actor } from '../../platform/auth/actor.ts';
import { errors } from '../../platform/errors.ts';
import type { AreaRow, CatalogRepository, CategoryRow, OrgRef } from './catalog.repository.ts';

/** Org levels an override may be set on: the places appeals come from. */
const AREA_LEVELS = new Set(['city', 'district', 'subdistrict', 'community', 'station', 'grid']);

export interface Responsible {
  department: { id: number; code: string; name: string };
  /** How the department was chosen, for the dispatcher and the journal (zh-CN). */
  reason: string;
  rule: 'area_override' | 'competence';
}

const displayName = (org: OrgRef) => org.shortName || org.name;

function idsOfPath(path: string): number[] {
  if (!/^(\/\d+)+\/$/.test(path)) throw errors.validation('an org path looks like /1/7/42/', { path });
  return path.split('/').filter(Boolean).map(Number);
}

/**
 * Decides which department handles an item in an area. The rule order is the dispatch practice:
 * an explicit per-area assignment (e.g. the local police station) beats the catalogue's
 * competence, and the competence is looked up among the departments of the area's own district.
 */
export function createResponsibilityResolver(repo: CatalogRepository) {
  async function areaLineage(area: number | string): Promise<AreaRow[]> {
    const ids = typeof area === 'number' ? null : idsOfPath(area);
    const target = ids ? ids.at(-1)! : (area as number);
    const [self] = await repo.orgsByIds([target]);
    if (!self) throw errors.notFound('the area', { area });
    const lineageIds = idsOfPath(self.path);
    const rows = await repo.orgsByIds(lineageIds);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return lineageIds.map((id) => byId.get(id)).filter((row): row is AreaRow => row !== undefined);
  }

  const resolver = {
    /**
     * Every department that could handle the item in the area, the rule's choice first: the
     * override nearest the area, then the department whose competence covers the item (when it is
     * another). The dispatcher sees both, with the reason for each.
     */
    async candidates(category: CategoryRow, area: number | string): Promise<Responsible[]> {
      const lineage = await areaLineage(area);
      const found: Responsible[] = [];
      const override = await repo.overrideFor(
        category.id,
        lineage.map((org) => org.id),
      );
      if (override) {
        found.push({
          department: {
            id: override.department.id,
            code: override.department.code,
            name: override.department.name,
          },
          reason: `按辖区：${override.area.name} → ${displayName(override.department)}`,
          rule: 'area_override',
        });
      }
      const district = lineage.findLast((org) => org.level === 'district') ?? lineage[0]!;
      const department = category.competence
        ? await repo.departmentForCompetence(district.path, category.competence)
        : undefined;
      if (department && !found.some((f) => f.department.id === department.id)) {
        found.push({
          department: { id: department.id, code: department.code, name: department.name },
          reason: `按事项目录：${category.name} → ${displayName(department)}`,
          rule: 'competence',
        });
      }
      return found;
    },

    /** The department the rule chooses, or null when nobody fits. */
    async resolve(category: CategoryRow, area: number | string): Promise<Responsible | null> {
      return (await resolver.candidates(category, area))[0] ?? null;
    },

    /**
     * An override names an area the actor may configure and a department of that area's
     * district; each area appears once.
     */
    async checkOverrides(actor: Actor, items: readonly { areaOrgId: number; departmentOrgId: number }[]) {
      const areaIds = items.map((i) => i.areaOrgId);
      if (new Set(areaIds).size !== areaIds.length) {
        throw errors.validation('each area may have only one responsible department');
      }
      const orgs = new Map(
        (await repo.orgsByIds([...areaIds, ...items.map((i) => i.departmentOrgId)])).map((o) => [o.id, o]),
      );
      for (const [index, item] of items.entries()) {
        const area = orgs.get(item.areaOrgId);
        const department = orgs.get(item.departmentOrgId);
        if (!area?.path.startsWith(actor.orgPath)) {
          throw errors.notFound('the area', { index, areaOrgId: item.areaOrgId });
        }
        if (!department?.path.startsWith(actor.orgPath)) {
          throw errors.notFound('the department', { index, departmentOrgId: item.departmentOrgId });
        }
        if (!AREA_LEVELS.has(area.level)) {
          throw errors.unprocessable('invalid_area', `${area.name} is not an area (a ${area.level})`, {
            index,
          });
        }
        if (department.level !== 'department') {
          throw errors.unprocessable('invalid_department', `${department.name} is not a department`, {
            index,
          });
        }
        const lineage = await areaLineage(area.id);
        const district = lineage.findLast((org) => org.level === 'district') ?? lineage[0]!;
        if (!department.path.startsWith(district.path)) {
          throw errors.unprocessable(
            'department_outside_district',
            `${department.name} does not belong to ${district.name}`,
            { index },
          );
        }
      }
    },
  };
  return resolver;
}
