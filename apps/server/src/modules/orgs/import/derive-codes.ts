import { ORG_LEVELS, type OrgLevel } from '../orgs.types.ts';
import { CODE_PATTERN_WORDS, codeMatchesLevel, codeSlot, slotCode } from './code-rules.ts';
import { emptyRow, type ImportError, type ImportOptions, type RawRow, rowError } from './import-types.ts';

export function isOrgLevel(value: unknown): value is OrgLevel {
  return (ORG_LEVELS as readonly unknown[]).includes(value);
}

export interface ShapedRows {
  rows: RawRow[];
  errors: ImportError[];
  /** The options themselves are wrong; checking rows against them would only repeat that per row. */
  fatal: boolean;
}

/**
 * Applies `featureLevel`, `root` and `groupBy` to the rows, for files that carry names but not the
 * tree (such as /work/shared/data/geo/shanghai-towns.geojson, © OpenStreetMap contributors, ODbL:
 * keep that attribution wherever the loaded boundaries are shown or redistributed).
 *
 * With `root` or `groupBy` set, rows without a code get one derived from their parent's code (see
 * `codeSlot`). Derived codes depend on the file alone, never on the database: importing the same
 * file twice yields the same codes, so the second import is refused as "already exists" instead of
 * silently creating a second copy of the district. Without those options a missing code is an error,
 * because a file that simply forgot its codes should not get invented ones.
 */
export function applyImportOptions(
  input: RawRow[],
  options: ImportOptions,
  existing: ReadonlyMap<string, OrgLevel>,
): ShapedRows {
  const { root, groupBy, featureLevel } = options;
  const errors: ImportError[] = [];
  const optionError = (field: string, message: string) => errors.push({ line: 1, field, message });
  if (featureLevel !== undefined && !isOrgLevel(featureLevel)) {
    optionError(
      'options.featureLevel',
      `featureLevel '${featureLevel}' is not one of ${ORG_LEVELS.join(', ')}`,
    );
  }
  if (groupBy !== undefined && !isOrgLevel(groupBy.level)) {
    optionError('options.groupBy', `groupBy level '${groupBy.level}' is not one of ${ORG_LEVELS.join(', ')}`);
  }
  if (groupBy !== undefined && root === undefined) {
    optionError('options.groupBy', 'groupBy needs a root: the grouped units get codes derived from it');
  }
  if (root !== undefined) {
    if (!isOrgLevel(root.level)) {
      optionError('options.root', `root level '${root.level}' is not one of ${ORG_LEVELS.join(', ')}`);
    } else if (!codeMatchesLevel(root.code, root.level)) {
      optionError(
        'options.root',
        `root code '${root.code}' does not match the ${CODE_PATTERN_WORDS[root.level]} for level ${root.level}`,
      );
    } else if (existing.has(root.code) && existing.get(root.code) !== root.level) {
      optionError(
        'options.root',
        `root code '${root.code}' exists in the database as a ${existing.get(root.code)}, not a ${root.level}`,
      );
    }
    if (root.name.trim() === '') optionError('options.root', 'root name is required');
  }
  if (errors.length > 0) return { rows: [], errors, fatal: true };

  // Copies, so the caller's rows are left as read.
  const rows = input.map((row) => ({ ...row, problems: [...row.problems] }));
  if (featureLevel !== undefined) {
    for (const row of rows) if (row.level === '') row.level = featureLevel;
  }
  if (root === undefined) return { rows, errors, fatal: false };

  // Reuse an existing root rather than re-create it, so a file can extend a tree already loaded.
  const rootRows = existing.has(root.code)
    ? []
    : [
        {
          ...emptyRow(1),
          ref: 'root unit (options.root)',
          code: root.code,
          name: root.name.trim(),
          level: root.level,
        },
      ];

  const groups = new Map<string, RawRow>();
  const members = new Map<RawRow, RawRow>();
  for (const row of rows) {
    if (row.parentCode !== '') continue;
    if (groupBy === undefined) {
      row.parentCode = root.code;
      continue;
    }
    const value = row.properties[groupBy.property];
    const name = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (name === '') {
      errors.push(
        rowError(
          row,
          groupBy.property,
          `property '${groupBy.property}' is required to place this row under a ${groupBy.level} (groupBy)`,
        ),
      );
      // Without a group the row has neither parent nor derived code; this error says why.
      row.skipChecks = ['code', 'parentCode'];
      continue;
    }
    let group = groups.get(name);
    if (!group) {
      // A group has no line of its own; its first member's line is where the user would look.
      const ref = `${groupBy.level} '${name}' (made by groupBy)`;
      group = { ...emptyRow(row.line), ref, name, level: groupBy.level, parentCode: root.code };
      groups.set(name, group);
    }
    members.set(row, group);
  }

  const levels = knownLevels(rows, existing, root);
  const taken = new Set(rows.map((row) => row.code).filter((code) => code !== ''));
  const groupRows = [...groups.values()];
  deriveCodes(groupRows, levels, taken);
  const groupProblems = groupRows.flatMap((group) =>
    group.problems.map((problem) => rowError(group, 'options.groupBy', problem.message)),
  );
  // A group without a code would make each of its members fail too; report the cause only.
  if (groupProblems.length > 0) return { rows: [], errors: [...errors, ...groupProblems], fatal: true };
  for (const [row, group] of members) row.parentCode = group.code;
  for (const group of groupRows) levels.set(group.code, group.level as OrgLevel);

  deriveCodes(
    rows.filter((row) => row.code === ''),
    levels,
    taken,
  );
  groupRows.sort((a, b) => compareText(a.code, b.code));
  return { rows: [...rootRows, ...groupRows, ...rows], errors, fatal: false };
}

