import turfArea from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import turfCentroid from '@turf/centroid';
import type { Position } from 'geojson';
import { describe, expect, test } from 'vitest';
import {
  ALLOWED_PARENT_LEVELS,
  CODE_PATTERNS,
  type OrgBoundary,
  type OrgLevel,
  type OrgUnitDraft,
} from '../orgs.types.ts';
import { generateDemoDistrict } from './index.ts';

const demo = generateDemoDistrict();
const byCode = new Map(demo.units.map((u) => [u.code, u]));
const ofLevel = (level: OrgLevel): OrgUnitDraft[] => demo.units.filter((u) => u.level === level);
const boundaryOf = (code: string | null): OrgBoundary => {
  const boundary = code ? byCode.get(code)?.boundary : null;
  if (!boundary) throw new Error(`${code} has no boundary`);
  return boundary;
};
const communityOf = (unit: OrgUnitDraft): OrgUnitDraft => {
  let current: OrgUnitDraft | undefined = unit;
  while (current && current.level !== 'community') current = byCode.get(current.parentCode ?? '');
  if (!current) throw new Error(`${unit.code} has no community ancestor`);
  return current;
};
const km2 = (boundary: OrgBoundary): number => turfArea(boundary) / 1e6;
const rings = (boundary: OrgBoundary): Position[][] =>
  boundary.type === 'Polygon' ? boundary.coordinates : boundary.coordinates.flat();

