import { printParseErrorCode, visit } from 'jsonc-parser';
import { emptyRow, type RawRow, type SourceResult } from './import-types.ts';

/** Properties with a meaning of their own; every other property is kept in `properties`. */
const KNOWN_KEYS = new Set([
  'code',
  'name',
  'level',
  'parentCode',
  'parent_code',
  'serviceRadiusM',
  'service_radius_m',
  'lng',
  'lat',
]);

/**
 * Reads a GeoJSON FeatureCollection into rows, each carrying the line where its feature object
 * starts. jsonc-parser's visitor gives that line for free while it checks the syntax; the values
 * themselves come from JSON.parse, which is several times faster than building a node tree for
 * every coordinate.
 */
export function readGeoJson(source: string): SourceResult {
  // A BOM is a zero-width character on line 1, so removing it shifts no line numbers.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const featureLines: number[] = [];
  let syntax: { line: number; column: number; message: string } | undefined;
  visit(
    text,
    {
      onObjectBegin(_offset, _length, startLine, _startCharacter, pathSupplier) {
        const path = pathSupplier();
        if (path.length === 2 && path[0] === 'features' && typeof path[1] === 'number') {
          featureLines[path[1]] = startLine + 1;
        }
      },
      onError(code, _offset, _length, startLine, startCharacter) {
        syntax ??= { line: startLine + 1, column: startCharacter + 1, message: printParseErrorCode(code) };
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (syntax) {
    const { line, column, message } = syntax;
    return fatal(line, `invalid JSON at line ${line}, column ${column}: ${message}`);
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // jsonc-parser accepted it, so this is an edge the two parsers disagree on; still report it.
    return fatal(1, `invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data) || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
    return fatal(1, 'the file must be a GeoJSON FeatureCollection with a "features" array');
  }
  const crsProblem = checkCrs(data.crs);
  if (crsProblem) return fatal(1, crsProblem);

  const rows: RawRow[] = [];
  const errors: SourceResult['errors'] = [];
  const lineCounts = new Map<number, number>();
  for (const line of featureLines)
    if (line !== undefined) lineCounts.set(line, (lineCounts.get(line) ?? 0) + 1);
  for (const [i, feature] of data.features.entries()) {
    const line = featureLines[i] ?? 1;
    // Name the feature only when its line is shared, so pretty-printed files get plain messages.
    const ref = (lineCounts.get(line) ?? 0) > 1 ? `features[${i}]` : undefined;
    if (!isObject(feature) || feature.type !== 'Feature') {
      errors.push({ line, message: `features[${i}] is not a GeoJSON Feature` });
      continue;
    }
    const properties = feature.properties ?? {};
    if (!isObject(properties)) {
      errors.push({
        line,
        field: 'properties',
        message: `features[${i}]: properties must be an object or null`,
      });
      continue;
    }
    const row = featureRow(line, properties, feature.geometry);
    if (ref) row.ref = ref;
    rows.push(row);
  }
  return { rows, errors, fatal: false };
}

function featureRow(line: number, props: Record<string, unknown>, geometry: unknown): RawRow {
  const row = emptyRow(line);
  row.code = textField(row, props, 'code', ['code']);
  row.name = textField(row, props, 'name', ['name']);
  row.level = textField(row, props, 'level', ['level']);
  row.parentCode = textField(row, props, 'parentCode', ['parentCode', 'parent_code']);
  row.serviceRadiusM = props.serviceRadiusM ?? props.service_radius_m;
  row.lng = props.lng;
  row.lat = props.lat;
  row.geometry = geometry;
  for (const [key, value] of Object.entries(props)) {
    if (!KNOWN_KEYS.has(key)) row.properties[key] = value;
  }
  return row;
}

/**
 * A text property as a trimmed string. Whole numbers are accepted because spreadsheets and GIS
 * tools often write codes as numbers; 15-digit codes are still exact below 2^53.
 */
function textField(row: RawRow, props: Record<string, unknown>, field: string, keys: string[]): string {
  for (const key of keys) {
    const value = props[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    row.problems.push({ field, message: `${key} must be a string, got ${JSON.stringify(value)}` });
    return '';
  }
  return '';
}

/**
 * RFC 7946 files are WGS-84 without a `crs` member; older files may name one. Anything but WGS-84
 * (for example a projected CGCS2000 file) would load silently in the wrong place, so refuse it.
 */
function checkCrs(crs: unknown): string | undefined {
  if (crs === undefined || crs === null) return undefined;
  const name = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  if (typeof name === 'string' && /CRS84|EPSG:?:?4326/i.test(name)) return undefined;
  return `coordinate reference system ${JSON.stringify(name ?? crs)} is not supported; use WGS-84 [lng, lat]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fatal(line: number, message: string): SourceResult {
  return { rows: [], errors: [{ line, message }], fatal: true };
}
