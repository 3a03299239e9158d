import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';
import {
  CREDIT_CODE_PATTERN,
  DISPUTE_ADVICE,
  DISPUTE_KINDS,
  DISPUTE_STATUSES,
  ID_NUMBER_PATTERN,
  PARTY_KINDS,
  PARTY_ROLES,
  PHONE_INPUT_PATTERN,
} from './vocabulary.ts';

/*
 * Dispute cases (矛盾纠纷调解, modules/mediation): registration, the actions of the case machine,
 * and what staff and integrations read back.
 */

const DateTime = Type.String({ format: 'date-time' });
const DateOnly = Type.String({ format: 'date', description: 'a China calendar date, YYYY-MM-DD' });
const Uuid = Type.String({ format: 'uuid' });
const OrgId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Reason = Type.String({ minLength: 1, maxLength: 2000 });
/** CNY with cents; a case above a billion yuan is not a community's to mediate. */
const Amount = Type.Number({ minimum: 0, maximum: 1_000_000_000, multipleOf: 0.01 });
const PositiveAmount = Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000, multipleOf: 0.01 });
const Empty = Type.Object({}, { additionalProperties: false });

export const NewParty = Type.Object(
  {
    role: StringEnum(PARTY_ROLES),
    kind: StringEnum(PARTY_KINDS),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    phone: Type.Optional(Type.String({ pattern: PHONE_INPUT_PATTERN })),
    idNumber: Type.Optional(Type.String({ pattern: ID_NUMBER_PATTERN, description: 'a person’s ID number' })),
    creditCode: Type.Optional(
      Type.String({ pattern: CREDIT_CODE_PATTERN, description: 'an organisation’s 统一社会信用代码' }),
    ),
  },
  { additionalProperties: false },
);
export type NewParty = Static<typeof NewParty>;

