import type { Position } from 'geojson';
import { DEFAULT_STATION_RADIUS_M, type LngLat, type OrgUnitDraft } from '../orgs.types.ts';
import { DEPARTMENTS, type DepartmentSpec, policeStationSpec } from './guangming-departments.ts';
import {
  DISTRICT,
  DISTRICT_CENTER_LOCATION,
  GRIDS_PER_STATION,
  GUANGMING_OUTLINE,
  SUBDISTRICTS,
  TOTAL_STATIONS,
} from './guangming-outline.ts';
import { hashString, pickByCode, type Random, seededRandom } from './seeded-random.ts';
import {
  type Area,
  centroidOf,
  contains,
  partitionArea,
  planarDistance2,
  randomPointIn,
  round6,
  voronoiCells,
} from './voronoi-partition.ts';

export interface DemoDistrict {
  /** Parents before children, all levels. */
  units: OrgUnitDraft[];
  districtCode: string;
  /** In `SUBDISTRICTS` order: 0 = 光明街道, 1 = 公明街道, 2 = 新湖, 3 = 凤凰, 4 = 玉塘, 5 = 马田. */
  subdistrictCodes: string[];
  /** Short key → code, e.g. `urbanManagement` → `GM-CGJ`, `policeGuangming` → `GM-PCS-GUANGMING`. */
  departmentCodes: Record<string, string>;
}

const STATION_HOURS = [
  '周一至周日 08:30-21:00',
  '周一至周日 09:00-21:00',
  '周一至周日 08:30-20:30',
  '周一至周六 08:30-21:00',
] as const;
const STATION_EXTRA_SERVICES = ['矛盾调解', '法律咨询', '心理服务', '帮扶救助'] as const;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const toLngLat = (position: Position): LngLat => ({ lng: position[0]!, lat: position[1]! });

/** Looks like a Guangming landline (0755-2xxx xxxx) and never changes with the seed. */
function phoneFor(code: string): string {
  return `0755-2${pad(hashString(`phone:${code}`) % 10_000_000, 7)}`;
}

/** Every station takes appeals; the other services vary so the demo map is not uniform. */
function stationServices(code: string): string[] {
  const bits = hashString(`services:${code}`);
  const extras = STATION_EXTRA_SERVICES.filter((_, i) => (bits >> i) & 1);
  const services = extras.length >= 2 ? extras : STATION_EXTRA_SERVICES.slice(0, 2);
  return ['诉求受理', ...services];
}

/** 208 stations over 31 communities: 22 get 7, 9 get 6, spread evenly and independent of the seed. */
function stationCounts(communityCount: number): number[] {
  const base = Math.floor(TOTAL_STATIONS / communityCount);
  const extra = TOTAL_STATIONS - base * communityCount;
  return Array.from(
    { length: communityCount },
    (_, i) =>
      base + Math.floor(((i + 1) * extra) / communityCount) - Math.floor((i * extra) / communityCount),
  );
}

/**
 * Grids belong to the station nearest their centroid; a station left without grids takes the
 * nearest grid from a station that has more than one, so every station has a patch to work.
 */
function assignGridsToStations(centroids: Position[], stations: Position[]): number[] {
  const nearest = (p: Position): number => {
    let best = 0;
    stations.forEach((s, i) => {
      if (planarDistance2(p, s) < planarDistance2(p, stations[best]!)) best = i;
    });
    return best;
  };
  const owner = centroids.map(nearest);
  const counts = stations.map((_, s) => owner.filter((o) => o === s).length);
  stations.forEach((station, s) => {
    while (counts[s] === 0) {
      let steal = -1;
      owner.forEach((o, g) => {
        if (counts[o]! < 2) return;
        const d = planarDistance2(centroids[g]!, station);
        if (steal < 0 || d < planarDistance2(centroids[steal]!, station)) steal = g;
      });
      counts[owner[steal]!]!--;
      owner[steal] = s;
      counts[s]!++;
    }
  });
  return owner;
}

function buildCommunity(
  code: string,
  name: string,
  boundary: Area,
  stationCount: number,
  random: Random,
): { stations: OrgUnitDraft[]; grids: OrgUnitDraft[] } {
  // Spread sites hug the community edge; one Lloyd step moves each station to the middle of the
  // patch it is nearest to, which is where a real station would be put.
  const stationPatches = partitionArea(boundary, stationCount, random);
  const stationSites = stationPatches.cells.map((patch, s) => {
    const middle = centroidOf(patch).map(round6);
    return contains(boundary, middle) ? middle : stationPatches.sites[s]!;
  });
  const { cells } = partitionArea(boundary, stationCount * GRIDS_PER_STATION, random);
  const owner = assignGridsToStations(cells.map(centroidOf), stationSites);
  const stationCode = (s: number): string => `${code}9${pad(s + 1, 2)}`;

  const stations = stationSites.map(
    (site, s): OrgUnitDraft => ({
      code: stationCode(s),
      name: `${name}第${s + 1}网格站`,
      level: 'station',
      parentCode: code,
      boundary: null,
      location: toLngLat(site),
      serviceRadiusM: DEFAULT_STATION_RADIUS_M,
      properties: {
        openingHours: pickByCode(stationCode(s), 'hours', STATION_HOURS),
        services: stationServices(stationCode(s)),
        phone: phoneFor(stationCode(s)),
      },
    }),
  );
  // Number grids station by station so a station's grids read as a run (001-003, 004-006…).
  const order = cells.map((_, g) => g).sort((a, b) => owner[a]! - owner[b]! || a - b);
  const grids = order.map(
    (g, seq): OrgUnitDraft => ({
      code: `${code}${pad(seq + 1, 3)}`,
      name: `${name}第${pad(seq + 1, 2)}网格`,
      level: 'grid',
      parentCode: stationCode(owner[g]!),
      boundary: cells[g]!,
    }),
  );
  return { stations, grids };
}

