import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import {
  type CategoryImportRow,
  type CategoryRow,
  type CategoryValues,
  createCatalogRepository,
  type OrgRef,
} from './catalog.repository.ts';
import {
  buildPublicTree,
  checkDeadlineOrder,
  checkExtraFields,
  importLevels,
  normaliseKeywords,
} from './catalog.rules.ts';
import {
  type CategoryKind,
  DEFAULT_DEADLINES,
  type Deadlines,
  type ExtraField,
  MAX_GROUP_DEPTH,
  MAX_ITEM_DEPTH,
  type Urgency,
} from './catalog.types.ts';
import { createResponsibilityResolver } from './responsibility.ts';

export interface NewCategory {
  code: string;
  name: string;
  parentId?: number | null;
  kind?: CategoryKind;
  isGroup?: boolean;
  competence?: string;
  urgency?: Urgency;
  acceptDays?: number;
  finishDays?: number;
  complexFinishDays?: number;
  extraFields?: ExtraField[];
  keywords?: string[];
  sortOrder?: number;
  popularity?: number;
  active?: boolean;
}

export type CategoryChanges = Partial<
  Pick<
    CategoryValues,
    | 'name'
    | 'competence'
    | 'urgency'
    | 'acceptDays'
    | 'finishDays'
    | 'complexFinishDays'
    | 'extraFields'
    | 'keywords'
    | 'sortOrder'
    | 'popularity'
    | 'active'
  >
>;

const ITEM_ONLY = [
  'competence',
  'urgency',
  'acceptDays',
  'finishDays',
  'complexFinishDays',
  'extraFields',
] as const;

export interface CatalogImport {
  categories: CategoryImportRow[];
  responsibilities: { categoryCode: string; areaCode: string; departmentCode: string }[];
}

