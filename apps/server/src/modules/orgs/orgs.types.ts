import type { OrgLevel } from '@doorstep/contracts/vocabulary';
import type { MultiPolygon, Polygon } from 'geojson';

export { ORG_LEVELS, type OrgLevel } from '@doorstep/contracts/vocabulary';

/** Which parent levels each level may hang under (null = may be a root). */
export const ALLOWED_PARENT_LEVELS: Record<OrgLevel, ReadonlyArray<OrgLevel | null>> = {
  city: [null],
  district: [null, 'city'],
  subdistrict: ['district'],
  community: ['subdistrict'],
  station: ['community'],
  grid: ['station', 'community'],
  department: ['city', 'district', 'subdistrict', 'department'],
  center: ['city', 'district', 'subdistrict', 'community'],
};

export type OrgBoundary = Polygon | MultiPolygon;

export interface LngLat {
  lng: number;
  lat: number;
}

/**
 * A unit as produced by an importer or the demo generator, before it has a database id.
 * Units reference their parent by code; a list of drafts is ordered parents-first.
 */
export interface OrgUnitDraft {
  code: string;
  name: string;
  level: OrgLevel;
  parentCode: string | null;
  /** WGS-84 GeoJSON polygon ([lng, lat] order), optional. */
  boundary?: OrgBoundary | null;
  /** Stations (and optionally centres) have a point. */
  location?: LngLat | null;
  /** Stations: service radius in metres (default 500). */
  serviceRadiusM?: number | null;
  /** Free attributes: opening hours, services offered, a department's competences… */
  properties?: Record<string, unknown>;
}

export const DEFAULT_STATION_RADIUS_M = 500;

/**
 * Code formats. Administrative units use the 12-digit statistical area code style
 * (6 county + 3 township + 3 village). Grids use 15 digits (6+3+3+3: county, township,
 * community, grid 001–899); stations use the same shape with 901–999 in the last triple so the
 * two never collide. Departments and centres use a short upper-case identifier.
 */
export const CODE_PATTERNS: Record<OrgLevel, RegExp> = {
  city: /^\d{12}$/,
  district: /^\d{12}$/,
  subdistrict: /^\d{12}$/,
  community: /^\d{12}$/,
  station: /^\d{12}9\d{2}$/,
  grid: /^\d{12}(?!9)\d{3}$/,
  department: /^[0-9A-Z][0-9A-Z_-]{1,31}$/,
  center: /^[0-9A-Z][0-9A-Z_-]{1,31}$/,
};
