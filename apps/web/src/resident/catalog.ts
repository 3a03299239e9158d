// The catalogue as a resident picks from it: a flat, searchable list, most common first.
import type { PublicCatalog, PublicCategory } from '@doorstep/contracts';
import { residentApi } from './api';

export interface PickableCategory extends PublicCategory {
  kindName: string;
  groupName: string | null;
}

export interface KindSection {
  code: string;
  name: string;
  items: PickableCategory[];
}

/**
 * 网格化巡查 (patrol) is the grid workers' inspection checklist, reported through their own
 * channel; a resident sees the same problems as 随手拍 items in plain words.
 */
const STAFF_ONLY_KINDS = new Set(['patrol']);

const byPopularity = (a: PublicCategory, b: PublicCategory) =>
  b.popularity - a.popularity || a.sortOrder - b.sortOrder || a.code.localeCompare(b.code);

export function toSections(catalog: PublicCatalog): KindSection[] {
  return catalog.kinds
    .filter((kind) => !STAFF_ONLY_KINDS.has(kind.kind))
    .map((kind) => ({
      code: kind.code,
      name: kind.name,
      items: [
        ...kind.items.map((item) => ({ ...item, kindName: kind.name, groupName: null })),
        ...kind.groups.flatMap((group) =>
          group.items.map((item) => ({ ...item, kindName: kind.name, groupName: group.name })),
        ),
      ].sort(byPopularity),
    }))
    .filter((section) => section.items.length > 0);
}

export function mostCommon(sections: KindSection[], count = 8): PickableCategory[] {
  return sections
    .flatMap((s) => s.items)
    .sort(byPopularity)
    .slice(0, count);
}

/** Name first, then keywords (噪音 finds 噪音扰民, 广场舞 finds it too), then group and kind names. */
export function searchCategories(sections: KindSection[], query: string): PickableCategory[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const score = (item: PickableCategory) => {
    if (item.name.toLowerCase().includes(q)) return 4;
    if (item.keywords.some((k) => k.toLowerCase().includes(q) || q.includes(k.toLowerCase()))) return 3;
    if (item.groupName?.includes(q)) return 2;
    if (item.kindName.includes(q)) return 1;
    return 0;
  };
  return sections
    .flatMap((s) => s.items)
    .map((item) => ({ item, score: score(item) }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || byPopularity(a.item, b.item))
    .map((hit) => hit.item);
}

let loading: Promise<KindSection[]> | null = null;

/** Fetched once per page load (the server allows a minute of caching, with an ETag). */
export function loadSections(): Promise<KindSection[]> {
  loading ??= residentApi.categories().then(toSections, (error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
