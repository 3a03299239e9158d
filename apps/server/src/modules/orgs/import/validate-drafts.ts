import {
  ALLOWED_PARENT_LEVELS,
  DEFAULT_STATION_RADIUS_M,
  type LngLat,
  ORG_LEVELS,
  type OrgLevel,
  type OrgUnitDraft,
} from '../orgs.types.ts';
import { CODE_PATTERN_WORDS, codeMatchesLevel, sharedPrefixLength } from './code-rules.ts';
import { isOrgLevel } from './derive-codes.ts';
import { checkGeometry, lngLatProblem } from './geometry.ts';
import { type ImportError, type RawRow, rowError, rowPlace } from './import-types.ts';

const MAX_SERVICE_RADIUS_M = 5000;
/** Levels that are a place rather than an area, so they may carry a point and a service radius. */
const POINT_LEVELS: ReadonlySet<OrgLevel> = new Set(['station', 'center']);

interface Candidate {
  row: RawRow;
  /** Undefined when the row's level is missing or unknown: rules that need it are skipped. */
  level: OrgLevel | undefined;
  codeValid: boolean;
  draft: OrgUnitDraft;
}

/**
 * Checks every row on its own and then as a tree, collecting every error. Rules that depend on a
 * broken field are skipped (a child of a row with a bad level is not also told its parent is wrong)
 * so each mistake is reported once, on the line that has it.
 *
 * A code that already exists in the database is an error: imports only add units. Treating a
 * re-import as an update would let a file silently move or rename units that appeals already point
 * to; updates deserve their own, explicit command.
 */
export function validateRows(
  rows: RawRow[],
  existing: ReadonlyMap<string, OrgLevel>,
): { units: OrgUnitDraft[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const candidates = rows.map((row) => checkRow(row, errors));

  const byCode = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const { row } = candidate;
    const { code } = row;
    if (code === '') continue;
    const first = byCode.get(code);
    if (first) {
      errors.push(rowError(row, 'code', `duplicate code '${code}': already used on ${rowPlace(first.row)}`));
    } else {
      byCode.set(code, candidate);
      if (existing.has(code))
        errors.push(rowError(row, 'code', `code '${code}' already exists in the database`));
    }
  }
  for (const candidate of candidates) checkParent(candidate, byCode, existing, errors);
  const depths = treeDepths(candidates, byCode, errors);

  if (errors.length > 0) return { units: [], errors };
  // Parents first: every unit comes after its parent, ties in file order (sort is stable).
  const ordered = [...candidates].sort((a, b) => depths.get(a)! - depths.get(b)!);
  return { units: ordered.map((candidate) => candidate.draft), errors };
}

function checkRow(row: RawRow, errors: ImportError[]): Candidate {
  const fail = (field: string | undefined, message: string) => errors.push(rowError(row, field, message));
  const flagged = new Set<string | undefined>(row.skipChecks);
  for (const problem of row.problems) {
    fail(problem.field, problem.message);
    flagged.add(problem.field);
  }

  if (row.name === '' && !flagged.has('name')) fail('name', 'name is required');
  let level: OrgLevel | undefined;
  if (isOrgLevel(row.level)) level = row.level;
  else if (!flagged.has('level')) {
    fail(
      'level',
      row.level === '' ? 'level is required' : `level '${row.level}' is not one of ${ORG_LEVELS.join(', ')}`,
    );
  }
  let codeValid = false;
  if (!flagged.has('code')) {
    if (row.code === '') fail('code', 'code is required');
    else if (level !== undefined) {
      codeValid = codeMatchesLevel(row.code, level);
      if (!codeValid) {
        fail('code', `code '${row.code}' does not match the ${CODE_PATTERN_WORDS[level]} for level ${level}`);
      }
    }
  }

  let boundary: OrgUnitDraft['boundary'] = null;
  let location: LngLat | null = null;
  // A station whose geometry or lng/lat is broken is not also told it lacks a location.
  let locationBroken = flagged.has('geometry');
  if (!flagged.has('geometry')) {
    const geometry = checkGeometry(row.geometry);
    if (geometry.kind === 'invalid') {
      fail('geometry', geometry.message);
      locationBroken = true;
    } else if (geometry.kind === 'area') boundary = geometry.boundary;
    else if (geometry.kind === 'point') {
      if (level === undefined || POINT_LEVELS.has(level)) location = geometry.location;
      else
        fail(
          'geometry',
          `a Point is only allowed for a station or center, not a ${level}; give its boundary`,
        );
    }
  }
  const columns = readLngLat(row);
  if (typeof columns === 'string') {
    fail('lng', columns);
    locationBroken = true;
  } else if (columns) {
    if (level !== undefined && !POINT_LEVELS.has(level)) {
      fail('lng', `lng/lat are only used for a station or center, not a ${level}`);
    }
    // A Point geometry already gave the location; it wins, as the more specific of the two.
    location ??= columns;
  }
  if (level === 'station' && location === null && !locationBroken) {
    fail('location', 'a station needs a location: a Point geometry or lng and lat');
  }

  let serviceRadiusM: number | null = level === 'station' ? DEFAULT_STATION_RADIUS_M : null;
  if (row.serviceRadiusM !== undefined && row.serviceRadiusM !== null && row.serviceRadiusM !== '') {
    const radius = toNumber(row.serviceRadiusM);
    if (!Number.isInteger(radius) || radius <= 0 || radius > MAX_SERVICE_RADIUS_M) {
      fail(
        'serviceRadiusM',
        `service radius ${JSON.stringify(row.serviceRadiusM)} must be a whole number of metres from 1 to ${MAX_SERVICE_RADIUS_M}`,
      );
    } else if (level !== undefined && !POINT_LEVELS.has(level)) {
      fail('serviceRadiusM', `a service radius is only used for a station or center, not a ${level}`);
    } else serviceRadiusM = radius;
  }

  const draft: OrgUnitDraft = {
    code: row.code,
    name: row.name,
    // Only drafts of error-free files are returned, so this placeholder is never seen.
    level: level ?? 'city',
    parentCode: row.parentCode === '' ? null : row.parentCode,
    boundary,
    location,
    serviceRadiusM,
    properties: row.properties,
  };
  return { row, level, codeValid, draft };
}

