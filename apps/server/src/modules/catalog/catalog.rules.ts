import { errors } from '../../platform/errors.ts';
import type { CategoryImportRow, CategoryRow } from './catalog.repository.ts';
import {
  type CategoryKind,
  type Deadlines,
  type ExtraField,
  MAX_GROUP_DEPTH,
  MAX_ITEM_DEPTH,
  type Urgency,
} from './catalog.types.ts';

/**
 * Pure rules of the catalogue, shared by the service (admin edits) and the importer (demo data),
 * so a hand-made item and a loaded one are checked the same way.
 */

/** Checks what the schema cannot: list types have values, codes and keys are unique. */
export function checkExtraFields(fields: readonly ExtraField[], where = 'extraFields'): void {
  const codes = new Set<string>();
  fields.forEach((field, i) => {
    const at = `${where}/${i}`;
    if (codes.has(field.code)) throw errors.validation(`extra field ${field.code} is listed twice`, { at });
    codes.add(field.code);
    const isList = field.datatype === 'singlevaluelist' || field.datatype === 'multivaluelist';
    if (isList && !field.values?.length) {
      throw errors.validation(`extra field ${field.code} is a list and needs values`, { at });
    }
    if (!isList && field.values !== undefined) {
      throw errors.validation(`extra field ${field.code} is not a list and takes no values`, { at });
    }
    const keys = new Set(field.values?.map((v) => v.key));
    if (field.values && keys.size !== field.values.length) {
      throw errors.validation(`extra field ${field.code} repeats a value key`, { at });
    }
  });
}

export function checkDeadlineOrder(deadlines: Deadlines): void {
  const { acceptDays, finishDays, complexFinishDays } = deadlines;
  if (!(acceptDays <= finishDays && finishDays <= complexFinishDays)) {
    throw errors.validation('deadlines must satisfy acceptDays ≤ finishDays ≤ complexFinishDays', {
      acceptDays,
      finishDays,
      complexFinishDays,
    });
  }
}

/** Trimmed, without blanks or repeats, in the order given. */
export function normaliseKeywords(keywords: readonly string[] | undefined): string[] {
  return [...new Set((keywords ?? []).map((k) => k.trim()).filter(Boolean))];
}

export interface PublicItem {
  id: number;
  code: string;
  name: string;
  kind: CategoryKind;
  urgency: Urgency;
  sortOrder: number;
  popularity: number;
  keywords: string[];
  extraFields: ExtraField[];
}

export interface PublicGroup {
  id: number;
  code: string;
  name: string;
  items: PublicItem[];
}

export interface PublicKind extends PublicGroup {
  kind: CategoryKind;
  groups: PublicGroup[];
}

function publicItem(row: CategoryRow): PublicItem {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    urgency: row.urgency!,
    sortOrder: row.sortOrder,
    popularity: row.popularity,
    keywords: row.keywords,
    extraFields: [...row.extraFields].sort((a, b) => a.order - b.order),
  };
}

/**
 * The resident-facing tree: kind groups → sub-groups → items. Rows arrive in catalogue order
 * (pinned, then most common), which the tree keeps. A node is shown only when it and every
 * ancestor are active, and a group only when something selectable is left in it.
 */
export function buildPublicTree(rows: readonly CategoryRow[]): PublicKind[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const visible = (row: CategoryRow): boolean => {
    for (let node: CategoryRow | undefined = row; node; ) {
      if (!node.active) return false;
      node = node.parentId === null ? undefined : byId.get(node.parentId);
    }
    return true;
  };
  const kinds = new Map<number, PublicKind>();
  const groups = new Map<number, PublicGroup>();
  for (const row of rows) {
    if (!row.isGroup || !visible(row)) continue;
    if (row.parentId === null) {
      kinds.set(row.id, {
        id: row.id,
        code: row.code,
        name: row.name,
        kind: row.kind,
        items: [],
        groups: [],
      });
    }
  }
  for (const row of rows) {
    if (!row.isGroup || row.parentId === null || !visible(row)) continue;
    const kind = kinds.get(row.parentId);
    if (!kind) continue;
    const group: PublicGroup = { id: row.id, code: row.code, name: row.name, items: [] };
    groups.set(row.id, group);
    kind.groups.push(group);
  }
  for (const row of rows) {
    if (row.isGroup || row.parentId === null || !visible(row)) continue;
    const holder = groups.get(row.parentId) ?? kinds.get(row.parentId);
    holder?.items.push(publicItem(row));
  }
  const result: PublicKind[] = [];
  for (const kind of kinds.values()) {
    kind.groups = kind.groups.filter((g) => g.items.length > 0);
    if (kind.items.length > 0 || kind.groups.length > 0) result.push(kind);
  }
  return result;
}

/** Validates an import and splits it by depth, so each level's parents exist before it is inserted. */
export function importLevels(rows: readonly CategoryImportRow[]): CategoryImportRow[][] {
  const depthOf = new Map<string, number>();
  const levels: CategoryImportRow[][] = [];
  for (const row of rows) {
    if (depthOf.has(row.code)) throw errors.validation(`category ${row.code} is listed twice`);
    const parentDepth = row.parentCode === null ? 0 : depthOf.get(row.parentCode);
    if (parentDepth === undefined) {
      throw errors.validation(`category ${row.code} comes before its parent ${row.parentCode}`);
    }
    const depth = parentDepth + 1;
    if (depth > (row.isGroup ? MAX_GROUP_DEPTH : MAX_ITEM_DEPTH) || (!row.isGroup && depth < 2)) {
      throw errors.validation(`category ${row.code} sits at a depth its type does not allow`);
    }
    if (!row.isGroup) {
      checkDeadlineOrder({
        acceptDays: row.acceptDays!,
        finishDays: row.finishDays!,
        complexFinishDays: row.complexFinishDays!,
      });
      checkExtraFields(row.extraFields, row.code);
    }
    depthOf.set(row.code, depth);
    if (!levels[depth - 1]) levels[depth - 1] = [];
    levels[depth - 1]!.push(row);
  }
  return levels;
}
