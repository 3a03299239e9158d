import turfBbox from '@turf/bbox';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { keysetPage } from '../../platform/paging.ts';
import { createOrgGeo } from './orgs.geo.ts';
import { createOrgRepository, type NewOrgRow, type OrgRow, type OrgSummaryRow } from './orgs.repository.ts';
import {
  ALLOWED_PARENT_LEVELS,
  CODE_PATTERNS,
  DEFAULT_STATION_RADIUS_M,
  type LngLat,
  type OrgBoundary,
  type OrgLevel,
  type OrgUnitDraft,
} from './orgs.types.ts';

export interface OrgNode {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  children: OrgNode[];
}

export interface OrgDetail {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  parent: { id: number; code: string; name: string; level: OrgLevel } | null;
  ancestors: { id: number; code: string; name: string; level: OrgLevel }[];
  boundary: OrgBoundary | null;
  location: LngLat | null;
  serviceRadiusM: number | null;
  properties: Record<string, unknown>;
  childCounts: Partial<Record<OrgLevel, number>>;
}

/** What other modules may ask of the org tree. */
export interface OrgDirectory {
  isInScope(orgId: number, scopePath: string): Promise<boolean>;
  findByCode(code: string): Promise<OrgRow | undefined>;
}

function bboxOf(boundary: OrgBoundary | null | undefined): [number, number, number, number] | null {
  if (!boundary) return null;
  return turfBbox(boundary) as [number, number, number, number];
}

/** The row to insert for a unit, whether created in the console or imported from a file. */
function newOrgRow(unit: Omit<OrgUnitDraft, 'parentCode'>, parentId: number | null): NewOrgRow {
  return {
    code: unit.code,
    name: unit.name,
    level: unit.level,
    parentId,
    boundary: unit.boundary ?? null,
    bbox: bboxOf(unit.boundary),
    location: unit.location ?? null,
    serviceRadiusM:
      unit.level === 'station'
        ? (unit.serviceRadiusM ?? DEFAULT_STATION_RADIUS_M)
        : (unit.serviceRadiusM ?? null),
    properties: unit.properties ?? {},
  };
}

function summary(row: OrgSummaryRow) {
  return { id: row.id, code: row.code, name: row.name, level: row.level };
}