/**
 * Gives each row a code in its parent's slot. Rows sharing a slot are numbered in name order
 * (code-unit order, not a locale collation, whose tables change between ICU versions and would
 * renumber a district), ties by line, skipping codes the file already uses.
 */
function deriveCodes(rows: RawRow[], levels: ReadonlyMap<string, OrgLevel>, taken: Set<string>): void {
  const slots = new Map<string, { slot: Exclude<ReturnType<typeof codeSlot>, string>; rows: RawRow[] }>();
  for (const row of rows) {
    const parentLevel = levels.get(row.parentCode);
    // A bad level or parent is reported by validation, and explains the missing code too.
    if (!isOrgLevel(row.level) || parentLevel === undefined) {
      row.skipChecks = [...(row.skipChecks ?? []), 'code'];
      continue;
    }
    const slot = codeSlot(row.parentCode, parentLevel, row.level);
    if (typeof slot === 'string') {
      row.problems.push({ field: 'code', message: `code is required: cannot derive one, ${slot}` });
      continue;
    }
    const key = `${slot.prefix}|${slot.width}|${slot.suffix}`;
    const entry = slots.get(key) ?? { slot, rows: [] };
    entry.rows.push(row);
    slots.set(key, entry);
  }
  for (const { slot, rows: siblings } of slots.values()) {
    siblings.sort((a, b) => compareText(a.name, b.name) || a.line - b.line);
    let seq = slot.min;
    for (const row of siblings) {
      while (seq <= slot.max && taken.has(slotCode(slot, seq))) seq++;
      if (seq > slot.max) {
        row.problems.push({
          field: 'code',
          message: `code is required: all ${slot.max} derived codes under '${row.parentCode}' are used`,
        });
        continue;
      }
      row.code = slotCode(slot, seq++);
      taken.add(row.code);
    }
  }
}

/** Levels of every code a row may name as parent: the file's own rows, the database and the root. */
function knownLevels(
  rows: RawRow[],
  existing: ReadonlyMap<string, OrgLevel>,
  root: NonNullable<ImportOptions['root']>,
): Map<string, OrgLevel> {
  const levels = new Map<string, OrgLevel>(existing);
  levels.set(root.code, root.level);
  for (const row of rows) {
    if (row.code !== '' && isOrgLevel(row.level) && !levels.has(row.code)) levels.set(row.code, row.level);
  }
  return levels;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
