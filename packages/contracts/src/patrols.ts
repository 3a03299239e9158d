import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';
import { PATROL_KINDS } from './vocabulary.ts';

/** Start a patrol (日常 routine, 即时 ad hoc, 专项 special); the grid defaults to the walker's own. */
export const NewPatrolBody = Type.Object(
  {
    kind: StringEnum(PATROL_KINDS),
    gridId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

const Point = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    at: Type.String({ format: 'date-time', description: 'when the phone took the position' }),
    accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/** A batch of positions, as the phone collected them (sent again after being offline: idempotent per time). */
export const PatrolTrackBody = Type.Object(
  { points: Type.Array(Point, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);

export const PatrolView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(PATROL_KINDS),
  status: StringEnum(['started', 'finished'] as const),
  user: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  grid: Type.Object({ id: Type.Integer(), name: Type.String() }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  /** Metres walked: known once finished (the sum of the track's segments). */
  distanceM: Nullable(Type.Integer()),
  points: Type.Integer({ description: 'positions received' }),
  lastPosition: Nullable(
    Type.Object({ lat: Type.Number(), lng: Type.Number(), at: Type.String({ format: 'date-time' }) }),
  ),
});
export type Patrol = Static<typeof PatrolView>;

export const PatrolTrackReply = Type.Object({
  accepted: Type.Integer({ description: 'new positions stored' }),
  duplicates: Type.Integer({ description: 'positions already held (a resend)' }),
  points: Type.Integer({ description: 'positions the patrol holds now' }),
});

export const PatrolIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The wall's view of a day: each patrol of the caller's area with its track. */
export const PatrolListQuery = Type.Object(
  {
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a China-time day, YYYY-MM-DD' }),
    orgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);
const PatrolOfDayView = Type.Object({
  ...PatrolView.properties,
  track: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { description: '[lat, lng] in time order' }),
});
export type PatrolOfDay = Static<typeof PatrolOfDayView>;
export const PatrolListReply = Type.Object({ items: Type.Array(PatrolOfDayView) });

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a China-time day, YYYY-MM-DD' });
export const PatrolCoverageQuery = Type.Object({ from: Day, to: Day }, { additionalProperties: false });
export const PatrolCoverageReply = Type.Object({
  items: Type.Array(
    Type.Object({
      grid: Type.Object({ id: Type.Integer(), name: Type.String() }),
      patrols: Type.Integer({ description: 'finished patrols' }),
      distanceM: Type.Integer({ description: 'metres walked' }),
      walkers: Type.Integer({ description: 'people who walked it' }),
    }),
  ),
});