/** Location from lng/lat fields: null when absent, a message when half-given or out of range. */
function readLngLat(row: RawRow): LngLat | null | string {
  const given = (value: unknown) => value !== undefined && value !== null && value !== '';
  if (!given(row.lng) && !given(row.lat)) return null;
  if (!given(row.lng) || !given(row.lat)) return 'lng and lat must be given together';
  const lng = toNumber(row.lng);
  const lat = toNumber(row.lat);
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) {
    return `lng ${JSON.stringify(row.lng)} and lat ${JSON.stringify(row.lat)} must be numbers`;
  }
  return lngLatProblem(lng, lat, 'location') ?? { lng, lat };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function checkParent(
  candidate: Candidate,
  byCode: ReadonlyMap<string, Candidate>,
  existing: ReadonlyMap<string, OrgLevel>,
  errors: ImportError[],
): void {
  const { row, level } = candidate;
  if (level === undefined || row.skipChecks?.includes('parentCode')) return;
  const fail = (field: string, message: string) => errors.push(rowError(row, field, message));
  const allowed = ALLOWED_PARENT_LEVELS[level];
  const allowedWords = allowed.map((parent) => parent ?? 'none').join(', ');
  const parentCode = row.parentCode;
  if (parentCode === '') {
    if (!allowed.includes(null)) fail('parentCode', `a ${level} needs a parent (allowed: ${allowedWords})`);
    return;
  }
  if (parentCode === row.code) {
    fail('parentCode', `unit '${row.code}' cannot be its own parent`);
    return;
  }
  const inFile = byCode.get(parentCode);
  const parentLevel = inFile ? inFile.level : existing.get(parentCode);
  if (!inFile && parentLevel === undefined) {
    fail('parentCode', `parent code '${parentCode}' is not in the file or the database`);
    return;
  }
  // The parent row's own level is broken and already reported on its line.
  if (parentLevel === undefined) return;
  if (!allowed.includes(parentLevel)) {
    fail('parentCode', `a ${level} cannot be under a ${parentLevel} (allowed parents: ${allowedWords})`);
    return;
  }
  const shared = sharedPrefixLength(parentLevel, level);
  const parentValid = inFile ? inFile.codeValid : codeMatchesLevel(parentCode, parentLevel);
  if (shared !== undefined && candidate.codeValid && parentValid) {
    const prefix = parentCode.slice(0, shared);
    if (!row.code.startsWith(prefix)) {
      fail(
        'code',
        `code '${row.code}' must start with '${prefix}', the first ${shared} digits of its parent ${parentLevel} '${parentCode}'`,
      );
    }
  }
}

/**
 * Depth of each row below the file's top units, following parent codes within the file. Rows on a
 * parent cycle are reported (level rules prevent most cycles, but departments may nest).
 */
function treeDepths(
  candidates: Candidate[],
  byCode: ReadonlyMap<string, Candidate>,
  errors: ImportError[],
): Map<Candidate, number> {
  const depths = new Map<Candidate, number>();
  const onPath = new Set<Candidate>();
  for (const start of candidates) {
    let path: Candidate[] = [];
    let current: Candidate | undefined = start;
    while (current && !depths.has(current) && !onPath.has(current)) {
      onPath.add(current);
      path.push(current);
      const { parentCode, code }: RawRow = current.row;
      current = parentCode !== '' && parentCode !== code ? byCode.get(parentCode) : undefined;
    }
    let depth = current ? (depths.get(current) ?? -1) + 1 : 0;
    if (current && onPath.has(current)) {
      const at = path.indexOf(current);
      const cycle = path.slice(at);
      const description = [...cycle, current].map((c) => c.row.code).join(' → ');
      for (const member of cycle) {
        errors.push(rowError(member.row, 'parentCode', `parent codes form a cycle: ${description}`));
        depths.set(member, 0);
      }
      path = path.slice(0, at);
      depth = 1;
    }
    for (let i = path.length - 1; i >= 0; i--) depths.set(path[i]!, depth++);
    onPath.clear();
  }
  return depths;
}