export const NewDisputeBody = Type.Object(
  {
    kind: StringEnum(DISPUTE_KINDS),
    summary: Type.String({ minLength: 4, maxLength: 4000 }),
    parties: Type.Array(NewParty, { minItems: 2, maxItems: 50 }),
    amountClaimed: Type.Optional(Amount),
    peopleInvolved: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    orgId: Type.Optional(OrgId),
    appealId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type NewDispute = Static<typeof NewDisputeBody>;

/** What referring an appeal to mediation adds to what the appeal already says. */
export const ReferToMediationBody = Type.Object(
  {
    kind: StringEnum(DISPUTE_KINDS),
    parties: Type.Array(NewParty, { minItems: 2, maxItems: 50 }),
    amountClaimed: Type.Optional(Amount),
    peopleInvolved: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type ReferToMediation = Static<typeof ReferToMediationBody>;

export const DisputeCreatedReply = Type.Object({
  id: Uuid,
  caseNumber: Type.String(),
  status: StringEnum(DISPUTE_STATUSES),
  tier: Type.Integer({ minimum: 1, maximum: 3 }),
});

/** The body each action of the case machine takes; validated in the service too (CLI, jobs). */
export const DISPUTE_ACTION_BODIES = {
  accept: Empty,
  assign: Type.Object({ mediatorId: Uuid }, { additionalProperties: false }),
  'schedule-session': Type.Object(
    {
      startsAt: DateTime,
      place: Type.String({ minLength: 1, maxLength: 200 }),
      online: Type.Boolean(),
      roomId: Type.Optional(Type.Integer({ minimum: 1 })),
      participants: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
      ),
    },
    { additionalProperties: false },
  ),
  'record-session': Type.Object(
    {
      sessionId: Uuid,
      outcome: StringEnum(['continue', 'agreed', 'failed'] as const),
      notes: Type.String({ maxLength: 8000 }),
      attendance: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    },
    { additionalProperties: false },
  ),
  escalate: Type.Object({ reason: Reason }, { additionalProperties: false }),
  whistle: Type.Object(
    { reason: Reason, summonOrgIds: Type.Array(OrgId, { minItems: 1, maxItems: 10, uniqueItems: true }) },
    { additionalProperties: false },
  ),
  'report-in': Type.Object(
    {
      note: Type.Optional(Type.String({ maxLength: 2000 })),
      partyId: Type.Optional(
        Type.String({ format: 'uuid', description: 'a party who came (the mediator records it)' }),
      ),
    },
    { additionalProperties: false },
  ),
  agree: Type.Object(
    {
      terms: Type.String({ minLength: 4, maxLength: 20_000 }),
      payments: Type.Array(Type.Object({ amount: PositiveAmount, dueDate: DateOnly }), { maxItems: 60 }),
    },
    { additionalProperties: false },
  ),
  'confirm-agreement': Type.Object(
    {
      partyId: Uuid,
      code: Type.Optional(
        Type.String({ pattern: '^[0-9]{6}$', description: 'the SMS code the party received' }),
      ),
      signatureUploadId: Type.Optional(
        Type.String({ format: 'uuid', description: 'a signature captured on the hall’s tablet' }),
      ),
    },
    { additionalProperties: false },
  ),
  'request-confirmation': Empty,
  'record-ruling': Type.Object(
    {
      ruling: StringEnum(['confirmed', 'rejected'] as const),
      rulingNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
      reason: Type.Optional(Reason),
      documentUploadId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
  'record-payment': Type.Object(
    { amount: PositiveAmount, paidAt: DateTime, paymentId: Type.Optional(Uuid) },
    { additionalProperties: false },
  ),
  fail: Type.Object({ reason: Reason, advice: StringEnum(DISPUTE_ADVICE) }, { additionalProperties: false }),
  extend: Type.Object(
    { days: Type.Integer({ minimum: 1, maximum: 30 }), reason: Reason },
    { additionalProperties: false },
  ),
  note: Type.Object({ text: Reason }, { additionalProperties: false }),
  close: Empty,
} as const;

export type DisputeActionBodies = {
  [K in keyof typeof DISPUTE_ACTION_BODIES]: Static<(typeof DISPUTE_ACTION_BODIES)[K]>;
};
export type DisputeActionName = keyof typeof DISPUTE_ACTION_BODIES;
/** Every action of the case machine, in the order of the workflow. */
export const DISPUTE_ACTION_NAMES = Object.keys(DISPUTE_ACTION_BODIES) as DisputeActionName[];

export const DisputeIdParams = Type.Object({ id: Uuid });

export const DisputeListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StringEnum(DISPUTE_STATUSES), { maxItems: 10 })),
    kind: Type.Optional(StringEnum(DISPUTE_KINDS)),
    orgId: Type.Optional(OrgId),
    mine: Type.Optional(Type.Boolean({ description: 'only the cases the caller mediates' })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type DisputeListQuery = Static<typeof DisputeListQuery>;

export const PartyView = Type.Object({
  id: Uuid,
  role: StringEnum(PARTY_ROLES),
  kind: StringEnum(PARTY_KINDS),
  name: Type.String({ description: 'masked (张**) unless revealed; 〔已隐去〕 for the accused unit' }),
  phone: Nullable(Type.String()),
  idNumber: Nullable(Type.String()),
  creditCode: Nullable(Type.String()),
  confirmedAt: Nullable(DateTime),
  confirmedBy: Nullable(StringEnum(['code', 'signature'] as const)),
  reportedInAt: Nullable(DateTime),
});
export type PartyView = Static<typeof PartyView>;

export const SessionView = Type.Object({
  id: Uuid,
  startsAt: DateTime,
  place: Type.String(),
  online: Type.Boolean(),
  roomId: Nullable(Type.Integer()),
  participants: Type.Array(Type.String()),
  outcome: Nullable(StringEnum(['continue', 'agreed', 'failed'] as const)),
  attendance: Type.Array(Type.String()),
  notes: Nullable(Type.String({ description: 'the mediation staff only' })),
  recordedAt: Nullable(DateTime),
});
export type SessionView = Static<typeof SessionView>;

export const PaymentView = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  amount: Type.Number(),
  dueDate: Type.String(),
  paidAmount: Type.Number(),
  paidAt: Nullable(DateTime),
  overdue: Type.Boolean(),
});
export type PaymentView = Static<typeof PaymentView>;

export const DisputeSummary = Type.Object({
  id: Uuid,
  caseNumber: Type.String(),
  kind: StringEnum(DISPUTE_KINDS),
  summary: Type.String(),
  status: StringEnum(DISPUTE_STATUSES),
  statusLabel: Type.String(),
  tier: Type.Integer(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  mediatorId: Nullable(Uuid),
  mediatorName: Nullable(Type.String()),
  amountClaimed: Nullable(Type.Number()),
  peopleInvolved: Nullable(Type.Integer()),
  acceptDueAt: Nullable(DateTime),
  mediateDueAt: Nullable(DateTime),
  overdue: Type.Boolean(),
  registeredAt: DateTime,
  updatedAt: DateTime,
  version: Type.Integer(),
});
export type DisputeSummary = Static<typeof DisputeSummary>;

export const DisputeDetail = Type.Object({
  ...DisputeSummary.properties,
  appealId: Nullable(Uuid),
  escalationLevel: Type.Integer(),
  parties: Type.Array(PartyView),
  sessions: Type.Array(SessionView),
  agreement: Nullable(
    Type.Object({
      terms: Type.String(),
      totalAmount: Type.Number(),
      paidAmount: Type.Number(),
      agreedAt: DateTime,
      effectiveAt: Nullable(DateTime),
      payments: Type.Array(PaymentView),
    }),
  ),
  court: Nullable(
    Type.Object({
      reference: Type.String(),
      requestedAt: DateTime,
      ruling: Nullable(StringEnum(['confirmed', 'rejected'] as const)),
      rulingNumber: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      ruledAt: Nullable(DateTime),
    }),
  ),
  failure: Nullable(Type.Object({ reason: Type.String(), advice: StringEnum(DISPUTE_ADVICE) })),
  notices: Type.Array(
    Type.Object({
      id: Uuid,
      number: Type.String(),
      level: Type.Integer(),
      reason: Type.String(),
      issuedAt: DateTime,
      reportDueAt: DateTime,
      summons: Type.Array(
        Type.Object({ orgId: Type.Integer(), orgName: Type.String(), reportedAt: Nullable(DateTime) }),
      ),
    }),
  ),
  timeline: Type.Array(
    Type.Object({
      at: DateTime,
      action: Type.String(),
      actorId: Nullable(Type.String()),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  availableActions: Type.Array(StringEnum(DISPUTE_ACTION_NAMES)),
});
export type DisputeDetail = Static<typeof DisputeDetail>;

export const DisputeListReply = Type.Object({
  items: Type.Array(DisputeSummary),
  next: Nullable(Type.String()),
});
export type DisputeListReply = Static<typeof DisputeListReply>;

export const DisputeActionParams = Type.Object({ id: Uuid, action: Type.String({ maxLength: 40 }) });

/** The mediation figures (化解率 …) of an area and period. */
export const DisputeStatsQuery = Type.Object(
  {
    from: Type.Optional(DateOnly),
    to: Type.Optional(DateOnly),
    orgId: Type.Optional(OrgId),
  },
  { additionalProperties: false },
);
export const DisputeStatsReply = Type.Object({
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  received: Type.Integer(),
  resolved: Type.Integer({ description: '化解: an agreement was reached' }),
  failed: Type.Integer(),
  open: Type.Integer(),
  resolutionRate: Nullable(Type.Number({ description: '化解率: resolved / (resolved + failed)' })),
  amountAgreed: Type.Number(),
  amountPaid: Type.Number(),
  peopleInvolved: Type.Integer(),
  confirmations: Type.Object({
    requested: Type.Integer(),
    confirmed: Type.Integer(),
    rejected: Type.Integer(),
  }),
  byUnit: Type.Array(
    Type.Object({
      orgId: Type.Integer(),
      orgName: Type.String(),
      received: Type.Integer(),
      resolved: Type.Integer(),
      failed: Type.Integer(),
    }),
  ),
});
export type DisputeStats = Static<typeof DisputeStatsReply>;

/** The register of mediators (人民调解员名册): who may be given a case, where and in what. */
export const MediatorView = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  kind: StringEnum(['mediator', 'peacemaker', 'legal_adviser'] as const),
  speciality: Nullable(Type.String()),
  certificateNumber: Nullable(Type.String()),
});
export type MediatorView = Static<typeof MediatorView>;
export const MediatorListReply = Type.Object({ items: Type.Array(MediatorView) });

/** The sessions calendar (调解日程): sessions of the cases one reaches, in a period of days. */
export const SessionCalendarQuery = Type.Object(
  {
    from: DateOnly,
    to: Type.String({ format: 'date', description: 'the last day included; at most 62 days after `from`' }),
    mine: Type.Optional(Type.Boolean({ description: 'only the cases the caller mediates' })),
  },
  { additionalProperties: false },
);
export type SessionCalendarQuery = Static<typeof SessionCalendarQuery>;
export const CalendarSession = Type.Object({
  id: Uuid,
  disputeId: Uuid,
  caseNumber: Type.String(),
  kind: StringEnum(DISPUTE_KINDS),
  status: StringEnum(DISPUTE_STATUSES),
  startsAt: DateTime,
  place: Type.String(),
  online: Type.Boolean(),
  roomId: Nullable(Type.Integer()),
  roomName: Nullable(Type.String()),
  outcome: Nullable(StringEnum(['continue', 'agreed', 'failed'] as const)),
  recorded: Type.Boolean(),
  mediatorName: Nullable(Type.String()),
});
export type CalendarSession = Static<typeof CalendarSession>;
export const SessionCalendarReply = Type.Object({ items: Type.Array(CalendarSession) });
export type SessionCalendarReply = Static<typeof SessionCalendarReply>;
