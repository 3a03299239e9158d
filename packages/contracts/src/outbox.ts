import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

export const OutboxQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(OUTBOX_STATUSES)),
    appealId: Type.Optional(Type.String({ format: 'uuid' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const OutboxReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      appealId: Nullable(Type.String({ format: 'uuid' })),
      disputeId: Nullable(Type.String({ format: 'uuid' })),
      channel: StringEnum(['sms', 'wechat'] as const),
      recipient: Type.String({ description: 'masked, e.g. 138****1234; the full number is never shown' }),
      template: Type.String(),
      body: Type.String({ description: 'the text sent, with tracking codes masked' }),
      status: StringEnum(OUTBOX_STATUSES),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      createdAt: Type.String({ format: 'date-time' }),
      sentAt: Nullable(Type.String({ format: 'date-time' })),
      failedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  next: Nullable(Type.String()),
});
export type OutboxPage = Static<typeof OutboxReply>;
