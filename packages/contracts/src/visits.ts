import { type Static, Type } from 'typebox';
import { NewAppealBody } from './appeals.ts';
import { Nullable, StringEnum } from './common.ts';
import { APPEAL_STATUSES, PHONE_INPUT_PATTERN } from './vocabulary.ts';

/** At this many people a visit is a 集体访: the district is told at once. */
export const GROUP_VISIT_SIZE = 5;

/**
 * A visit registered at a reception hall (一窗受理): the visitor, how many came, who filed on their
 * behalf, and the appeal typed at the desk — the same body as intake, without the channel and the
 * contact (the hall is the channel; the visitor's name and phone are the contact).
 */
export const NewVisitBody = Type.Object(
  {
    phone: Type.String({ pattern: PHONE_INPUT_PATTERN, description: 'the visitor’s mobile or landline' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    groupSize: Type.Integer({
      minimum: 1,
      maximum: 500,
      description: '5 or more: a 集体访, flagged to the district',
    }),
    /** The visitor says it is their first visit; the platform checks the phone against earlier appeals anyway. */
    firstVisit: Type.Optional(Type.Boolean()),
    /** The desk checked the visitor's ID card by hand (the number itself is not stored). */
    idChecked: Type.Optional(Type.Boolean()),
    /** A 代办员 or 信访代理员 (a staff account) files on the visitor's behalf: both are recorded. */
    proxyUserId: Type.Optional(Type.String({ format: 'uuid' })),
    appeal: Type.Omit(NewAppealBody, ['channel', 'contact', 'anonymous', 'privacyConsent']),
  },
  { additionalProperties: false },
);
export type NewVisit = Static<typeof NewVisitBody>;

const EarlierAppeal = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trackingCode: Type.String({ description: 'masked, as staff see codes' }),
  title: Type.String(),
  status: StringEnum(APPEAL_STATUSES),
  statusLabel: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
});

export const VisitCreatedReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  appealId: Type.String({ format: 'uuid' }),
  /** In full, once: for the receipt the visitor takes home. */
  trackingCode: Type.String(),
  /** 重访: the phone has earlier appeals (in the desk's area), whatever the visitor said. */
  repeatVisit: Type.Boolean(),
  previousAppeals: Type.Array(EarlierAppeal),
  /** 集体访: groupSize ≥ 5, flagged to the district. */
  groupVisit: Type.Boolean(),
  acceptDueAt: Nullable(Type.String({ format: 'date-time' })),
});
export type VisitCreated = Static<typeof VisitCreatedReply>;

/** Before typing the appeal: has this phone been here before? (POST: no number in a URL or a log.) */
export const VisitLookupBody = Type.Object(
  { phone: Type.String({ pattern: PHONE_INPUT_PATTERN }) },
  { additionalProperties: false },
);
export const VisitLookupReply = Type.Object({
  repeatVisit: Type.Boolean(),
  previousAppeals: Type.Array(EarlierAppeal),
});
export type VisitLookup = Static<typeof VisitLookupReply>;

export const VisitIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** A number of the hall's walk-in queue (叫号). */
export const HallTicket = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer(),
  label: Type.String({ description: 'as the ticket and the screen show it, A007' }),
  status: StringEnum(['waiting', 'called', 'done'] as const),
  window: Nullable(Type.String()),
  takenAt: Type.String({ format: 'date-time' }),
  calledAt: Nullable(Type.String({ format: 'date-time' })),
});
export type HallTicket = Static<typeof HallTicket>;
export const TakenTicketReply = Type.Object({
  ...HallTicket.properties,
  waitingAhead: Type.Integer({ description: 'numbers before this one still waiting' }),
});
export const CallNextBody = Type.Object(
  { window: Type.String({ minLength: 1, maxLength: 20, description: 'the window called to, e.g. 1号窗口' }) },
  { additionalProperties: false },
);
export const HallBoardReply = Type.Object({
  hall: Type.String(),
  calling: Type.Array(HallTicket, { description: 'the latest numbers called, newest first' }),
  waiting: Type.Integer(),
  served: Type.Integer({ description: 'called today' }),
  averageWaitMinutes: Nullable(Type.Number({ description: 'from taking the number to being called, today' })),
});
export type HallBoard = Static<typeof HallBoardReply>;
