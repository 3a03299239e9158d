import type { OrgLevel, OrgUnitDraft } from '../orgs.types.ts';

/** One problem in an import file. `line` is 1-based in the source file, as an editor shows it. */
export interface ImportError {
  line: number;
  field?: string;
  message: string;
}

/** Either every unit of the file, parents first, or every error: never a partial tree. */
export type ImportResult = { ok: true; units: OrgUnitDraft[] } | { ok: false; errors: ImportError[] };

export interface ImportOptions {
  /** Default: from the extension of `fileName`, else sniffed from content (leading '{' → geojson). */
  format?: 'geojson' | 'csv';
  fileName?: string;
  /** Existing units in the database, by code → level, so a file may attach to an existing parent. */
  existing?: ReadonlyMap<string, OrgLevel>;
  /**
   * For files that carry only names, not codes: a root unit that the file's top units hang under.
   * Created by the import, or reused when its code is in `existing` (with the same level).
   */
  root?: { code: string; name: string; level: OrgLevel };
  /** Level for rows lacking a `level`. */
  featureLevel?: OrgLevel;
  /** Create one intermediate unit per distinct value of this property, between root and rows. */
  groupBy?: { property: string; level: OrgLevel };
}

/**
 * A row as read from either format, before any rule is applied. Both readers produce this so the
 * options and the validation are written once. Text fields are trimmed; '' means absent.
 */
export interface RawRow {
  line: number;
  /**
   * Where in the line, when the line alone does not say: a minified GeoJSON file (like the Shanghai
   * one) has every feature on line 1, so messages then name the feature, e.g. `features[12]`.
   */
  ref?: string;
  code: string;
  name: string;
  level: string;
  parentCode: string;
  /** A GeoJSON geometry object as found, or null/undefined when there is none. */
  geometry: unknown;
  lng: unknown;
  lat: unknown;
  serviceRadiusM: unknown;
  properties: Record<string, unknown>;
  /** Problems the reader already found (wrong type, bad JSON in a cell); those fields are not checked again. */
  problems: { field?: string; message: string }[];
  /** Fields not to check because an error reported elsewhere already explains them (no cascades). */
  skipChecks?: string[];
}

export interface SourceResult {
  rows: RawRow[];
  errors: ImportError[];
  /** The file could not be read as a whole (bad JSON, bad CSV header): nothing else is worth reporting. */
  fatal: boolean;
}

export function emptyRow(line: number): RawRow {
  return {
    line,
    code: '',
    name: '',
    level: '',
    parentCode: '',
    geometry: null,
    lng: undefined,
    lat: undefined,
    serviceRadiusM: undefined,
    properties: {},
    problems: [],
  };
}

/** An error about one row; the row's `ref`, if any, leads the message. */
export function rowError(row: RawRow, field: string | undefined, message: string): ImportError {
  const text = row.ref ? `${row.ref}: ${message}` : message;
  return field === undefined ? { line: row.line, message: text } : { line: row.line, field, message: text };
}

/** How to point at a row inside a message: its line, and its `ref` when it has one. */
export function rowPlace(row: RawRow): string {
  return row.ref ? `line ${row.line} (${row.ref})` : `line ${row.line}`;
}
