import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Queryable } from '../../db/db.ts';
import { createOrgRepository, type OrgRow } from './orgs.repository.ts';

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine); ample precision at district scale. */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

/**
 * Where a point lies in the org tree. The bounding-box columns narrow the candidates in SQL (PostGIS
 * is not available in PGlite), then the exact point-in-polygon test runs here.
 */
export function createOrgGeo(db: Queryable) {
  const repo = createOrgRepository(db);

  async function smallestContaining(lng: number, lat: number): Promise<OrgRow | null> {
    for (const level of ['grid', 'community', 'subdistrict', 'district'] as const) {
      const candidates = await repo.boxesContaining(lng, lat, [level]);
      const hit = candidates.find(
        (unit) => unit.boundary && booleanPointInPolygon([lng, lat], unit.boundary),
      );
      if (hit) return hit;
    }
    return null;
  }

  return {
    /**
     * The smallest unit holding the point (a grid when there is one) — the appeal belongs there, so
     * the grid worker, the station, the community and everyone above see it — and its station.
     */
    async locate(lng: number, lat: number) {
      const unit = await smallestContaining(lng, lat);
      if (!unit) return null;
      if (unit.level !== 'grid') return { gridId: null, stationId: null, area: unit };
      const parent = unit.parentId ? await repo.findById(unit.parentId) : undefined;
      return { gridId: unit.id, stationId: parent?.level === 'station' ? parent.id : null, area: unit };
    },

    /** Stations within `radiusM` of a point, nearest first, with their distance. */
    async nearbyStations(lng: number, lat: number, radiusM: number) {
      const dLat = radiusM / 111_320;
      const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
      const rows = await repo.stationsInBox(lng - dLng, lat - dLat, lng + dLng, lat + dLat);
      return rows
        .map((row) => ({ row, distance: distanceM({ lng, lat }, { lng: row.lng!, lat: row.lat! }) }))
        .filter((item) => item.distance <= radiusM)
        .sort((a, b) => a.distance - b.distance);
    },
  };
}
