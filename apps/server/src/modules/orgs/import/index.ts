import type { OrgLevel } from '../orgs.types.ts';
import { readCsv } from './csv-source.ts';
import { applyImportOptions } from './derive-codes.ts';
import { readGeoJson } from './geojson-source.ts';
import type { ImportError, ImportOptions, ImportResult } from './import-types.ts';
import { validateRows } from './validate-drafts.ts';

export type { ImportError, ImportOptions, ImportResult } from './import-types.ts';

const NO_UNITS: ReadonlyMap<string, OrgLevel> = new Map();

/**
 * Turns the text of an org-tree file (GeoJSON or CSV) into either every unit, parents first, or
 * every error, each with its 1-based line. Pure: no database, no file system; the caller passes
 * the codes already loaded in `existing`. All-or-nothing so a bad row never leaves half a tree.
 */
export function parseOrgImport(text: string, options: ImportOptions = {}): ImportResult {
  const existing = options.existing ?? NO_UNITS;
  const source = pickFormat(text, options) === 'csv' ? readCsv(text) : readGeoJson(text);
  if (source.fatal) return { ok: false, errors: source.errors };

  const shaped = applyImportOptions(source.rows, options, existing);
  if (shaped.fatal) return { ok: false, errors: sortByLine([...source.errors, ...shaped.errors]) };

  const { units, errors } = validateRows(shaped.rows, existing);
  const all = sortByLine([...source.errors, ...shaped.errors, ...errors]);
  if (all.length > 0) return { ok: false, errors: all };
  if (units.length === 0) return { ok: false, errors: [{ line: 1, message: 'the file holds no units' }] };
  return { ok: true, units };
}

/** Explicit format, then the file extension, then the content: JSON files start with '{'. */
function pickFormat(text: string, options: ImportOptions): 'geojson' | 'csv' {
  if (options.format) return options.format;
  const extension = options.fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (extension === 'geojson' || extension === 'json') return 'geojson';
  if (extension === 'csv') return 'csv';
  return /^\uFEFF?\s*\{/.test(text) ? 'geojson' : 'csv';
}

/** Stable, so errors of one line keep the order in which the row's fields were checked. */
function sortByLine(errors: ImportError[]): ImportError[] {
  return [...errors].sort((a, b) => a.line - b.line);
}
