import type { Db } from '../../apps/server/src/db/db.ts';
import { createAppealRepository } from '../../apps/server/src/modules/appeals/appeals.repository.ts';
import { seededRandom } from '../../apps/server/src/modules/orgs/demo/seeded-random.ts';
import { randomPointIn } from '../../apps/server/src/modules/orgs/demo/voronoi-partition.ts';
import { hmacHex } from '../../apps/server/src/platform/crypto.ts';
import { timeIdCursor } from '../../apps/server/src/platform/paging.ts';
import type { Services } from '../../apps/server/src/services.ts';
import { loadContext } from '../seed/context.ts';

export interface Scope {
  path: string;
  /** The status the list scenario filters on: the open state with most appeals in this scope. */
  status: string;
  /** Cursors of the pages after the first, collected by walking the list (keyset paging). */
  cursors: string[];
}

/** What the scenarios draw from, read from the benchmark database before the server starts. */
export interface BenchFixtures {
  scopes: Record<'district' | 'subdistrict' | 'community', Scope>;
  codes: string[];
  ids: string[];
  points: {
    lat: number;
    lng: number;
    gridId: number;
    stationId: number | null;
    areaId: number;
    areaPath: string;
    categoryId: number;
    categoryCode: string;
  }[];
  texts: { title: string; content: string }[];
  department: { id: number; path: string };
  /** Appeals set to `accepted` for the dispatch scenario, split so no appeal is dispatched twice. */
  acceptedPool: { baseline: string[]; http: string[] };
  cipherSamples: { name: string; phone: string; phoneHmac: string; token: string };
}

/** Whose scope each list scenario reads: the demo staff the README names. */
export const SCOPE_USERS = {
  district: 'district-dispatcher',
  subdistrict: 'street-dispatcher',
  community: 'community-worker',
} as const;

const SAMPLE = 2000;
const PAGES = 25;

export async function loadFixtures(
  db: Db,
  services: Services,
  options: { poolSize: number },
): Promise<BenchFixtures> {
  const random = seededRandom('bench-run');
  const ctx = await loadContext(db, random);
  const scopes = {} as BenchFixtures['scopes'];
  for (const [level, username] of Object.entries(SCOPE_USERS) as [keyof typeof SCOPE_USERS, string][]) {
    const org = await db.one<{ path: string }>(
      'SELECT o.path FROM app_user u JOIN org_unit o ON o.id = u.org_id WHERE u.username = $1',
      [username],
    );
    if (!org) throw new Error(`no user ${username}: the benchmark database needs the demo staff`);
    const busiest = await db.one<{ status: string }>(
      `SELECT status FROM appeal WHERE starts_with(org_path, $1)
         AND status IN ('closed', 'dispatched', 'claimed', 'in_progress', 'resolved')
       GROUP BY status ORDER BY count(*) DESC LIMIT 1`,
      [org.path],
    );
    const status = busiest?.status ?? 'closed';
    scopes[level] = { path: org.path, status, cursors: await walkCursors(db, org.path, status) };
  }
  const sample = await db.many<{ id: string; code: string }>(
    `SELECT id, tracking_code AS code FROM appeal TABLESAMPLE SYSTEM (5) WHERE merged_into IS NULL LIMIT ${SAMPLE}`,
  );
  const fallback =
    sample.length >= 50
      ? sample
      : await db.many<{ id: string; code: string }>(
          `SELECT id, tracking_code AS code FROM appeal LIMIT ${SAMPLE}`,
        );
  const categories = ctx.categories.filter((c) => c.kind !== 'patrol' && c.kind !== 'snapshot');
  const points = Array.from({ length: 500 }, () => {
    const grid = ctx.grids[Math.floor(random() * ctx.grids.length)]!;
    const [lng, lat] = randomPointIn(grid.boundary, random);
    const category = categories[Math.floor(random() * categories.length)]!;
    return {
      lat: lat!,
      lng: lng!,
      gridId: grid.id,
      stationId: grid.stationId,
      areaId: grid.id,
      areaPath: grid.path,
      categoryId: category.id,
      categoryCode: category.code,
    };
  });
  const department = ctx.departments[0]!;
  const phone = '13912345678';
  return {
    scopes,
    codes: fallback.map((r) => r.code),
    ids: fallback.map((r) => r.id),
    points,
    // The API takes 5 to 5,000 characters; the corpus has a few longer complaints.
    texts: ctx.texts.filter((t) => t.content.length >= 5 && t.content.length <= 5000).slice(0, 2000),
    department: { id: department.id, path: department.path },
    acceptedPool: await acceptedPool(db, scopes.district.path, options.poolSize),
    cipherSamples: {
      name: services.cipher.encrypt('测试'),
      phone: services.cipher.encrypt(phone),
      phoneHmac: hmacHex('bench', phone),
      token: services.cipher.encrypt('BENCH123'),
    },
  };
}

/** The list's own keyset walk: page after page of 20, keeping each page's cursor. */
async function walkCursors(db: Db, path: string, status: string): Promise<string[]> {
  const repo = createAppealRepository(db);
  const cursors: string[] = [];
  let after: { at: Date; id: string } | undefined;
  for (let page = 0; page < PAGES; page++) {
    const rows = await repo.list({ scopePath: path, status: [status as never], after, limit: 21 });
    if (rows.length < 21) break;
    const last = rows[19]!;
    after = { at: last.submittedAt, id: last.id };
    cursors.push(timeIdCursor(last.submittedAt, last.id));
  }
  return cursors;
}

/**
 * Appeals the dispatch scenario moves on, put into `accepted` directly (a benchmark database is
 * disposable): the newest closed ones in the district, so the history's shape is kept elsewhere.
 */
async function acceptedPool(db: Db, districtPath: string, size: number) {
  if (size === 0) return { baseline: [], http: [] };
  const rows = await db.many<{ id: string }>(
    `UPDATE appeal SET status = 'accepted', assigned_org_id = NULL, assigned_org_path = NULL,
            claimed_by = NULL, dispatched_at = NULL, claimed_at = NULL, resolved_at = NULL, closed_at = NULL
      WHERE id IN (SELECT id FROM appeal WHERE status = 'closed' AND merged_into IS NULL
                     AND starts_with(org_path, $1) ORDER BY submitted_at DESC LIMIT $2)
      RETURNING id`,
    [districtPath, size],
  );
  // Measured: HTTP dispatches about twice as fast as the baseline (its post-commit reads overlap
  // the next request's writes), so it gets the larger share.
  const split = Math.floor(rows.length * 0.35);
  return { baseline: rows.slice(0, split).map((r) => r.id), http: rows.slice(split).map((r) => r.id) };
}