describe('the Guangming demo district ("1+6+31+N")', () => {
  test('has 1 district, 6 subdistricts, 31 communities, 208 stations, ≥600 grids, ≥12 departments, 38 centres', () => {
    expect(ofLevel('district')).toHaveLength(1);
    expect(ofLevel('subdistrict').map((u) => u.name)).toEqual([
      '光明街道',
      '公明街道',
      '新湖街道',
      '凤凰街道',
      '玉塘街道',
      '马田街道',
    ]);
    expect(ofLevel('community')).toHaveLength(31);
    expect(ofLevel('station')).toHaveLength(208);
    expect(ofLevel('grid').length).toBeGreaterThanOrEqual(600);
    expect(ofLevel('department').length).toBeGreaterThanOrEqual(12);
    expect(ofLevel('center')).toHaveLength(38);
  });

  test('communities are split 6/6/3/6/4/6 and each has 6 or 7 stations, each with at least one grid', () => {
    const communityCounts = demo.subdistrictCodes.map(
      (code) => ofLevel('community').filter((c) => c.parentCode === code).length,
    );
    expect(communityCounts).toEqual([6, 6, 3, 6, 4, 6]);
    for (const community of ofLevel('community')) {
      const stations = ofLevel('station').filter((s) => s.parentCode === community.code);
      expect([6, 7]).toContain(stations.length);
    }
    const stationsWithGrids = new Set(ofLevel('grid').map((g) => g.parentCode));
    for (const station of ofLevel('station')) expect(stationsWithGrids.has(station.code)).toBe(true);
  });

  test('the same seed always draws the same district, another seed moves the boundaries', () => {
    expect(generateDemoDistrict()).toEqual(demo);
    const other = generateDemoDistrict('another-seed');
    expect(other.units.map((u) => [u.code, u.name])).toEqual(demo.units.map((u) => [u.code, u.name]));
    const gridBoundaries = (units: OrgUnitDraft[]) =>
      units.filter((u) => u.level === 'grid').map((u) => u.boundary);
    expect(gridBoundaries(other.units)).not.toEqual(gridBoundaries(demo.units));
  });

  test('the district outline covers about 156 km² around 22.7°N 113.9°E', () => {
    const outline = boundaryOf(demo.districtCode);
    expect(km2(outline)).toBeGreaterThanOrEqual(150);
    expect(km2(outline)).toBeLessThanOrEqual(162);
    for (const [lng, lat] of rings(outline).flat() as [number, number][]) {
      expect(lng).toBeGreaterThanOrEqual(113.82);
      expect(lng).toBeLessThanOrEqual(114.02);
      expect(lat).toBeGreaterThanOrEqual(22.68);
      expect(lat).toBeLessThanOrEqual(22.85);
    }
  });

  test('subdistricts tile the district: their areas add up to the district area within 1 %', () => {
    const total = ofLevel('subdistrict').reduce((sum, s) => sum + km2(boundaryOf(s.code)), 0);
    const district = km2(boundaryOf(demo.districtCode));
    expect(Math.abs(total - district) / district).toBeLessThan(0.01);
  });

  test('every station stands inside its community, with a 500 m service radius and opening hours', () => {
    for (const station of ofLevel('station')) {
      const { lng, lat } = station.location!;
      expect(booleanPointInPolygon([lng, lat], boundaryOf(station.parentCode))).toBe(true);
      expect(station.serviceRadiusM).toBe(500);
      expect(station.properties?.openingHours).toMatch(/^周/);
      expect(station.properties?.services).toContain('诉求受理');
      expect(station.properties?.phone).toMatch(/^0755-2\d{7}$/);
    }
  });

  test("every grid's centroid lies inside its community", () => {
    for (const grid of ofLevel('grid')) {
      const community = communityOf(grid);
      const centroid = turfCentroid(boundaryOf(grid.code));
      expect(booleanPointInPolygon(centroid, boundaryOf(community.code)), grid.code).toBe(true);
    }
  });

  test('every centre stands inside the area it serves', () => {
    for (const center of ofLevel('center')) {
      const { lng, lat } = center.location!;
      expect(booleanPointInPolygon([lng, lat], boundaryOf(center.parentCode)), center.name).toBe(true);
    }
  });

  test('boundaries are closed, counter-clockwise rings rounded to 6 decimals', () => {
    for (const unit of demo.units) {
      if (!unit.boundary) continue;
      expect(['Polygon', 'MultiPolygon']).toContain(unit.boundary.type);
      const polygons =
        unit.boundary.type === 'Polygon' ? [unit.boundary.coordinates] : unit.boundary.coordinates;
      for (const [outer] of polygons) {
        expect(outer!.length).toBeGreaterThanOrEqual(4);
        expect(outer!.at(-1)).toEqual(outer![0]);
        expect(turfArea({ type: 'Polygon', coordinates: [outer!] })).toBeGreaterThan(0);
        let twiceSigned = 0;
        for (let i = 0; i + 1 < outer!.length; i++) {
          twiceSigned += outer![i]![0]! * outer![i + 1]![1]! - outer![i + 1]![0]! * outer![i]![1]!;
        }
        expect(twiceSigned).toBeGreaterThan(0);
      }
      for (const value of rings(unit.boundary).flat(2)) expect(Math.round(value * 1e6) / 1e6).toBe(value);
    }
  });

  test('codes follow the format of their level and are unique', () => {
    for (const unit of demo.units) expect(unit.code, unit.name).toMatch(CODE_PATTERNS[unit.level]);
    expect(byCode.size).toBe(demo.units.length);
    expect(demo.subdistrictCodes).toEqual([
      '440311001000',
      '440311002000',
      '440311003000',
      '440311004000',
      '440311005000',
      '440311006000',
    ]);
  });

  test('parents come before their children and sit at an allowed level', () => {
    const seen = new Map<string, OrgLevel>();
    for (const unit of demo.units) {
      const parentLevel = unit.parentCode === null ? null : seen.get(unit.parentCode);
      expect(parentLevel, `${unit.code} before its parent ${unit.parentCode}`).not.toBeUndefined();
      expect(ALLOWED_PARENT_LEVELS[unit.level]).toContain(parentLevel);
      seen.set(unit.code, unit.level);
    }
  });

  test('departments carry competences, and each subdistrict has its own police station', () => {
    for (const department of ofLevel('department')) {
      const competences = department.properties?.competences as string[];
      expect(competences.length).toBeGreaterThan(0);
      for (const key of competences) expect(key).toMatch(/^[a-z_]+$/);
    }
    expect(byCode.get(demo.departmentCodes.urbanManagement!)?.name).toBe('光明区城市管理和综合执法局');
    const policeStations = ofLevel('department').filter((d) => d.parentCode === demo.departmentCodes.police);
    expect(policeStations.map((p) => p.properties?.jurisdiction)).toEqual(
      demo.subdistrictCodes.map((c) => [c]),
    );
    expect(policeStations[0]?.name).toContain('光明派出所');
  });
});
