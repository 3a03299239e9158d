import type { Queryable } from '../../db/db.ts';
import type { LngLat, OrgBoundary, OrgLevel } from './orgs.types.ts';

export interface OrgRow {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  parentId: number | null;
  path: string;
  boundary: OrgBoundary | null;
  lng: number | null;
  lat: number | null;
  serviceRadiusM: number | null;
  properties: Record<string, unknown>;
}

export interface OrgSummaryRow {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  parentId: number | null;
  path: string;
}

export interface NewOrgRow {
  code: string;
  name: string;
  level: OrgLevel;
  parentId: number | null;
  boundary: OrgBoundary | null;
  bbox: [number, number, number, number] | null;
  location: LngLat | null;
  serviceRadiusM: number | null;
  properties: Record<string, unknown>;
}

const FULL = `id, code, name, level, parent_id AS "parentId", path, boundary, lng, lat,
  service_radius_m AS "serviceRadiusM", properties`;
const SUMMARY = 'id, code, name, level, parent_id AS "parentId", path';

export function createOrgRepository(db: Queryable) {
  return {
    /** Scope is part of the query: a unit outside the subtree never leaves the database. */
    findInScope: (id: number, scopePath: string) =>
      db.one<OrgRow>(`SELECT ${FULL} FROM org_unit WHERE id = $1 AND starts_with(path, $2)`, [id, scopePath]),

    findByCode: (code: string) => db.one<OrgRow>(`SELECT ${FULL} FROM org_unit WHERE code = $1`, [code]),

    findById: (id: number) => db.one<OrgRow>(`SELECT ${FULL} FROM org_unit WHERE id = $1`, [id]),

    subtree: (scopePath: string) =>
      db.many<OrgSummaryRow>(`SELECT ${SUMMARY} FROM org_unit WHERE starts_with(path, $1) ORDER BY path`, [
        scopePath,
      ]),

    ancestors: (path: string) => {
      const ids = path.split('/').filter(Boolean).map(Number);
      return db.many<OrgSummaryRow>(
        `SELECT ${SUMMARY} FROM org_unit WHERE id = ANY ($1::int[]) ORDER BY length(path)`,
        [ids],
      );
    },

    childCounts: (id: number) =>
      db.many<{ level: OrgLevel; count: number }>(
        'SELECT level, count(*)::int AS count FROM org_unit WHERE parent_id = $1 GROUP BY level',
        [id],
      ),

    list: (filter: {
      scopePath: string;
      level?: OrgLevel;
      parentId?: number;
      q?: string;
      afterCode?: string;
      limit: number;
    }) => {
      const params: unknown[] = [filter.scopePath];
      const where = ['starts_with(path, $1)'];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.level) add('level = ?', filter.level);
      if (filter.parentId !== undefined) add('parent_id = ?', filter.parentId);
      if (filter.q) add("(name LIKE '%' || ? || '%' OR code LIKE ? || '%')", filter.q);
      if (filter.afterCode) add('code > ?', filter.afterCode);
      params.push(filter.limit);
      return db.many<OrgRow>(
        `SELECT ${FULL} FROM org_unit WHERE ${where.join(' AND ')} ORDER BY code LIMIT $${params.length}`,
        params as never,
      );
    },

    /**
     * Units of a level whose bounding box holds the point; the exact polygon test is done in
     * TypeScript. The box expression is the one indexed (GiST, migration 0028): keep them equal;
     * the point is a box of no size because GiST box_ops compares boxes with boxes.
     */
    boxesContaining: (lng: number, lat: number, levels: OrgLevel[]) =>
      db.many<OrgRow>(
        `SELECT ${FULL} FROM org_unit
         WHERE box(point(min_lng, min_lat), point(max_lng, max_lat)) @> box(point($1, $2), point($1, $2))
           AND level = ANY ($3::text[])`,
        [lng, lat, levels],
      ),

    /**
     * Places a resident may look for by name (public): subdistricts, communities, stations and
     * grids whose name — or a station's address — holds the text, with a point to go to.
     */
    searchPlaces: (text: string, limit: number) =>
      db.many<{
        code: string;
        name: string;
        level: OrgLevel;
        parentName: string | null;
        lng: number;
        lat: number;
      }>(
        `SELECT o.code, o.name, o.level, p.name AS "parentName",
                COALESCE(o.lng, (o.min_lng + o.max_lng) / 2) AS lng, COALESCE(o.lat, (o.min_lat + o.max_lat) / 2) AS lat
           FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id
          WHERE o.level IN ('subdistrict', 'community', 'station', 'grid')
            AND (o.lng IS NOT NULL OR o.min_lng IS NOT NULL)
            AND (strpos(o.name, $1) > 0 OR strpos(COALESCE(o.properties->>'address', ''), $1) > 0)
          ORDER BY strpos(o.name, $1) = 0, length(o.name), o.code
          LIMIT $2`,
        [text, limit],
      ),

    /** Grids and communities whose bounding box meets a box: what a map without tiles draws. */
    areasInBox: (minLng: number, minLat: number, maxLng: number, maxLat: number, limit: number) =>
      db.many<{ code: string; name: string; level: OrgLevel; boundary: OrgBoundary }>(
        `SELECT code, name, level, boundary FROM org_unit
          WHERE box(point(min_lng, min_lat), point(max_lng, max_lat)) && box(point($1, $2), point($3, $4))
            AND level IN ('community', 'grid') AND boundary IS NOT NULL
          ORDER BY level, code
          LIMIT $5`,
        [minLng, minLat, maxLng, maxLat, limit],
      ),

    /** Stations within a lat/lng box around a point (the caller filters by true distance). */
    stationsInBox: (minLng: number, minLat: number, maxLng: number, maxLat: number) =>
      db.many<OrgRow>(
        `SELECT ${FULL} FROM org_unit
         WHERE level = 'station' AND lng BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4`,
        [minLng, minLat, maxLng, maxLat],
      ),

    firstOfLevel: (level: OrgLevel) =>
      db.one<OrgRow>(`SELECT ${FULL} FROM org_unit WHERE level = $1 ORDER BY id LIMIT 1`, [level]),

    allCodes: () => db.many<{ code: string; level: OrgLevel }>('SELECT code, level FROM org_unit'),

    countAll: async () => (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM org_unit'))!.n,

    insert: async (row: NewOrgRow) => {
      const inserted = await db.one<{ id: number; path: string }>(
        `INSERT INTO org_unit (code, name, level, parent_id, boundary, min_lng, min_lat, max_lng, max_lat, lng, lat,
           service_radius_m, properties)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id, path`,
        [
          row.code,
          row.name,
          row.level,
          row.parentId,
          row.boundary ? JSON.stringify(row.boundary) : null,
          row.bbox?.[0] ?? null,
          row.bbox?.[1] ?? null,
          row.bbox?.[2] ?? null,
          row.bbox?.[3] ?? null,
          row.location?.lng ?? null,
          row.location?.lat ?? null,
          row.serviceRadiusM,
          JSON.stringify(row.properties),
        ],
      );
      return inserted!;
    },

    update: (
      id: number,
      changes: {
        name?: string;
        boundary?: { value: OrgBoundary | null; bbox: [number, number, number, number] | null };
        location?: LngLat | null;
        serviceRadiusM?: number | null;
        properties?: Record<string, unknown>;
      },
      now: Date,
    ) =>
      db.query(
        `UPDATE org_unit SET
           name = COALESCE($2, name),
           boundary = CASE WHEN $3::boolean THEN $4::jsonb ELSE boundary END,
           min_lng = CASE WHEN $3::boolean THEN $5 ELSE min_lng END,
           min_lat = CASE WHEN $3::boolean THEN $6 ELSE min_lat END,
           max_lng = CASE WHEN $3::boolean THEN $7 ELSE max_lng END,
           max_lat = CASE WHEN $3::boolean THEN $8 ELSE max_lat END,
           lng = CASE WHEN $9::boolean THEN $10 ELSE lng END,
           lat = CASE WHEN $9::boolean THEN $11 ELSE lat END,
           service_radius_m = CASE WHEN $12::boolean THEN $13 ELSE service_radius_m END,
           properties = COALESCE($14::jsonb, properties),
           updated_at = $15
         WHERE id = $1`,
        [
          id,
          changes.name ?? null,
          changes.boundary !== undefined,
          changes.boundary?.value ? JSON.stringify(changes.boundary.value) : null,
          changes.boundary?.bbox?.[0] ?? null,
          changes.boundary?.bbox?.[1] ?? null,
          changes.boundary?.bbox?.[2] ?? null,
          changes.boundary?.bbox?.[3] ?? null,
          changes.location !== undefined,
          changes.location?.lng ?? null,
          changes.location?.lat ?? null,
          changes.serviceRadiusM !== undefined,
          changes.serviceRadiusM ?? null,
          changes.properties ? JSON.stringify(changes.properties) : null,
          now,
        ],
      ),
  };
}
export type OrgRepository = ReturnType<typeof createOrgRepository>;
