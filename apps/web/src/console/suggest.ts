// Which units the dispatch and whistle dialogs offer: the server's suggestions for the appeal
// (GET /appeals/{id}/suggestions: the catalogue's responsibility rules, each with its reason), the
// departments the user may see and the units directly below the user's own.

import type { AppealDetail, AppealSuggestions, OrgListItem, OrgPage } from '@doorstep/contracts';
import type { ApiClient } from '../shared/api';

export type Suggestion = AppealSuggestions['items'][number];

export interface UnitChoices {
  suggestions: Suggestion[];
  /** Functional departments the user may see (a subdistrict dispatcher sees none: see README gaps). */
  departments: OrgListItem[];
  /** Units directly below the user's own: the streets of a district, the communities of a street. */
  subUnits: OrgListItem[];
}

const AREA_LEVELS = ['subdistrict', 'community', 'station', 'grid'];

async function listAll(api: ApiClient, query: string): Promise<OrgListItem[]> {
  return (await api.get<OrgPage>(`/orgs?${query}&limit=500`)).items;
}

export async function unitChoices(
  api: ApiClient,
  appeal: AppealDetail,
  userOrgId: number,
): Promise<UnitChoices> {
  const [departments, children, suggested] = await Promise.all([
    listAll(api, 'level=department').catch(() => []),
    listAll(api, `parentId=${userOrgId}`).catch(() => []),
    api.get<AppealSuggestions>(`/appeals/${appeal.id}/suggestions`).catch(() => ({ items: [] })),
  ]);
  const subUnits = children.filter((org) => AREA_LEVELS.includes(org.level));
  return { suggestions: suggested.items, departments, subUnits };
}
