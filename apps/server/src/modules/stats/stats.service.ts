import { APPEAL_STATUSES, CHANNELS, FIGURE_NAMES } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaDateOf, chinaMidnightOf } from '../../platform/calendar/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { errors } from '../../platform/errors.ts';
import {
  ACTIVITY_LOOKBACK_DAYS,
  DEFAULT_RANGE_DAYS,
  type FigureName,
  MAX_RANGE_DAYS,
  RATES,
  type RateName,
  share,
  TOP_CATEGORIES,
} from './stats.definitions.ts';
import { createStatsRepository, type StatsRow } from './stats.repository.ts';

/** What the stats module needs from the org tree. */
export interface StatsOrgs {
  /** The unit, if it lies inside the subtree `scopePath` (the caller's own unit included). */
  findInScope(
    id: number,
    scopePath: string,
  ): Promise<{ id: number; name: string; level: string; path: string } | undefined>;
}

export interface StatsQuery {
  orgId?: number;
  /** China dates, 'YYYY-MM-DD', both inclusive. */
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;

/** The instant a China date begins; a 400 for anything that is not a real 'YYYY-MM-DD' date. */
function chinaMidnight(date: string, field: string): Date {
  try {
    return chinaMidnightOf(date);
  } catch {
    throw errors.validation(`${field} must be a date as YYYY-MM-DD`, { field, value: date });
  }
}

function pickFigures<const N extends readonly FigureName[]>(row: StatsRow | undefined, names: N) {
  return Object.fromEntries(names.map((name) => [name, row?.[name] ?? 0])) as Record<N[number], number>;
}

/** Zero for every key nobody counted, so each status and channel appears in the breakdowns. */
function countsOf<const K extends readonly string[]>(keys: K, counted: Map<string | null, number>) {
  return Object.fromEntries(keys.map((key) => [key, counted.get(key) ?? 0])) as Record<K[number], number>;
}

/** The figures the reply reports (the contract's list) and those of each day of the range. */
const REPORTED = FIGURE_NAMES;
const DAILY = ['received', 'accepted', 'resolved', 'onTime', 'overdue'] as const satisfies FigureName[];

export function createStatsService(deps: { db: Db; clock: Clock; orgs: StatsOrgs }) {
  const { db, clock } = deps;
  const repo = createStatsRepository(db);

  /** The range asked for, defaulting to the last 30 China days up to today. */
  function rangeOf(query: StatsQuery, now: Date) {
    const today = chinaDateOf(now);
    const toStart = chinaMidnight(query.to ?? today, 'to');
    const fromStart = query.from
      ? chinaMidnight(query.from, 'from')
      : new Date(toStart.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
    const days = Math.round((toStart.getTime() - fromStart.getTime()) / DAY_MS) + 1;
    if (days < 1) throw errors.validation('from must not be after to', { from: query.from, to: query.to });
    if (days > MAX_RANGE_DAYS) {
      throw errors.validation(`a range may span at most ${MAX_RANGE_DAYS} days`, { days });
    }
    return { from: fromStart, until: new Date(toStart.getTime() + DAY_MS), days };
  }

  return {
    /** Figures, the three rates and breakdowns for the caller's subtree, or one unit inside it. */
    async figures(actor: Actor, query: StatsQuery) {
      const now = clock.now();
      const range = rangeOf(query, now);
      let scope = { id: actor.orgId, name: actor.orgName, level: actor.orgLevel, path: actor.orgPath };
      if (query.orgId !== undefined) {
        const org = await deps.orgs.findInScope(query.orgId, actor.orgPath);
        // Outside the caller's subtree is the same answer as not existing: nothing leaks.
        if (!org) throw errors.notFound('the org unit', { id: query.orgId });
        scope = org;
      }
      const rows = await repo.figures({ scopePath: scope.path, from: range.from, to: range.until, now });
      const activity = await repo.activity({
        scopePath: scope.path,
        from: range.from,
        to: range.until,
        since: new Date(range.from.getTime() - ACTIVITY_LOOKBACK_DAYS * DAY_MS),
      });
      const of = (dimension: StatsRow['dimension']) => rows.filter((row) => row.dimension === dimension);
      const total = of('total')[0];

      const counted = (dimension: 'status' | 'channel') =>
        new Map(of(dimension).map((row) => [row.key, row.received]));
      const statuses = counted('status');
      const channels = counted('channel');

      const categoryRows = of('category')
        .filter((row) => row.key !== null)
        .sort((a, b) => b.received - a.received || Number(a.key) - Number(b.key))
        .slice(0, TOP_CATEGORIES);
      const names = new Map(
        (await repo.categoryNames(categoryRows.map((row) => Number(row.key)))).map((c) => [c.id, c]),
      );

      const byDay = new Map(of('day').map((row) => [Number(row.key), row]));
      const today = chinaDateOf(now);
      const daily = Array.from({ length: range.days }, (_, offset) => {
        const date = chinaDateOf(new Date(range.from.getTime() + offset * DAY_MS));
        // Today's appeals are still arriving: a chart marks the point as incomplete.
        return { date, complete: date < today, ...pickFigures(byDay.get(offset), DAILY) };
      });

      const rates = {} as Record<RateName, number | null>;
      const rateBasis = {} as Record<RateName, { numerator: number; denominator: number }>;
      for (const [name, rate] of Object.entries(RATES) as [RateName, (typeof RATES)[RateName]][]) {
        const numerator = total?.[rate.numerator] ?? 0;
        const denominator = total?.[rate.denominator] ?? 0;
        rates[name] = share(numerator, denominator);
        rateBasis[name] = { numerator, denominator };
      }

      return {
        scope: { orgId: scope.id, orgName: scope.name, orgLevel: scope.level },
        range: {
          from: chinaDateOf(range.from),
          to: chinaDateOf(new Date(range.until.getTime() - DAY_MS)),
          days: range.days,
          timeZone: 'Asia/Shanghai' as const,
        },
        asOf: now.toISOString(),
        figures: pickFigures(total, REPORTED),
        rates,
        rateBasis,
        activity: {
          accepted: activity?.accepted ?? 0,
          dispatched: activity?.dispatched ?? 0,
          resolved: activity?.resolved ?? 0,
        },
        byStatus: countsOf(APPEAL_STATUSES, statuses),
        byChannel: countsOf(CHANNELS, channels),
        topCategories: categoryRows.map((row) => {
          const category = names.get(Number(row.key));
          return {
            id: Number(row.key),
            code: category?.code ?? '',
            name: category?.name ?? '',
            count: row.received,
          };
        }),
        uncategorized: of('category').find((row) => row.key === null)?.received ?? 0,
        daily,
      };
    },
  };
}
export type StatsService = ReturnType<typeof createStatsService>;
