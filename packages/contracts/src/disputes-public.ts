import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';
import { DISPUTE_ADVICE, DISPUTE_KINDS, DISPUTE_STATUSES } from './vocabulary.ts';

/*
 * A dispute case as its parties see it with the 查询码 the registration SMS gave them (resident app,
 * no login): where it stands, when to come, whether the agreement waits for their confirmation.
 * No names, phones, amounts, terms or notes: whoever holds the code may be someone a party showed
 * the SMS to.
 */

const DateTime = Type.String({ format: 'date-time' });

export const PublicDispute = Type.Object({
  caseNumber: Type.String(),
  trackingCode: Type.String(),
  kind: StringEnum(DISPUTE_KINDS),
  status: StringEnum(DISPUTE_STATUSES),
  statusLabel: Type.String(),
  orgName: Type.String({ description: 'the unit holding the case (调委会, 矛调中心)' }),
  registeredAt: DateTime,
  mediateDueAt: Nullable(DateTime),
  nextSession: Nullable(Type.Object({ startsAt: DateTime, place: Type.String(), online: Type.Boolean() })),
  agreement: Nullable(
    Type.Object({
      agreedAt: DateTime,
      effectiveAt: Nullable(DateTime),
      confirmedParties: Type.Integer({ minimum: 0 }),
      parties: Type.Integer({ minimum: 0 }),
    }),
  ),
  /** The agreement waits for a party's SMS code (人民调解法 art. 29). */
  canConfirm: Type.Boolean(),
  advice: Nullable(StringEnum(DISPUTE_ADVICE)),
  ruling: Nullable(StringEnum(['confirmed', 'rejected'] as const)),
  timeline: Type.Array(Type.Object({ at: DateTime, label: Type.String() })),
});
export type PublicDispute = Static<typeof PublicDispute>;

export const DisputeConfirmationBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'the 确认码 the party received by SMS' }) },
  { additionalProperties: false },
);
export type DisputeConfirmationBody = Static<typeof DisputeConfirmationBody>;
