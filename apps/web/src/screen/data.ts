// What the big screen reads, all through the ordinary API with the console's session cookie: the
// screen has no data of its own and sees exactly the caller's subtree.
import type { MultiPolygon, Polygon } from 'geojson';
import { ApiError, createApiClient } from '../shared/api';

export const api = createApiClient();

export interface Me {
  id: string;
  displayName: string;
  roles: string[];
  orgId: number;
  orgName: string;
}

export interface Stats {
  scope: { orgId: number; orgName: string; orgLevel: string };
  range: { from: string; to: string; days: number };
  asOf: string;
  figures: Record<string, number>;
  rates: { response: number | null; resolution: number | null; satisfaction: number | null };
  rateBasis: Record<'response' | 'resolution' | 'satisfaction', { numerator: number; denominator: number }>;
  byStatus: Record<string, number>;
  topCategories: { id: number; code: string; name: string; count: number }[];
  daily: {
    date: string;
    received: number;
    accepted: number;
    resolved: number;
    onTime: number;
    overdue: number;
  }[];
}

export type Appeal = {
  id: string;
  trackingCode: string;
  title: string;
  category: { name: string } | null;
  status: string;
  urgency: string;
  escalationLevel: number;
  area: { id: number; name: string };
  assigned: { id: number; name: string } | null;
  location: { lat: number; lng: number } | null;
  acceptDueAt: string | null;
  finishDueAt: string | null;
  overdue: boolean;
  submittedAt: string;
};

export interface Boundary {
  id: number;
  name: string;
  level: string;
  geometry: Polygon | MultiPolygon;
}

/** The command centre: dispatch desks and leaders (the console shows the screen link to the same roles). */
export const SCREEN_ROLES = ['district_dispatcher', 'subdistrict_dispatcher', 'leader'];

export const OPEN_STATUSES = [
  'submitted',
  'accepted',
  'dispatched',
  'claimed',
  'in_progress',
  'returned',
  'reopened',
];

/** 'signed-out' on 401: the screen then offers the console's login. */
export async function whoAmI(): Promise<Me | 'signed-out'> {
  try {
    return (await api.get<{ user: Me }>('/auth/me', { ignoreUnauthorized: true })).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'signed-out';
    throw error;
  }
}

/** Today's China date, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

export function loadStats(range: { from?: string; to?: string } = {}): Promise<Stats> {
  const query = new URLSearchParams(range as Record<string, string>);
  return api.get<Stats>(`/stats${query.size ? `?${query}` : ''}`);
}

/** Open appeals, newest first, up to `max` (the map is a picture of now, not an archive). */
export async function loadOpenAppeals(max = 1000, extra: Record<string, string> = {}): Promise<Appeal[]> {
  const all: Appeal[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '200', ...extra });
    for (const status of OPEN_STATUSES) query.append('status', status);
    if (cursor) query.set('cursor', cursor);
    const page: { items: Appeal[]; next: string | null } = await api.get(`/appeals?${query}`);
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
  type Detail = { id: number; name: string; level: string; boundary: Polygon | MultiPolygon | null };
  const AREA_LEVELS = ['district', 'subdistrict', 'community'];
  const [own, children] = await Promise.all([
    api.get<Detail>(`/orgs/${orgId}`),
    api.get<{ items: { id: number; level: string }[] }>(`/orgs?parentId=${orgId}&limit=100`),
  ]);
  const details = await Promise.all(
    children.items
      .filter((child) => AREA_LEVELS.includes(child.level))
      .slice(0, 60)
      .map((child) => api.get<Detail>(`/orgs/${child.id}`).catch(() => null)),
  );
  return [own, ...details]
    .filter((d): d is Detail & { boundary: Polygon | MultiPolygon } => Boolean(d?.boundary))
    .map((d) => ({ id: d.id, name: d.name, level: d.level, geometry: d.boundary }));
}
