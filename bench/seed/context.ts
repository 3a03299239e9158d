import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Queryable } from '../../apps/server/src/db/db.ts';

/** Everything the generator draws from, read once from the seeded database and the text corpus. */
export interface SeedContext {
  grids: GridInfo[];
  /** Cumulative weights over `grids`: busy grids (markets, old villages) get far more appeals. */
  gridWeights: Float64Array;
  /** The district, with its six-digit division code (the Citus distribution column, docs/scaling.md). */
  district: { id: number; path: string; code: string };
  categories: CategoryInfo[];
  categoryWeights: Float64Array;
  departments: { id: number; name: string; path: string }[];
  actors: { dispatcher: Actor; handler: Actor; community: Actor };
  texts: { title: string; content: string }[];
}

export interface GridInfo {
  id: number;
  path: string;
  name: string;
  stationId: number | null;
  communityId: number;
  communityName: string;
  communityPath: string;
  boundary: Polygon | MultiPolygon;
}

export interface CategoryInfo {
  id: number;
  code: string;
  kind: string;
  urgency: string;
  acceptDays: number;
  finishDays: number;
}

export interface Actor {
  userId: string;
  orgId: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CORPUS = path.resolve(HERE, '../../../shared/data/appeals-teddy2020/train.jsonl');

/**
 * Share of each kind in a year of 12345 hotline work (complaints and help requests dominate,
 * consultations next; patrol and snapshot reports come from grid workers). Within a kind, items
 * follow a Zipf curve: a few (noise, property, wage arrears) take most of the volume.
 */
const KIND_SHARE: Record<string, number> = {
  complaint: 0.38,
  help: 0.2,
  consultation: 0.16,
  suggestion: 0.05,
  dispute: 0.08,
  patrol: 0.08,
  snapshot: 0.05,
};

function cumulative(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Index of the first cumulative weight above `u` (binary search). */
export function pickWeighted(cumulativeWeights: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulativeWeights[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function loadTexts(file = DEFAULT_CORPUS): { title: string; content: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { title: string; content: string })
    .map((r) => ({ title: r.title.trim().slice(0, 200), content: r.content.trim() }))
    .filter((r) => r.title && r.content);
}

export async function loadContext(
  db: Queryable,
  random: () => number,
  corpus?: string,
): Promise<SeedContext> {
  const grids = await db.many<Omit<GridInfo, 'boundary'> & { boundary: GridInfo['boundary'] | null }>(
    `SELECT g.id, g.path, g.name, g.boundary,
            CASE WHEN s.level = 'station' THEN s.id END AS "stationId",
            c.id AS "communityId", c.name AS "communityName", c.path AS "communityPath"
       FROM org_unit g
       JOIN org_unit s ON s.id = g.parent_id
       JOIN org_unit c ON c.level = 'community' AND starts_with(g.path, c.path)
      WHERE g.level = 'grid' AND g.boundary IS NOT NULL
      ORDER BY g.id`,
  );
  if (!grids.length)
    throw new Error('the org tree has no grids with boundaries: seed the demo district first');
  const district = await db.one<{ id: number; path: string; code: string }>(
    "SELECT id, path, left(code, 6) AS code FROM org_unit WHERE level = 'district' ORDER BY id LIMIT 1",
  );
  const categories = await db.many<CategoryInfo>(
    `SELECT id, code, kind, urgency, accept_days AS "acceptDays", finish_days AS "finishDays"
       FROM category WHERE NOT is_group AND active ORDER BY sort_order, id`,
  );
  const departments = await db.many<{ id: number; name: string; path: string }>(
    "SELECT id, name, path FROM org_unit WHERE level = 'department' ORDER BY id",
  );
  const users = await db.many<{ id: string; username: string; orgId: number }>(
    'SELECT id, username, org_id AS "orgId" FROM app_user',
  );
  const user = (name: string): Actor => {
    const found = users.find((u) => u.username === name) ?? users[0];
    if (!found) throw new Error('no staff accounts: seed the demo district first');
    return { userId: found.id, orgId: found.orgId };
  };
  // Per-kind Zipf ranks, then scaled so each kind keeps its share of the whole.
  const byKind = new Map<string, number>();
  const categoryWeights = categories.map((c) => {
    const rank = (byKind.get(c.kind) ?? 0) + 1;
    byKind.set(c.kind, rank);
    return (KIND_SHARE[c.kind] ?? 0.02) / rank;
  });
  const kindTotals = new Map<string, number>();
  categories.forEach((c, i) => {
    kindTotals.set(c.kind, (kindTotals.get(c.kind) ?? 0) + categoryWeights[i]!);
  });
  const scaled = categories.map(
    (c, i) => ((KIND_SHARE[c.kind] ?? 0.02) * categoryWeights[i]!) / kindTotals.get(c.kind)!,
  );
  // Log-normal activity per grid: the busiest grids see tens of times the quietest.
  const gridWeights = grids.map(() => Math.exp(1.2 * gaussian(random)));
  return {
    grids: grids as GridInfo[],
    gridWeights: cumulative(gridWeights),
    district: district!,
    categories,
    categoryWeights: cumulative(scaled),
    departments,
    actors: {
      dispatcher: user('district-dispatcher'),
      handler: user('dept-handler'),
      community: user('community-worker'),
    },
    texts: loadTexts(corpus),
  };
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
