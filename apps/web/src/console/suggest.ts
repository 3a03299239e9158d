// Which units the dispatch and whistle dialogs offer first, and why.
//
// GAP: there is no triage endpoint yet. Until there is, the console repeats the server's rule for
// the responsible department (apps/server/src/modules/catalog/responsibility.ts) from data it may
// read: a per-area assignment of the category (the category's `responsibilities`) for the
// appeal's area or one of its ancestors, else the departments whose `properties.competences` hold
// the category's competence. It costs one request per department (their competences are only in
// the detail), cached for the page's life. Replace with `GET /appeals/{id}/suggestions` (or the
// triage module's answer, with its reasons) when it exists.

import type { AppealDetail, CategoryDetail, OrgDetail, OrgListItem, OrgPage } from '@doorstep/contracts';
import type { ApiClient } from '../shared/api';
import { strings } from './strings';

export interface Suggestion {
  org: { id: number; name: string };
  reason: string;
}

export interface UnitChoices {
  suggestions: Suggestion[];
  /** Functional departments the user may see (a subdistrict dispatcher sees none: see README gaps). */
  departments: OrgListItem[];
  /** Units directly below the user's own: the streets of a district, the communities of a street. */
  subUnits: OrgListItem[];
}

const AREA_LEVELS = ['subdistrict', 'community', 'station', 'grid'];

// Keyed by the list it was built from, so another account in the same tab never reuses it.
let departmentDetails: { key: string; details: Promise<OrgDetail[]> } | null = null;

async function listAll(api: ApiClient, query: string): Promise<OrgListItem[]> {
  return (await api.get<OrgPage>(`/orgs?${query}&limit=500`)).items;
}

export async function unitChoices(
  api: ApiClient,
  appeal: AppealDetail,
  userOrgId: number,
): Promise<UnitChoices> {
  const [departments, children, category, area] = await Promise.all([
    listAll(api, 'level=department').catch(() => []),
    listAll(api, `parentId=${userOrgId}`).catch(() => []),
    appeal.category
      ? api.get<CategoryDetail>(`/categories/${appeal.category.id}`).catch(() => null)
      : Promise.resolve(null),
    api.get<OrgDetail>(`/orgs/${appeal.area.id}`).catch(() => null),
  ]);
  const subUnits = children.filter((org) => AREA_LEVELS.includes(org.level));
  const suggestions: Suggestion[] = [];
  const add = (org: { id: number; name: string }, reason: string) => {
    if (!suggestions.some((s) => s.org.id === org.id)) suggestions.push({ org, reason });
  };

  if (category) {
    // Per-area assignment: the deepest area of the appeal's lineage with an entry wins.
    const lineage = area ? [...area.ancestors.map((a) => a.id), area.id].reverse() : [appeal.area.id];
    for (const areaId of lineage) {
      const hit = category.responsibilities.find((r) => r.area.id === areaId);
      if (hit) add(hit.department, strings.dispatch.byArea(hit.area.name));
    }
    if (category.competence && departments.length > 0) {
      const key = departments.map((d) => d.id).join(',');
      if (departmentDetails?.key !== key) {
        const details = Promise.all(
          departments.map((d) => api.get<OrgDetail>(`/orgs/${d.id}`).catch(() => null)),
        ).then((all) => all.filter((d): d is OrgDetail => d !== null));
        departmentDetails = { key, details };
      }
      for (const department of await departmentDetails.details) {
        const competences = department.properties.competences;
        if (Array.isArray(competences) && competences.includes(category.competence)) {
          add(department, strings.dispatch.byCompetence(category.name));
        }
      }
    }
  }
  return { suggestions, departments, subUnits };
}
