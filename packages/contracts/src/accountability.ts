import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';

export const ACCOUNTABILITY_STATUSES = ['open', 'confirmed', 'waived'] as const;

/** 问责: a unit's (and its named worker's) overdue or repeatedly returned work, for a leader to decide. */
export const AccountabilityItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: StringEnum(['overdue', 'returned'] as const, { description: 'overdue 超期, returned 多次退单' }),
  appeal: Type.Object({
    id: Type.String({ format: 'uuid' }),
    trackingCode: Type.String({ description: 'masked' }),
    title: Type.String(),
  }),
  unit: Type.Object({ id: Type.Integer(), name: Type.String() }),
  person: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
  /** How late, in hours: to the resolution, or to now while still open (overdue records). */
  hoursLate: Nullable(Type.Number()),
  returnCount: Nullable(Type.Integer()),
  supervised: Type.Boolean({ description: 'under 督办 when it was recorded' }),
  reminderCount: Type.Integer({ description: '催办 received by then' }),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  status: StringEnum(ACCOUNTABILITY_STATUSES),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Accountability = Static<typeof AccountabilityItem>;

export const AccountabilityListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(ACCOUNTABILITY_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export const AccountabilityListReply = Type.Object({ items: Type.Array(AccountabilityItem) });

export const AccountabilityDecisionBody = Type.Object(
  {
    decision: StringEnum(['confirm', 'waive'] as const),
    reason: Type.String({ minLength: 2, maxLength: 2000, description: 'why: the leader’s words, kept' }),
  },
  { additionalProperties: false },
);
export const AccountabilityIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
