// What the big screen reads, all through the ordinary API with the console's session cookie: the
// screen has no data of its own and sees exactly the caller's subtree.
import type {
  AppealPage,
  AppealSummary,
  DisputeStats,
  HotspotsReply,
  OrgDetail,
  OrgPage,
  PatrolOfDay,
  SessionUser,
  Stats,
} from '@doorstep/contracts';
import { OPEN_STATUSES } from '@doorstep/contracts/vocabulary';
import type { MultiPolygon, Polygon } from 'geojson';
import { ApiError, createApiClient } from '../shared/api';

export const api = createApiClient();

export type {
  AppealSummary,
  DisputeStats,
  Hotspot,
  HotspotsReply,
  SessionUser,
  Stats,
} from '@doorstep/contracts';

export interface Boundary {
  id: number;
  name: string;
  level: string;
  geometry: Polygon | MultiPolygon;
}

export { DISPUTE_STATS_PERMISSION, SCREEN_PERMISSION } from '../shared/permissions';

export const PATROLS_PERMISSION = 'patrols.read';
export type { PatrolOfDay } from '@doorstep/contracts';

/** Today's patrols of the caller's area: tracks, and where each walker was last seen. */
export const loadPatrols = async (day: string): Promise<PatrolOfDay[]> =>
  (await api.get<{ items: PatrolOfDay[] }>(`/patrols?date=${day}`)).items;

/** 'signed-out' on 401: the screen then offers the console's login. */
export async function whoAmI(): Promise<SessionUser | 'signed-out'> {
  try {
    return (await api.get<{ user: SessionUser }>('/auth/me', { ignoreUnauthorized: true })).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'signed-out';
    throw error;
  }
}

export { chinaToday } from '../shared/china-time';

export function loadStats(range: { from?: string; to?: string } = {}): Promise<Stats> {
  const query = new URLSearchParams(range as Record<string, string>);
  return api.get<Stats>(`/stats${query.size ? `?${query}` : ''}`);
}

/** The mediation figures (化解率 …) from the first of January of `today`'s China year. */
export function loadDisputeStats(today: string): Promise<DisputeStats> {
  return api.get<DisputeStats>(`/stats/disputes?from=${today.slice(0, 4)}-01-01&to=${today}`);
}

/** The risk layer's permission: without it the wall shows no rings and no warnings. */
export const HOTSPOTS_PERMISSION = 'hotspots.read';

/** Clusters of the last 7 days ranked by heat, and employers named in repeated wage appeals. */
export const loadHotspots = () => api.get<HotspotsReply>('/hotspots');

/** Open appeals, newest first, up to `max` (the map is a picture of now, not an archive). */
export async function loadOpenAppeals(
  max = 1000,
  extra: Record<string, string> = {},
): Promise<AppealSummary[]> {
  const all: AppealSummary[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '200', ...extra });
    for (const status of OPEN_STATUSES) query.append('status', status);
    if (cursor) query.set('cursor', cursor);
    const page: AppealPage = await api.get(`/appeals?${query}`);
    all.push(...page.items);
    cursor = page.next;
  } while (cursor && all.length < max);
  return all;
}

/**
 * The caller's own unit and the units one level down (a district and its subdistricts; a
 * subdistrict and its communities): enough outline for the wall without shipping every grid.
 */
export async function loadBoundaries(orgId: number): Promise<Boundary[]> {
  const AREA_LEVELS = ['district', 'subdistrict', 'community'];
  const [own, children] = await Promise.all([
    api.get<OrgDetail>(`/orgs/${orgId}`),
    api.get<OrgPage>(`/orgs?parentId=${orgId}&limit=100`),
  ]);
  const details = await Promise.all(
    children.items
      .filter((child) => AREA_LEVELS.includes(child.level))
      .slice(0, 60)
      .map((child) => api.get<OrgDetail>(`/orgs/${child.id}`).catch(() => null)),
  );
  return [own, ...details]
    .filter((d): d is OrgDetail & { boundary: Polygon | MultiPolygon } => Boolean(d?.boundary))
    .map((d) => ({ id: d.id, name: d.name, level: d.level, geometry: d.boundary }));
}
