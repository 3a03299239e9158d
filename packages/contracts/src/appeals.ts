import { Type } from 'typebox';
import { StringEnum } from './common.ts';
import { APPEAL_STATUSES, CHANNELS, RATINGS, TRACKING_CODE_PATTERN } from './vocabulary.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const NewAppealBody = Type.Object(
  {
    channel: StringEnum(CHANNELS),
    categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    title: Type.Optional(Type.String({ maxLength: 100 })),
    content: Type.String({ minLength: 5, maxLength: 5000 }),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          address: Type.Optional(Type.String({ maxLength: 300 })),
        },
        { additionalProperties: false },
      ),
    ),
    stationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 50 })),
          phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 -]{5,20}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    anonymous: Type.Optional(Type.Boolean()),
    attachments: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9, uniqueItems: true }),
    ),
    accusedOrgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 50 }), Type.Unknown(), { maxProperties: 30 }),
    ),
  },
  { additionalProperties: false },
);

export const SubmittedReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trackingCode: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  acceptDueAt: Nullable(Type.String({ format: 'date-time' })),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
  ),
});

export const AppealIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ActionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  action: Type.String({ maxLength: 40 }),
});
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ pattern: '^(W/)?"?\\d{1,9}"?$', description: 'the appeal version you saw' }),
  ),
});

export const DetailQuery = Type.Object(
  {
    reveal: Type.Optional(Type.Literal('contact')),
    reason: Type.Optional(Type.String({ minLength: 4, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AppealListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StringEnum(APPEAL_STATUSES), { maxItems: 12 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    orgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    channel: Type.Optional(StringEnum(CHANNELS)),
    overdue: Type.Optional(Type.Boolean()),
    dueSoon: Type.Optional(Type.Boolean({ description: 'finish deadline within 24 hours' })),
    escalationLevel: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4, description: 'at least this level' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** The list's filters without paging: an export walks every page itself. */
export const AppealExportQuery = Type.Omit(AppealListQuery, ['cursor', 'limit'], {
  additionalProperties: false,
});

export const TrackParams = Type.Object({ code: Type.String({ pattern: TRACKING_CODE_PATTERN }) });

export const RatingBody = Type.Object(
  { score: StringEnum(RATINGS), comment: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

/** Loose reply shapes: the detail is large and documented by example in the README. */
export const AppealDetailReply = Type.Record(Type.String(), Type.Unknown());
export const AppealListReply = Type.Object({
  items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  next: Nullable(Type.String()),
});
