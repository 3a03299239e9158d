import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

/*
 * Triage (modules/triage): what the platform suggests for a text and a place before anyone reads
 * it — the domain (the 7 first-level labels the shipped model knows), the units that could handle
 * it with the reason for each, and open appeals it may repeat.
 */

export const TriageRequest = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    content: Type.String({ minLength: 1, maxLength: 5000 }),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
        },
        { additionalProperties: false },
      ),
    ),
    stationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type TriageRequest = Static<typeof TriageRequest>;

const Confidence = Type.Number({ minimum: 0, maximum: 1 });

export const TriageRoute = Type.Object({
  orgId: Type.Integer(),
  name: Type.String(),
  level: Type.String(),
  /** Why it is offered, in the dispatcher's words: 所在网格, 事项主管部门, 距离 320 米. */
  reason: Type.String(),
});
export type TriageRoute = Static<typeof TriageRoute>;

export const DuplicateSuggestion = Type.Object({
  id: Type.String({ format: 'uuid' }),
  /** Masked: a staff view of a tracking code. */
  trackingCode: Type.String(),
  title: Type.String(),
  status: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  similarity: Confidence,
  distanceM: Type.Integer({ minimum: 0 }),
});
export type DuplicateSuggestion = Static<typeof DuplicateSuggestion>;

export const TriageResult = Type.Object({
  /** Item-level categories, top 3; empty until the district's own model has been trained. */
  categories: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), confidence: Confidence })),
  domain: Nullable(Type.Object({ label: Type.String(), confidence: Confidence })),
  routes: Type.Array(TriageRoute),
  duplicates: Type.Array(DuplicateSuggestion),
  /** Below DOORSTEP_TRIAGE_THRESHOLD: a person decides. */
  needsHuman: Type.Boolean(),
});
export type TriageResult = Static<typeof TriageResult>;

/** What the intake's triage left on an appeal, for its dispatchers (the appeal detail's `triage`). */
export const AppealTriage = Type.Object({
  domain: Nullable(Type.Object({ label: Type.String(), confidence: Confidence })),
  /** The district's item model's top three at intake; empty before the district has one. */
  categories: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), confidence: Confidence })),
  needsHuman: Type.Boolean(),
  /** Still open and within the viewer's scope, read when the detail is. */
  duplicates: Type.Array(DuplicateSuggestion),
});
export type AppealTriage = Static<typeof AppealTriage>;

/** Hotspots and early warning: where matters cluster now, and employers named again and again. */
export const HotspotsQuery = Type.Object(
  {
    since: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'start of the window; default 7 days ago, at most 90',
      }),
    ),
  },
  { additionalProperties: false },
);
export type HotspotsQuery = Static<typeof HotspotsQuery>;

export const Hotspot = Type.Object({
  /** The cell and topic: stable between calls, for the screen to follow a cluster. */
  key: Type.String(),
  topic: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  count: Type.Integer(),
  /** Distinct reporters (by phone); anonymous reports count once each. */
  reporters: Type.Integer(),
  /** Reports in the window of the same length just before. */
  previous: Type.Integer(),
  growth: Type.Number({ description: '(count − previous) / max(previous, 1)' }),
  heat: Type.Number(),
  appeals: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String() })),
});
export type Hotspot = Static<typeof Hotspot>;

export const EmployerFlag = Type.Object({
  employer: Type.String({ description: 'a name before a company suffix, or a unified social credit code' }),
  appeals: Type.Integer(),
  appealIds: Type.Array(Type.String({ format: 'uuid' })),
  lastAt: Type.String({ format: 'date-time' }),
});
export type EmployerFlag = Static<typeof EmployerFlag>;

export const HotspotsReply = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  hotspots: Type.Array(Hotspot),
  /** Employers named in 3 or more wage appeals within 30 days (the wage-dispute sweep). */
  employers: Type.Array(EmployerFlag),
});
export type HotspotsReply = Static<typeof HotspotsReply>;
