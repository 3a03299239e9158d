import { type Static, type TInteger, Type } from 'typebox';
import { APPEAL_STATUSES, CHANNELS } from './vocabulary.ts';

const ChinaDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description, examples: ['2026-10-09'] });

export const StatsQuery = Type.Object(
  {
    orgId: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2_147_483_647,
        description: 'a unit inside the caller’s subtree; the caller’s own unit when absent',
      }),
    ),
    from: Type.Optional(ChinaDate('first China date (Asia/Shanghai), inclusive; default 29 days before to')),
    to: Type.Optional(ChinaDate('last China date (Asia/Shanghai), inclusive; default today')),
  },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'between 0 and 1; null when nothing was there to count',
});
/** An object with one count per key, its keys kept in the type. */
const Counts = <const K extends readonly string[]>(keys: K) =>
  Type.Object(Object.fromEntries(keys.map((key) => [key, Count])) as { [P in K[number]]: TInteger });

/** The figures of a cohort, defined (SQL and wording) in the server's stats.definitions.ts. */
export const FIGURE_NAMES = [
  'received',
  'accepted',
  'rejected',
  'resolved',
  'closed',
  'onTime',
  'overdue',
  'merged',
  'reopened',
  'rated',
  'satisfied',
] as const;
export const RATE_NAMES = ['response', 'resolution', 'satisfaction'] as const;
const Figures = Counts(FIGURE_NAMES);
const RateNames = RATE_NAMES;

const RateBasis = Type.Object({ numerator: Count, denominator: Count });

export const StatsReply = Type.Object({
  scope: Type.Object({ orgId: Type.Integer(), orgName: Type.String(), orgLevel: Type.String() }),
  range: Type.Object({
    from: Type.String(),
    to: Type.String(),
    days: Type.Integer(),
    timeZone: Type.Literal('Asia/Shanghai'),
  }),
  asOf: Type.String({ format: 'date-time' }),
  figures: Figures,
  rates: Type.Object(
    Object.fromEntries(RateNames.map((name) => [name, Share])) as Record<StatsRate, typeof Share>,
  ),
  rateBasis: Type.Object(
    Object.fromEntries(RateNames.map((name) => [name, RateBasis])) as Record<StatsRate, typeof RateBasis>,
  ),
  activity: Type.Object(
    { accepted: Count, dispatched: Count, resolved: Count },
    {
      description:
        'steps taken in the range whatever day the appeal was received (今日受理 = accepted today): the latest dispatch, the latest resolution while still resolved',
    },
  ),
  byStatus: Counts(APPEAL_STATUSES),
  byChannel: Counts(CHANNELS),
  topCategories: Type.Array(
    Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), count: Count }),
    { maxItems: 10, description: 'the ten most frequent categories, most frequent first' },
  ),
  uncategorized: Count,
  daily: Type.Array(
    Type.Object({
      date: Type.String(),
      /** False for today (and later): its appeals are still arriving. */
      complete: Type.Boolean(),
      received: Count,
      accepted: Count,
      resolved: Count,
      onTime: Count,
      overdue: Count,
    }),
    { description: 'one entry per China date of the range, for the appeals received that day' },
  ),
});

export type Stats = Static<typeof StatsReply>;
export type StatsFigure = (typeof FIGURE_NAMES)[number];
export type StatsRate = (typeof RATE_NAMES)[number];
