import type { Queryable, SqlParam } from '../../db/db.ts';
import type { CategoryKind, ExtraField, Urgency } from './catalog.types.ts';

export interface CategoryRow {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  isGroup: boolean;
  kind: CategoryKind;
  competence: string | null;
  urgency: Urgency | null;
  acceptDays: number | null;
  finishDays: number | null;
  complexFinishDays: number | null;
  extraFields: ExtraField[];
  keywords: string[];
  sortOrder: number;
  popularity: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The writable columns of a category, by their TypeScript names. */
export type CategoryValues = Omit<CategoryRow, 'id' | 'createdAt' | 'updatedAt'>;

/** A category as the demo loader hands it over: parents referenced by code. */
export interface CategoryImportRow extends Omit<CategoryValues, 'parentId' | 'active'> {
  parentCode: string | null;
}

export interface OrgRef {
  id: number;
  code: string;
  name: string;
  level: string;
  shortName: string | null;
}

export interface AreaRow extends OrgRef {
  path: string;
}

export interface ResponsibilityRow {
  area: OrgRef;
  department: OrgRef;
}

const COLUMNS = `id, code, name, parent_id AS "parentId", is_group AS "isGroup", kind, competence, urgency,
  accept_days AS "acceptDays", finish_days AS "finishDays", complex_finish_days AS "complexFinishDays",
  extra_fields AS "extraFields", keywords, sort_order AS "sortOrder", popularity, active,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Catalogue order: pinned first, then the most common, then by code so the order never wobbles. */
const ORDER = 'ORDER BY sort_order, popularity DESC, code';

const COLUMN_OF: Record<keyof CategoryValues, string> = {
  code: 'code',
  name: 'name',
  parentId: 'parent_id',
  isGroup: 'is_group',
  kind: 'kind',
  competence: 'competence',
  urgency: 'urgency',
  acceptDays: 'accept_days',
  finishDays: 'finish_days',
  complexFinishDays: 'complex_finish_days',
  extraFields: 'extra_fields',
  keywords: 'keywords',
  sortOrder: 'sort_order',
  popularity: 'popularity',
  active: 'active',
};

function param(key: keyof CategoryValues, value: unknown): SqlParam {
  if (key === 'extraFields') return JSON.stringify(value ?? []);
  return value as SqlParam;
}

const ORG_REF = (alias: string) =>
  `${alias}.id, ${alias}.code, ${alias}.name, ${alias}.level, ${alias}.properties->>'shortName' AS "shortName"`;

/** Reads org units too: responsibility is about which department (an org unit) handles an item. */
export function createCatalogRepository(db: Queryable) {
  return {
    all: () => db.many<CategoryRow>(`SELECT ${COLUMNS} FROM category ${ORDER}`),

    list(filter: { kind?: CategoryKind; q?: string; active?: boolean; leaf?: boolean }) {
      const params: SqlParam[] = [];
      const where: string[] = [];
      const add = (clause: string, value: SqlParam) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.kind) add('kind = ?', filter.kind);
      if (filter.active !== undefined) add('active = ?', filter.active);
      if (filter.leaf !== undefined) add('is_group = NOT ?', filter.leaf);
      if (filter.q) {
        // Both directions for keywords: "井盖" finds 井盖缺失, and "楼下井盖丢了" finds it too.
        add(
          `(strpos(name, ?) > 0 OR starts_with(code, upper(?))
            OR EXISTS (SELECT 1 FROM unnest(keywords) AS k WHERE strpos(k, ?) > 0 OR strpos(?, k) > 0))`,
          filter.q,
        );
      }
      return db.many<CategoryRow>(
        `SELECT ${COLUMNS} FROM category ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${ORDER}`,
        params,
      );
    },

    findById: (id: number) => db.one<CategoryRow>(`SELECT ${COLUMNS} FROM category WHERE id = $1`, [id]),

    findByCode: (code: string) =>
      db.one<CategoryRow>(`SELECT ${COLUMNS} FROM category WHERE code = $1`, [code]),

    /** The category and its ancestors, root first. */
    lineage: (id: number) =>
      db.many<{ id: number; code: string; name: string }>(
        `WITH RECURSIVE up AS (
           SELECT id, parent_id, code, name, 0 AS depth FROM category WHERE id = $1
           UNION ALL
           SELECT c.id, c.parent_id, c.code, c.name, up.depth + 1 FROM category c JOIN up ON c.id = up.parent_id
         )
         SELECT id, code, name FROM up ORDER BY depth DESC`,
        [id],
      ),

    childCount: async (id: number) =>
      (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM category WHERE parent_id = $1', [id]))!.n,

    count: async () => (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM category'))!.n,

    async insert(values: CategoryValues, now: Date): Promise<number> {
      const keys = Object.keys(COLUMN_OF) as (keyof CategoryValues)[];
      const params = keys.map((key) => param(key, values[key]));
      params.push(now);
      const row = await db.one<{ id: number }>(
        `INSERT INTO category (${keys.map((key) => COLUMN_OF[key]).join(', ')}, created_at, updated_at)
         VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}, $${params.length}, $${params.length})
         RETURNING id`,
        params,
      );
      return row!.id;
    },

    async update(id: number, changes: Partial<CategoryValues>, now: Date) {
      const params: SqlParam[] = [id];
      const sets: string[] = [];
      for (const key of Object.keys(changes) as (keyof CategoryValues)[]) {
        if (changes[key] === undefined) continue;
        params.push(param(key, changes[key]));
        sets.push(`${COLUMN_OF[key]} = $${params.length}`);
      }
      params.push(now);
      sets.push(`updated_at = $${params.length}`);
      await db.query(`UPDATE category SET ${sets.join(', ')} WHERE id = $1`, params);
    },

    /**
     * Inserts one depth level of an import (parents must already exist); codes already present
     * are left as they are, so loading twice changes nothing. Returns how many were new.
     */
    async insertMissing(rows: readonly CategoryImportRow[], now: Date): Promise<number> {
      if (rows.length === 0) return 0;
      const records = rows.map((row, seq) => ({
        seq,
        code: row.code,
        name: row.name,
        parent_code: row.parentCode,
        is_group: row.isGroup,
        kind: row.kind,
        competence: row.competence,
        urgency: row.urgency,
        accept_days: row.acceptDays,
        finish_days: row.finishDays,
        complex_finish_days: row.complexFinishDays,
        extra_fields: row.extraFields,
        keywords: row.keywords,
        sort_order: row.sortOrder,
        popularity: row.popularity,
      }));
      const result = await db.query(
        `INSERT INTO category (code, name, parent_id, is_group, kind, competence, urgency, accept_days,
           finish_days, complex_finish_days, extra_fields, keywords, sort_order, popularity, created_at, updated_at)
         SELECT d.code, d.name, p.id, d.is_group, d.kind, d.competence, d.urgency, d.accept_days, d.finish_days,
           d.complex_finish_days, d.extra_fields, d.keywords, d.sort_order, d.popularity, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS d(seq int, code text, name text, parent_code text,
           is_group boolean, kind text, competence text, urgency text, accept_days smallint, finish_days smallint,
           complex_finish_days smallint, extra_fields jsonb, keywords text[], sort_order int, popularity int)
         LEFT JOIN category p ON p.code = d.parent_code
         ORDER BY d.seq
         ON CONFLICT (code) DO NOTHING`,
        [JSON.stringify(records), now],
      );
      return result.rowCount;
    },

    /** Overrides by codes; unknown codes are skipped, existing overrides kept. Returns how many were new. */
    async insertMissingResponsibilities(
      rows: readonly { categoryCode: string; areaCode: string; departmentCode: string }[],
      now: Date,
    ): Promise<number> {
      if (rows.length === 0) return 0;
      const result = await db.query(
        `INSERT INTO category_responsibility (category_id, area_org_id, department_org_id, created_at)
         SELECT c.id, a.id, d.id, $2
         FROM jsonb_to_recordset($1::jsonb) AS r(category_code text, area_code text, department_code text)
         JOIN category c ON c.code = r.category_code
         JOIN org_unit a ON a.code = r.area_code
         JOIN org_unit d ON d.code = r.department_code AND d.level = 'department'
         ON CONFLICT (category_id, area_org_id) DO NOTHING`,
        [
          JSON.stringify(
            rows.map((r) => ({
              category_code: r.categoryCode,
              area_code: r.areaCode,
              department_code: r.departmentCode,
            })),
          ),
          now,
        ],
      );
      return result.rowCount;
    },

    async responsibilities(categoryId: number): Promise<ResponsibilityRow[]> {
      const rows = await db.many<{ area: OrgRef; department: OrgRef }>(
        `SELECT json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'level', a.level,
                  'shortName', a.properties->>'shortName') AS area,
                json_build_object('id', d.id, 'code', d.code, 'name', d.name, 'level', d.level,
                  'shortName', d.properties->>'shortName') AS department
         FROM category_responsibility r
         JOIN org_unit a ON a.id = r.area_org_id
         JOIN org_unit d ON d.id = r.department_org_id
         WHERE r.category_id = $1
         ORDER BY a.path`,
        [categoryId],
      );
      return rows;
    },

    async replaceResponsibilities(
      categoryId: number,
      items: readonly { areaOrgId: number; departmentOrgId: number }[],
      now: Date,
    ) {
      await db.query('DELETE FROM category_responsibility WHERE category_id = $1', [categoryId]);
      if (items.length === 0) return;
      await db.query(
        `INSERT INTO category_responsibility (category_id, area_org_id, department_org_id, created_at)
         SELECT $1, r.area, r.department, $3 FROM jsonb_to_recordset($2::jsonb) AS r(area int, department int)`,
        [
          categoryId,
          JSON.stringify(items.map((i) => ({ area: i.areaOrgId, department: i.departmentOrgId }))),
          now,
        ],
      );
    },

    orgsByIds: (ids: readonly number[]) =>
      db.many<AreaRow>(`SELECT ${ORG_REF('o')}, o.path FROM org_unit o WHERE o.id = ANY ($1::int[])`, [ids]),

    /** The override set on the deepest of `areaIds` (given root first), if any. */
    overrideFor: (categoryId: number, areaIds: readonly number[]) =>
      db.one<{ area: OrgRef; department: OrgRef }>(
        `SELECT json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'level', a.level,
                  'shortName', a.properties->>'shortName') AS area,
                json_build_object('id', d.id, 'code', d.code, 'name', d.name, 'level', d.level,
                  'shortName', d.properties->>'shortName') AS department
         FROM category_responsibility r
         JOIN org_unit a ON a.id = r.area_org_id
         JOIN org_unit d ON d.id = r.department_org_id
         WHERE r.category_id = $1 AND r.area_org_id = ANY ($2::int[])
         ORDER BY array_position($2::int[], r.area_org_id) DESC
         LIMIT 1`,
        [categoryId, areaIds],
      ),

    /** The department nearest the top of `scopePath` that declares the competence. */
    departmentForCompetence: (scopePath: string, competence: string) =>
      db.one<OrgRef>(
        `SELECT ${ORG_REF('o')} FROM org_unit o
         WHERE o.level = 'department' AND starts_with(o.path, $1)
           AND o.properties->'competences' @> jsonb_build_array($2::text)
         ORDER BY cardinality(string_to_array(trim(both '/' from o.path), '/')), o.id
         LIMIT 1`,
        [scopePath, competence],
      ),

    competenceDeclared: async (competence: string) =>
      (await db.one<{ ok: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM org_unit WHERE level = 'department'
           AND properties->'competences' @> jsonb_build_array($1::text)) AS ok`,
        [competence],
      ))!.ok,
  };
}
export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
