import type { CategoryImportRow } from '../catalog.repository.ts';
import { type DemoItem, type DemoKind, deadlinesOf } from './define.ts';
import { DISPUTE } from './dispute.ts';
import { PATROL } from './patrol.ts';
import { SERVICE_KINDS } from './services.ts';
import { SNAPSHOT } from './snapshot.ts';

/** The whole demo catalogue, kinds in display order. */
export const DEMO_KINDS: DemoKind[] = [PATROL, SNAPSHOT, DISPUTE, ...SERVICE_KINDS];

function itemRow(kind: DemoKind, parentCode: string, spec: DemoItem): CategoryImportRow {
  return {
    code: `${parentCode}-${spec.n}`,
    name: spec.name,
    parentCode,
    isGroup: false,
    kind: kind.kind,
    competence: spec.competence,
    urgency: spec.urgency,
    ...deadlinesOf(kind.kind, spec),
    extraFields: spec.extraFields ?? [],
    keywords: spec.keywords,
    sortOrder: 0,
    popularity: spec.popularity,
  };
}

function groupRow(kind: DemoKind, code: string, name: string, parentCode: string | null, sortOrder: number) {
  return {
    code,
    name,
    parentCode,
    isGroup: true,
    kind: kind.kind,
    competence: null,
    urgency: null,
    acceptDays: null,
    finishDays: null,
    complexFinishDays: null,
    extraFields: [],
    keywords: [],
    sortOrder,
    popularity: 0,
  } satisfies CategoryImportRow;
}

/** Rows parents-first, ready for `catalog.importCatalog`. */
export function demoCatalogRows(): CategoryImportRow[] {
  const rows: CategoryImportRow[] = [];
  for (const kind of DEMO_KINDS) {
    rows.push(groupRow(kind, kind.code, kind.name, null, kind.sortOrder));
    for (const spec of kind.items) rows.push(itemRow(kind, kind.code, spec));
    kind.groups.forEach((g, i) => {
      rows.push(groupRow(kind, g.code, g.name, kind.code, i + 1));
      for (const spec of g.items) rows.push(itemRow(kind, g.code, spec));
    });
  }
  return rows;
}

/** Codes of the items the local police station handles (辖区派出所). */
export function localPoliceItemCodes(): string[] {
  const codes: string[] = [];
  for (const kind of DEMO_KINDS) {
    for (const spec of kind.items) if (spec.local) codes.push(`${kind.code}-${spec.n}`);
    for (const g of kind.groups)
      for (const spec of g.items) if (spec.local) codes.push(`${g.code}-${spec.n}`);
  }
  return codes;
}