export function createCatalogService(deps: { db: Db; journal: Journal; clock: Clock }) {
  const { db, journal, clock } = deps;
  const repo = createCatalogRepository(db);
  const resolver = createResponsibilityResolver(repo);

  async function mustFind(id: number): Promise<CategoryRow> {
    const row = await repo.findById(id);
    if (!row) throw errors.notFound('the category', { id });
    return row;
  }

  async function mustBeDeclared(competence: string) {
    if (!(await repo.competenceDeclared(competence))) {
      throw errors.unprocessable(
        'unknown_competence',
        `no department declares the competence ${competence}`,
        {
          competence,
        },
      );
    }
  }

  function journalEntry(actor: Actor, action: string, row: { id: number | null; code?: string }, data = {}) {
    return {
      stream: SECURITY_STREAM,
      action,
      actorId: actor.userId,
      actorOrgId: actor.orgId || null,
      subjectType: 'category',
      subjectId: row.id === null ? null : String(row.id),
      data: { ...(row.code ? { code: row.code } : {}), ...data },
    };
  }

  const service = {
    /** The active tree for residents and the public API. */
    async publicTree(filter: { kind?: CategoryKind } = {}) {
      const kinds = buildPublicTree(await repo.all());
      return { kinds: filter.kind ? kinds.filter((k) => k.kind === filter.kind) : kinds };
    },

    async list(filter: { kind?: CategoryKind; q?: string; active?: boolean; leaf?: boolean }) {
      return { items: (await repo.list(filter)).map(view) };
    },

    async get(id: number) {
      const row = await mustFind(id);
      const [lineage, childCount, responsibilities] = await Promise.all([
        repo.lineage(id),
        repo.childCount(id),
        repo.responsibilities(id),
      ]);
      return { ...view(row), ancestors: lineage.slice(0, -1), childCount, responsibilities };
    },

    async getByCode(code: string): Promise<CategoryView | null> {
      const row = await repo.findByCode(code);
      return row ? view(row) : null;
    },

    /** Urgency and working-day limits of a selectable item, for the appeal's deadlines. */
    async deadlines(categoryId: number): Promise<Deadlines & { urgency: Urgency }> {
      const row = await mustFind(categoryId);
      if (row.isGroup) throw notSelectable(row);
      return {
        urgency: row.urgency!,
        acceptDays: row.acceptDays!,
        finishDays: row.finishDays!,
        complexFinishDays: row.complexFinishDays!,
      };
    },

    /**
     * Who handles an item in an area: the override nearest the area, else the department of the
     * area's district whose competences contain the item's. Null when nobody fits.
     */
    async responsibleDepartment(categoryId: number, area: number | string) {
      const row = await mustFind(categoryId);
      if (row.isGroup) throw notSelectable(row);
      return resolver.resolve(row, area);
    },

    /** Every department that could handle the item in the area, the rule's choice first, each with its reason. */
    /** The department of the district at `districtPath` whose competences include `competence`. */
    departmentForCompetence: (districtPath: string, competence: string) =>
      repo.departmentForCompetence(districtPath, competence),

    async responsibleCandidates(categoryId: number, area: number | string) {
      const row = await mustFind(categoryId);
      if (row.isGroup) return [];
      return resolver.candidates(row, area);
    },

    async create(actor: Actor, input: NewCategory) {
      if (await repo.findByCode(input.code))
        throw errors.conflict('this code is taken', { code: input.code });
      const isGroup = input.isGroup ?? false;
      let kind = input.kind;
      let depth = 1;
      if (input.parentId != null) {
        const parent = await mustFind(input.parentId);
        if (!parent.isGroup) {
          throw errors.unprocessable('invalid_parent', 'an item cannot hold other categories', {
            parentId: parent.id,
          });
        }
        if (kind && kind !== parent.kind) {
          throw errors.unprocessable(
            'invalid_parent',
            `a ${kind} category cannot sit in a ${parent.kind} group`,
          );
        }
        kind = parent.kind;
        depth = (await repo.lineage(parent.id)).length + 1;
      }
      if (!kind) throw errors.validation('a top-level group needs its kind', { field: 'kind' });
      if (isGroup && depth > MAX_GROUP_DEPTH) {
        throw errors.unprocessable('invalid_parent', 'groups nest only two deep (kind → sub-group)');
      }
      if (!isGroup && (depth < 2 || depth > MAX_ITEM_DEPTH)) {
        throw errors.unprocessable(
          'invalid_parent',
          'an item belongs in a kind group or one of its sub-groups',
        );
      }
      let values: CategoryValues;
      if (isGroup) {
        const stray = ITEM_ONLY.filter((key) => input[key] !== undefined);
        if (stray.length) throw errors.validation('a group takes no item fields', { fields: stray });
        values = {
          ...base(input, kind),
          isGroup: true,
          competence: null,
          urgency: null,
          acceptDays: null,
          finishDays: null,
          complexFinishDays: null,
          extraFields: [],
        };
      } else {
        if (!input.competence) throw errors.validation('an item needs a competence', { field: 'competence' });
        const urgency = input.urgency ?? 'normal';
        const deadlines = {
          acceptDays: input.acceptDays ?? DEFAULT_DEADLINES[urgency].acceptDays,
          finishDays: input.finishDays ?? DEFAULT_DEADLINES[urgency].finishDays,
          complexFinishDays: input.complexFinishDays ?? DEFAULT_DEADLINES[urgency].complexFinishDays,
        };
        checkDeadlineOrder(deadlines);
        checkExtraFields(input.extraFields ?? []);
        await mustBeDeclared(input.competence);
        values = {
          ...base(input, kind),
          isGroup: false,
          competence: input.competence,
          urgency,
          ...deadlines,
          extraFields: input.extraFields ?? [],
        };
      }
      const id = await db.transaction(async (tx) => {
        const newId = await createCatalogRepository(tx).insert(values, clock.now());
        await journal.append(
          tx,
          journalEntry(
            actor,
            'catalog.created',
            { id: newId, code: values.code },
            {
              kind,
              isGroup,
              parentId: values.parentId,
            },
          ),
        );
        return newId;
      });
      return service.get(id);
    },

    async update(actor: Actor, id: number, changes: CategoryChanges) {
      const row = await mustFind(id);
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      if (row.isGroup) {
        const stray = ITEM_ONLY.filter((key) => given[key] !== undefined);
        if (stray.length) throw errors.validation('a group takes no item fields', { fields: stray });
      } else {
        checkDeadlineOrder({
          acceptDays: changes.acceptDays ?? row.acceptDays!,
          finishDays: changes.finishDays ?? row.finishDays!,
          complexFinishDays: changes.complexFinishDays ?? row.complexFinishDays!,
        });
        if (changes.extraFields) checkExtraFields(changes.extraFields);
        if (changes.competence && changes.competence !== row.competence)
          await mustBeDeclared(changes.competence);
      }
      // A new urgency keeps the item's deadlines: they are set on purpose, not derived.
      const values: Partial<CategoryValues> = {
        ...given,
        ...(changes.name ? { name: changes.name.trim() } : {}),
        ...(changes.keywords ? { keywords: normaliseKeywords(changes.keywords) } : {}),
      };
      await db.transaction(async (tx) => {
        await createCatalogRepository(tx).update(id, values, clock.now());
        await journal.append(
          tx,
          journalEntry(actor, 'catalog.updated', row, { fields: Object.keys(values), changes: values }),
        );
      });
      return service.get(id);
    },

    /** Replaces the per-area overrides of one item. */
    async setResponsibilities(
      actor: Actor,
      id: number,
      items: readonly { areaOrgId: number; departmentOrgId: number }[],
    ) {
      const row = await mustFind(id);
      if (row.isGroup) throw notSelectable(row);
      await resolver.checkOverrides(actor, items);
      await db.transaction(async (tx) => {
        await createCatalogRepository(tx).replaceResponsibilities(id, items, clock.now());
        await journal.append(
          tx,
          journalEntry(actor, 'catalog.responsibilities_set', row, {
            items: items.map((i) => ({ areaOrgId: i.areaOrgId, departmentOrgId: i.departmentOrgId })),
          }),
        );
      });
      return { items: await repo.responsibilities(id) };
    },

    /**
     * Loads a catalogue (parents before children) and its overrides in one transaction. Codes
     * already present are kept as they are, so loading twice changes nothing.
     */
    async importCatalog(actor: Actor, input: CatalogImport, source: string) {
      const levels = importLevels(input.categories);
      return db.transaction(async (tx) => {
        const txRepo = createCatalogRepository(tx);
        const now = clock.now();
        let categories = 0;
        for (const level of levels) categories += await txRepo.insertMissing(level, now);
        const responsibilities = await txRepo.insertMissingResponsibilities(input.responsibilities, now);
        if (categories > 0 || responsibilities > 0) {
          await journal.append(
            tx,
            journalEntry(actor, 'catalog.imported', { id: null }, { source, categories, responsibilities }),
          );
        }
        return { categories, responsibilities };
      });
    },

    count: () => repo.count(),
  };
  return service;
}
export type CatalogService = ReturnType<typeof createCatalogService>;
export type ResponsibleDepartment = Awaited<ReturnType<CatalogService['responsibleDepartment']>>;
export type { OrgRef };

export type CategoryView = Omit<CategoryRow, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

function view(row: CategoryRow): CategoryView {
  return {
    ...row,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function base(input: NewCategory, kind: CategoryKind) {
  return {
    code: input.code,
    name: input.name.trim(),
    parentId: input.parentId ?? null,
    kind,
    keywords: normaliseKeywords(input.keywords),
    sortOrder: input.sortOrder ?? 0,
    popularity: input.popularity ?? 0,
    active: input.active ?? true,
  };
}

function notSelectable(row: CategoryRow) {
  return errors.unprocessable('category_not_selectable', `${row.name} is a group, not a selectable item`, {
    id: row.id,
    code: row.code,
  });
}
