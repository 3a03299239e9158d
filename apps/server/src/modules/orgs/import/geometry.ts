import type { MultiPolygon, Position } from 'geojson';
import type { LngLat, OrgBoundary } from '../orgs.types.ts';

/** A checked geometry: an area for the boundary, or a point for a station's or centre's location. */
export type CheckedGeometry =
  | { kind: 'none' }
  | { kind: 'area'; boundary: OrgBoundary }
  | { kind: 'point'; location: LngLat }
  | { kind: 'invalid'; message: string };

/**
 * Checks a GeoJSON geometry and stops at its first problem: one precise message per row is more
 * useful than a hundred about the same broken ring, and it keeps 10,000-row files fast.
 */
export function checkGeometry(geometry: unknown): CheckedGeometry {
  if (geometry === null || geometry === undefined) return { kind: 'none' };
  if (typeof geometry !== 'object' || Array.isArray(geometry)) {
    return { kind: 'invalid', message: 'geometry must be a GeoJSON geometry object' };
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type === 'Point') {
    const problem = positionProblem(coordinates, 'point');
    if (problem) return { kind: 'invalid', message: problem };
    const [lng, lat] = coordinates as Position;
    return { kind: 'point', location: { lng: lng!, lat: lat! } };
  }
  if (type === 'Polygon') {
    const problem = polygonProblem(coordinates, '');
    if (problem) return { kind: 'invalid', message: problem };
    return { kind: 'area', boundary: { type: 'Polygon', coordinates: coordinates as Position[][] } };
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      return { kind: 'invalid', message: 'MultiPolygon coordinates must be a non-empty array of polygons' };
    }
    for (const [i, polygon] of coordinates.entries()) {
      const problem = polygonProblem(polygon, ` of polygon ${i + 1}`);
      if (problem) return { kind: 'invalid', message: problem };
    }
    return {
      kind: 'area',
      boundary: { type: 'MultiPolygon', coordinates: coordinates as MultiPolygon['coordinates'] },
    };
  }
  return {
    kind: 'invalid',
    message: `geometry type ${JSON.stringify(type)} is not supported (use Polygon, MultiPolygon or Point)`,
  };
}

function polygonProblem(rings: unknown, where: string): string | undefined {
  if (!Array.isArray(rings) || rings.length === 0) {
    return `polygon${where} must be a non-empty array of rings`;
  }
  for (const [r, ring] of rings.entries()) {
    const label = `ring ${r + 1}${where}`;
    if (!Array.isArray(ring)) return `${label} must be an array of positions`;
    for (const [p, position] of ring.entries()) {
      const problem = positionProblem(position, `position ${p + 1} of ${label}`);
      if (problem) return problem;
    }
    if (ring.length < 4) return `${label} has ${ring.length} positions; a ring needs at least 4`;
    const first = ring[0] as Position;
    const last = ring[ring.length - 1] as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return `${label} is not closed: first position [${first[0]}, ${first[1]}] differs from last [${last[0]}, ${last[1]}]`;
    }
  }
  return undefined;
}

function positionProblem(position: unknown, label: string): string | undefined {
  if (!Array.isArray(position) || position.length < 2 || position.length > 3) {
    return `${label} must be [lng, lat]`;
  }
  if (!position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return `${label} must hold finite numbers`;
  }
  return lngLatProblem(position[0] as number, position[1] as number, label);
}

/**
 * Range check shared with lng/lat columns. A latitude beyond ±90 whose longitude would be a valid
 * latitude is almost always a [lat, lng] file; saying so saves the user a puzzle.
 */
export function lngLatProblem(lng: number, lat: number, label: string): string | undefined {
  if (Math.abs(lat) > 90) {
    return Math.abs(lng) <= 90 && Math.abs(lat) <= 180
      ? `${label} has latitude ${lat} outside [-90, 90]; it looks like [lat, lng] order, GeoJSON needs [lng, lat]`
      : `${label} has latitude ${lat} outside [-90, 90]`;
  }
  if (Math.abs(lng) > 180) return `${label} has longitude ${lng} outside [-180, 180]`;
  return undefined;
}