/** Halls sit near the middle of their community, as a 党群服务中心 usually does; a random spot otherwise. */
function middleOf(boundary: Area, random: Random): Position {
  const middle = centroidOf(boundary).map(round6);
  return contains(boundary, middle) ? middle : randomPointIn(boundary, random);
}

function departmentUnit(spec: DepartmentSpec, parentCode: string, extra: Record<string, unknown> = {}) {
  return {
    code: spec.code,
    name: spec.name,
    level: 'department',
    parentCode,
    properties: {
      shortName: spec.shortName,
      competences: spec.competences,
      phone: phoneFor(spec.code),
      ...extra,
    },
  } satisfies OrgUnitDraft;
}

function centerUnit(code: string, name: string, parentCode: string, tier: string, location: Position) {
  return {
    code,
    name,
    level: 'center',
    parentCode,
    location: toLngLat(location),
    properties: { tier, openingHours: '周一至周日 09:00-18:00', phone: phoneFor(code) },
  } satisfies OrgUnitDraft;
}

/**
 * Builds the Guangming demo district ("1+6+31+N"): district, 6 subdistricts, 31 communities,
 * 208 stations, 624 grids, departments with police stations, and the 1+6+31 service centres.
 * Names, codes and counts are fixed; only point placement (and so the inner boundaries) follows
 * the seed, and the same seed always gives the same result.
 */
export function generateDemoDistrict(seed = 'guangming'): DemoDistrict {
  const districtCode = DISTRICT.code;
  const county = districtCode.slice(0, 6);
  const subdistricts: OrgUnitDraft[] = [];
  const communities: OrgUnitDraft[] = [];
  const stations: OrgUnitDraft[] = [];
  const grids: OrgUnitDraft[] = [];
  const centers: OrgUnitDraft[] = [
    centerUnit('GM-C-000', '光明区群众诉求服务中心', districtCode, 'district', [
      DISTRICT_CENTER_LOCATION.lng,
      DISTRICT_CENTER_LOCATION.lat,
    ]),
  ];
  const departments: OrgUnitDraft[] = DEPARTMENTS.map((spec) => departmentUnit(spec, districtCode));
  const departmentCodes: Record<string, string> = Object.fromEntries(DEPARTMENTS.map((d) => [d.key, d.code]));
  const policeCode = departmentCodes.police!;

  const counts = stationCounts(SUBDISTRICTS.reduce((n, s) => n + s.communities.length, 0));
  let communityIndex = 0;
  const subdistrictCells = voronoiCells(
    GUANGMING_OUTLINE,
    SUBDISTRICTS.map((s) => s.anchor),
  );

  SUBDISTRICTS.forEach((spec, si) => {
    const township = `${county}${pad(si + 1, 3)}`;
    const code = `${township}000`;
    const boundary = subdistrictCells[si];
    if (!boundary) throw new Error(`subdistrict ${spec.name} has no area inside the district outline`);
    const random = seededRandom(seed, code);
    subdistricts.push({ code, name: spec.name, level: 'subdistrict', parentCode: districtCode, boundary });
    const centerSite = contains(boundary, spec.anchor) ? spec.anchor : randomPointIn(boundary, random);
    centers.push(
      centerUnit(`GM-C-${si + 1}00`, `${spec.name}群众诉求服务分中心`, code, 'subdistrict', centerSite),
    );

    const police = policeStationSpec(spec.key, spec.name);
    departments.push(departmentUnit(police, policeCode, { jurisdiction: [code] }));
    departmentCodes[police.key] = police.code;

    const { cells } = partitionArea(boundary, spec.communities.length, random);
    spec.communities.forEach((name, ci) => {
      const communityCode = `${township}${pad(ci + 1, 3)}`;
      const communityBoundary = cells[ci]!;
      const communityRandom = seededRandom(seed, communityCode);
      communities.push({
        code: communityCode,
        name,
        level: 'community',
        parentCode: code,
        boundary: communityBoundary,
      });
      const built = buildCommunity(
        communityCode,
        name,
        communityBoundary,
        counts[communityIndex++]!,
        communityRandom,
      );
      stations.push(...built.stations);
      grids.push(...built.grids);
      centers.push(
        centerUnit(
          `GM-C-${si + 1}${pad(ci + 1, 2)}`,
          `${name}党群服务中心诉求服务大厅`,
          communityCode,
          'community',
          middleOf(communityBoundary, communityRandom),
        ),
      );
    });
  });

  const district: OrgUnitDraft = {
    code: districtCode,
    name: DISTRICT.name,
    level: 'district',
    parentCode: null,
    boundary: GUANGMING_OUTLINE,
  };
  return {
    units: [district, ...subdistricts, ...communities, ...stations, ...grids, ...departments, ...centers],
    districtCode,
    subdistrictCodes: subdistricts.map((s) => s.code),
    departmentCodes,
  };
}
