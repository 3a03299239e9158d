import type { DuplicateSuggestion, TriageRequest, TriageResult, TriageRoute } from '@doorstep/contracts';
import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import { distanceM } from '../orgs/index.ts';
import { createDomainModel, DOMAIN_COMPETENCES } from './triage.domain.ts';
import { createHotspots } from './triage.hotspots.ts';
import { createItemModels } from './triage.items.ts';
import type { Place, TriageDeps } from './triage.ports.ts';
import { createTriageRepository } from './triage.repository.ts';
import { bigrams, similarity } from './triage.similarity.ts';

/**
 * Two texts this alike (character-bigram Dice) near each other are offered as one matter. Chosen
 * by bench/triage-duplicates.ts on the shared messages: at 0.2 a title finds its own message's
 * content 47 % of the time and another message's never (0.3: 24 % / 0; 0.15: 61 % / 0.06 %).
 */
export const DUPLICATE_MIN_SIMILARITY = 0.2;
/** Stations offered as routes: within this distance of the place. */
const STATION_RADIUS_M = 1000;
const DAY_MS = 86_400_000;

const AREA_REASONS: Record<string, string> = {
  grid: '所在网格',
  station: '所在网格站',
  community: '所在社区',
  subdistrict: '所在街道',
};

/**
 * Triage of a text and a place: the domain the shipped model sees (with the departments that
 * handle it), the units of the place, the stations nearby, and open appeals it may repeat. Used by
 * `POST /api/v1/triage` and at intake, where the result is kept on the appeal for the dispatcher.
 */
export function createTriageService(deps: TriageDeps, domainModel = createDomainModel()) {
  const repo = createTriageRepository(deps.db);
  const items = createItemModels(deps, domainModel);
  const hotspots = createHotspots(deps);

  /**
   * What the models say of a text: the shipped domain model's label, the district's item model's
   * top three (when the area's district has one), and whether a person must decide — the item
   * model's top confidence when there is one, else the domain model's, below the threshold.
   */
  async function classify(title: string | undefined, content: string, areaPath: string | undefined) {
    const predict = domainModel.predict();
    const raw = predict ? predict(title, content) : null;
    const categories = await items.categories(areaPath, title, content, deps.clock.now());
    const top = categories[0]?.confidence ?? raw?.confidence;
    return {
      domain: raw && { label: raw.label, confidence: Math.round(raw.confidence * 1000) / 1000 },
      /** The domain's label when it is sure enough to name its departments. */
      confidentDomain: raw && raw.confidence >= deps.settings.threshold ? raw.label : null,
      categories,
      needsHuman: top === undefined || top < deps.settings.threshold,
    };
  }

  async function whereIs(input: TriageRequest) {
    if (input.location)
      return {
        point: input.location,
        area: (await deps.places.locate(input.location.lng, input.location.lat))?.area,
      };
    if (input.stationCode) {
      const station = await deps.places.stationByCode(input.stationCode);
      if (station?.lat != null && station.lng != null)
        return { point: { lat: station.lat, lng: station.lng }, area: station };
      return { point: undefined, area: station };
    }
    return { point: undefined, area: undefined };
  }

  /** `chain`: the place's unit and every unit above it, the root first (empty: no place). */
  async function routes(
    chain: Place[],
    point: { lat: number; lng: number } | undefined,
    domain: string | null,
  ) {
    const found: TriageRoute[] = [];
    const add = (unit: Omit<Place, 'path'>, reason: string) => {
      if (!found.some((r) => r.orgId === unit.id))
        found.push({ orgId: unit.id, name: unit.name, level: unit.level, reason });
    };
    const district = chain.find((unit) => unit.level === 'district');
    if (district && domain) {
      for (const competence of DOMAIN_COMPETENCES[domain] ?? []) {
        const department = await deps.places.departmentFor(district.path, competence);
        if (department) add(department, `事项主管部门（${domain}）`);
      }
    }
    const own = [...chain].reverse().filter((unit) => unit.level in AREA_REASONS);
    const grid = own.find((unit) => unit.level === 'grid');
    if (grid) add(grid, AREA_REASONS.grid!);
    if (point) {
      for (const { station, distanceM: metres } of (
        await deps.places.stationsNear(point.lng, point.lat, STATION_RADIUS_M)
      ).slice(0, 2)) {
        add(station, `距离 ${Math.round(metres)} 米`);
      }
    }
    for (const unit of own) add(unit, AREA_REASONS[unit.level]!);
    return found;
  }

  async function duplicates(
    text: string,
    point: { lat: number; lng: number } | undefined,
    scopePath: string,
  ): Promise<DuplicateSuggestion[]> {
    if (!point) return [];
    const { duplicateRadiusM, duplicateDays } = deps.settings;
    const since = new Date(deps.clock.now().getTime() - duplicateDays * DAY_MS);
    const mine = bigrams(text);
    const rows = await repo.openNear(point, duplicateRadiusM, since, scopePath);
    return rows
      .map((row) => ({
        row,
        similarity: similarity(mine, bigrams(`${row.title} ${row.content}`)),
        distance: distanceM(point, row),
      }))
      .filter((c) => c.distance <= duplicateRadiusM && c.similarity >= DUPLICATE_MIN_SIMILARITY)
      .sort((a, b) => b.similarity - a.similarity || a.distance - b.distance)
      .slice(0, 5)
      .map((c) => ({
        id: c.row.id,
        trackingCode: maskTrackingCode(c.row.trackingCode),
        title: c.row.title,
        status: c.row.status,
        submittedAt: c.row.submittedAt.toISOString(),
        similarity: Math.round(c.similarity * 1000) / 1000,
        distanceM: Math.round(c.distance),
      }));
  }

  return {
    hotspots,

    /**
     * What the intake keeps on a new appeal: the domain and the duplicates (by id; their titles are
     * read for each viewer), found across the whole tree — the dispatcher's scope applies on display.
     */
    async forIntake(
      text: { title?: string; content: string },
      point: { lat: number; lng: number } | undefined,
      areaPath: string,
    ) {
      const { domain, categories, needsHuman } = await classify(text.title, text.content, areaPath);
      const found = await duplicates(`${text.title ?? ''} ${text.content}`, point, '/');
      return {
        domain,
        categories,
        needsHuman,
        duplicates: found.map((d) => ({ id: d.id, similarity: d.similarity, distanceM: d.distanceM })),
      };
    },

    /** The place's units for an appeal's dispatcher (appeals.suggestions.ts). */
    async routesFor(
      areaPath: string,
      point: { lat: number; lng: number } | undefined,
      domain: { label: string; confidence: number } | null,
    ) {
      const confident = domain && domain.confidence >= deps.settings.threshold ? domain.label : null;
      return routes(await deps.places.ancestors(areaPath), point, confident);
    },

    /** The item-level models (`doorstep triage retrain` trains them). */
    items,

    /** The whole triage; `scopePath` bounds the duplicates offered to what the caller may see. */
    async assess(input: TriageRequest, scopePath: string): Promise<TriageResult> {
      const { point, area } = await whereIs(input);
      const { domain, confidentDomain, categories, needsHuman } = await classify(
        input.title,
        input.content,
        area?.path,
      );
      return {
        categories,
        domain,
        routes: await routes(area ? await deps.places.ancestors(area.path) : [], point, confidentDomain),
        duplicates: await duplicates(`${input.title ?? ''} ${input.content}`, point, scopePath),
        needsHuman,
      };
    },
  };
}
export type TriageService = ReturnType<typeof createTriageService>;
