import turfArea from '@turf/area';
import turfBbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import turfCentroid from '@turf/centroid';
import { feature, featureCollection, point } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import turfVoronoi from '@turf/voronoi';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Random } from './seeded-random.ts';

export type Area = Polygon | MultiPolygon;

/**
 * Pieces this small (m², or this share of the largest piece) are clipping debris, not land: a
 * convex cell cut by a concave parent leaves corners of a few hundred m² that would make a grid
 * two-part with its centroid outside, and no one draws a grid around a street corner.
 */
const SLIVER_M2 = 100;
const SLIVER_SHARE = 0.001;

/** 6 decimals ≈ 0.1 m: finer is false precision and bloats the stored GeoJSON. */
export const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

function shoelace(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Rounds, drops repeated vertices (rounding creates them) and closes the ring. */
function cleanRing(ring: Position[], counterClockwise: boolean): Position[] | null {
  const out: Position[] = [];
  for (const [x, y] of ring as [number, number][]) {
    const next: Position = [round6(x), round6(y)];
    const last = out.at(-1);
    if (!last || last[0] !== next[0] || last[1] !== next[1]) out.push(next);
  }
  const first = out[0];
  const last = out.at(-1);
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0]!, first[1]!]);
  if (out.length < 4 || shoelace(out) === 0) return null;
  // RFC 7946 right-hand rule: exteriors counter-clockwise, holes clockwise.
  if (shoelace(out) > 0 !== counterClockwise) out.reverse();
  return out;
}

/** Normalises a clipping result: rounded, oriented, slivers dropped, null when nothing is left. */
export function cleanArea(geometry: Area | null | undefined): Area | null {
  if (!geometry) return null;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const parts: { rings: Position[][]; area: number }[] = [];
  for (const [outer, ...holes] of polygons) {
    const exterior = outer && cleanRing(outer, true);
    if (!exterior) continue;
    const rings = [exterior];
    for (const hole of holes) {
      const cleaned = cleanRing(hole, false);
      if (cleaned) rings.push(cleaned);
    }
    parts.push({ rings, area: turfArea({ type: 'Polygon', coordinates: rings }) });
  }
  const largest = Math.max(0, ...parts.map((p) => p.area));
  const minArea = Math.max(SLIVER_M2, largest * SLIVER_SHARE);
  const kept = parts.filter((p) => p.area >= minArea).map((p) => p.rings);
  if (kept.length === 0) return null;
  if (kept.length === 1) return { type: 'Polygon', coordinates: kept[0]! };
  return { type: 'MultiPolygon', coordinates: kept };
}

export function contains(area: Area, position: Position): boolean {
  return booleanPointInPolygon(position, area);
}

/** Mean of the vertices (@turf/centroid), the reference point used for nearest-station matching. */
export function centroidOf(area: Area): Position {
  return turfCentroid(area).geometry.coordinates;
}

/** Squared distance in degrees with longitude shrunk by cos(lat), close enough to metric at this scale. */
export function planarDistance2(a: Position, b: Position): number {
  const kx = Math.cos(((a[1]! + b[1]!) * Math.PI) / 360);
  const dx = (a[0]! - b[0]!) * kx;
  const dy = a[1]! - b[1]!;
  return dx * dx + dy * dy;
}

/** Rounded before the containment test, so the stored point is the one that was checked. */
export function randomPointIn(area: Area, random: Random): Position {
  const [minX, minY, maxX, maxY] = turfBbox(area);
  for (let tries = 0; tries < 10_000; tries++) {
    const candidate = [round6(minX + random() * (maxX - minX)), round6(minY + random() * (maxY - minY))];
    if (contains(area, candidate)) return candidate;
  }
  throw new Error('randomPointIn: area too thin to sample');
}

/**
 * Mitchell's best-candidate sampling: evenly spread sites give cells of similar size, which is
 * what real grids look like and avoids the slivers pure uniform sampling produces.
 */
export function spreadPointsIn(area: Area, count: number, random: Random, candidates = 10): Position[] {
  const points: Position[] = [];
  for (let i = 0; i < count; i++) {
    let best: Position | null = null;
    let bestDistance = -1;
    for (let c = 0; c < candidates; c++) {
      const candidate = randomPointIn(area, random);
      let nearest = Number.POSITIVE_INFINITY;
      for (const p of points) nearest = Math.min(nearest, planarDistance2(candidate, p));
      if (nearest > bestDistance) {
        best = candidate;
        bestDistance = nearest;
      }
    }
    points.push(best!);
  }
  return points;
}

/** Voronoi cells of `sites`, clipped to `area`; a cell is null when clipping leaves nothing. */
export function voronoiCells(area: Area, sites: Position[]): (Area | null)[] {
  const [minX, minY, maxX, maxY] = turfBbox(area);
  const marginX = (maxX - minX) * 0.1;
  const marginY = (maxY - minY) * 0.1;
  const cells = turfVoronoi(featureCollection(sites.map((site) => point(site))), {
    bbox: [minX - marginX, minY - marginY, maxX + marginX, maxY + marginY],
  });
  const clipTo = feature(area);
  return sites.map((_, i) => {
    const cell = cells.features[i];
    if (!cell) return null;
    return cleanArea(turfIntersect(featureCollection([cell, clipTo]))?.geometry);
  });
}

export interface Partition {
  sites: Position[];
  cells: Area[];
}

export interface PartitionOptions {
  /** Reject partitions with a cell smaller than this share of the mean cell area. */
  minShare?: number;
  maxAttempts?: number;
}

/**
 * Splits `area` into `count` cells from seeded, evenly spread sites. A partition is redrawn
 * (from the same stream, so still deterministic) when clipping against a concave parent empties a
 * cell, leaves a cell whose centroid falls outside the parent, splits a cell in two or makes it
 * tiny; after half the attempts only the first two rules remain, because a thin or ragged parent
 * may not allow the others.
 */
export function partitionArea(
  area: Area,
  count: number,
  random: Random,
  options: PartitionOptions = {},
): Partition {
  const { minShare = 0.25, maxAttempts = 40 } = options;
  const meanArea = turfArea(area) / count;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const sites = spreadPointsIn(area, count, random);
    let cells: (Area | null)[];
    try {
      cells = voronoiCells(area, sites);
    } catch {
      // polyclip-ts can fail on near-degenerate input; a fresh draw avoids it.
      continue;
    }
    const strict = attempt < maxAttempts / 2;
    const usable = cells.every(
      (cell) =>
        cell !== null &&
        contains(area, centroidOf(cell)) &&
        (!strict ||
          (turfArea(cell) >= meanArea * minShare &&
            (cell.type === 'Polygon' || area.type === 'MultiPolygon'))),
    );
    if (usable) return { sites, cells: cells as Area[] };
  }
  throw new Error(`partitionArea: no valid partition into ${count} cells after ${maxAttempts} attempts`);
}