export function createOrgService(deps: { db: Db; journal: Journal; clock: Clock }) {
  const { db, journal, clock } = deps;
  const repo = createOrgRepository(db);

  async function mustFind(actor: Actor, id: number) {
    const row = await repo.findInScope(id, actor.orgPath);
    if (!row) throw errors.notFound('the org unit', { id });
    return row;
  }

  return {
    async tree(actor: Actor): Promise<{ root: OrgNode; counts: Partial<Record<OrgLevel, number>> }> {
      const rows = await repo.subtree(actor.orgPath);
      const nodes = new Map<number, OrgNode>();
      const counts: Partial<Record<OrgLevel, number>> = {};
      for (const row of rows) {
        nodes.set(row.id, { ...summary(row), children: [] });
        counts[row.level] = (counts[row.level] ?? 0) + 1;
      }
      let root: OrgNode | undefined;
      // Rows come ordered by path, so a parent is always placed before its children.
      for (const row of rows) {
        const node = nodes.get(row.id)!;
        const parent = row.parentId === null ? undefined : nodes.get(row.parentId);
        if (parent) parent.children.push(node);
        else root ??= node;
      }
      if (!root) throw errors.notFound('the org unit', { id: actor.orgId });
      return { root, counts };
    },

    async get(actor: Actor, id: number): Promise<OrgDetail> {
      const row = await mustFind(actor, id);
      const [ancestors, childCounts] = await Promise.all([
        repo.ancestors(row.path),
        repo.childCounts(row.id),
      ]);
      // Units above the actor's own unit are outside their scope: the breadcrumb starts at their unit.
      const hidden = new Set(actor.orgPath.split('/').filter(Boolean).map(Number));
      hidden.delete(actor.orgId);
      const inScope = ancestors.filter((a) => a.id !== row.id && !hidden.has(a.id));
      const parent = ancestors.find((a) => a.id === row.parentId);
      return {
        id: row.id,
        code: row.code,
        name: row.name,
        level: row.level,
        parent: parent ? summary(parent) : null,
        ancestors: inScope.map(summary),
        boundary: row.boundary,
        location: row.lng !== null && row.lat !== null ? { lng: row.lng, lat: row.lat } : null,
        serviceRadiusM: row.serviceRadiusM,
        properties: row.properties,
        childCounts: Object.fromEntries(childCounts.map((c) => [c.level, c.count])),
      };
    },

    async list(
      actor: Actor,
      filter: { level?: OrgLevel; parentId?: number; q?: string; after?: string; limit?: number },
    ) {
      const limit = Math.min(filter.limit ?? 100, 500);
      const rows = await repo.list({
        scopePath: actor.orgPath,
        level: filter.level,
        parentId: filter.parentId,
        q: filter.q,
        afterCode: filter.after,
        limit: limit + 1,
      });
      const { page, next } = keysetPage(rows, limit, (last) => last.code);
      return {
        items: page.map((row) => ({
          ...summary(row),
          parentId: row.parentId,
          location: row.lng !== null && row.lat !== null ? { lng: row.lng, lat: row.lat } : null,
          serviceRadiusM: row.serviceRadiusM,
        })),
        next,
      };
    },

    async create(actor: Actor, input: Omit<OrgUnitDraft, 'parentCode'> & { parentId: number }) {
      const parent = await mustFind(actor, input.parentId);
      if (!CODE_PATTERNS[input.level].test(input.code)) {
        throw errors.validation(`the code does not have the format of a ${input.level}`, { field: 'code' });
      }
      if (!ALLOWED_PARENT_LEVELS[input.level].includes(parent.level)) {
        throw errors.unprocessable(
          'invalid_parent',
          `a ${input.level} cannot be placed under a ${parent.level}`,
        );
      }
      if (await repo.findByCode(input.code))
        throw errors.conflict('this code is taken', { code: input.code });
      const id = await db.transaction(async (tx) => {
        const inserted = await createOrgRepository(tx).insert(newOrgRow(input, parent.id));
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'org.created',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'org_unit',
          subjectId: String(inserted.id),
          data: { code: input.code, level: input.level, parentId: parent.id },
        });
        return inserted.id;
      });
      return this.get(actor, id);
    },

    async update(
      actor: Actor,
      id: number,
      changes: {
        name?: string;
        boundary?: OrgBoundary | null;
        location?: LngLat | null;
        serviceRadiusM?: number | null;
        properties?: Record<string, unknown>;
      },
    ) {
      await mustFind(actor, id);
      await db.transaction(async (tx) => {
        await createOrgRepository(tx).update(
          id,
          {
            ...changes,
            boundary:
              changes.boundary === undefined
                ? undefined
                : { value: changes.boundary, bbox: bboxOf(changes.boundary) },
          },
          clock.now(),
        );
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'org.updated',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'org_unit',
          subjectId: String(id),
          data: { fields: Object.keys(changes) },
        });
      });
      return this.get(actor, id);
    },

    /** Codes and levels already in the database, for the import validator. */
    async existingCodes(): Promise<Map<string, OrgLevel>> {
      return new Map((await repo.allCodes()).map((row) => [row.code, row.level]));
    },

    /**
     * Loads validated drafts (parents first) in one transaction: either the whole tree lands or
     * nothing does.
     */
    async importDrafts(actor: Actor, drafts: readonly OrgUnitDraft[], source: string) {
      return db.transaction(async (tx) => {
        const txRepo = createOrgRepository(tx);
        const ids = new Map<string, number>();
        for (const draft of drafts) {
          let parentId: number | null = null;
          if (draft.parentCode) {
            parentId = ids.get(draft.parentCode) ?? (await txRepo.findByCode(draft.parentCode))?.id ?? null;
            if (parentId === null)
              throw errors.unprocessable('invalid_parent', `unknown parent ${draft.parentCode}`);
          }
          const inserted = await txRepo.insert(newOrgRow(draft, parentId));
          ids.set(draft.code, inserted.id);
        }
        const byLevel: Partial<Record<OrgLevel, number>> = {};
        for (const draft of drafts) byLevel[draft.level] = (byLevel[draft.level] ?? 0) + 1;
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'org.imported',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'org_unit',
          subjectId: null,
          data: { source, units: drafts.length, byLevel },
        });
        return { imported: drafts.length, byLevel };
      });
    },

    directory(): OrgDirectory {
      return {
        isInScope: async (orgId, scopePath) => Boolean(await repo.findInScope(orgId, scopePath)),
        findByCode: (code) => repo.findByCode(code),
      };
    },

    countAll: () => repo.countAll(),

    /** Place lookups for intake: which unit a point or a station code belongs to. */
    places() {
      const geo = createOrgGeo(db);
      return {
        locate: geo.locate,
        stationByCode: (code: string) => repo.findByCode(code),
        byId: (id: number) => repo.findById(id),
        async fallbackArea() {
          const district = await repo.firstOfLevel('district');
          if (!district)
            throw errors.unprocessable('no_district', 'the org tree has no district to take appeals');
          return district;
        },
        async districtOf(path: string) {
          const ancestors = await repo.ancestors(path);
          return ancestors.find((unit) => unit.level === 'district');
        },
        /** The unit at `path` and every unit above it, the root first. */
        ancestors: (path: string) => repo.ancestors(path),
        /** Stations within `radiusM` of a point, nearest first, with their distance in metres. */
        stationsNear: async (lng: number, lat: number, radiusM: number) =>
          (await geo.nearbyStations(lng, lat, radiusM)).map(({ row, distance }) => ({
            station: row,
            distanceM: distance,
          })),
      };
    },

    /** Places by name for the resident's map search (public: names and points only). */
    async searchPlaces(text: string) {
      const rows = await createOrgRepository(db).searchPlaces(text.trim(), 10);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        level: row.level,
        within: row.parentName,
        location: { lng: row.lng, lat: row.lat },
      }));
    },

    /**
     * The grids and communities around a point with their outlines (public: names and shapes of
     * administrative areas), for a map with no tile server to draw the resident's surroundings.
     */
    async areasNear(lng: number, lat: number, radiusM: number) {
      const dLat = radiusM / 111_320;
      const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
      const rows = await createOrgRepository(db).areasInBox(
        lng - dLng,
        lat - dLat,
        lng + dLng,
        lat + dLat,
        60,
      );
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        level: row.level,
        boundary: row.boundary,
      }));
    },

    /** Stations near a resident, nearest first (public: names, places and opening hours only). */
    async nearbyStations(lng: number, lat: number, radiusM: number) {
      const found = await createOrgGeo(db).nearbyStations(lng, lat, radiusM);
      return found.slice(0, 50).map(({ row, distance }) => ({
        code: row.code,
        name: row.name,
        location: { lng: row.lng!, lat: row.lat! },
        distanceM: Math.round(distance),
        serviceRadiusM: row.serviceRadiusM ?? DEFAULT_STATION_RADIUS_M,
        openingHours: typeof row.properties.openingHours === 'string' ? row.properties.openingHours : null,
        services: Array.isArray(row.properties.services) ? (row.properties.services as string[]) : [],
        phone: typeof row.properties.phone === 'string' ? row.properties.phone : null,
      }));
    },
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
