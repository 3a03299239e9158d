import { errorReplies, SECURITY, StringEnum } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../http/guard.ts';
import type { OutboxService } from './outbox.ts';

const STATUSES = ['pending', 'sent', 'failed'] as const;

const OutboxQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(STATUSES)),
    appealId: Type.Optional(Type.String({ format: 'uuid' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const OutboxReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      appealId: Type.String({ format: 'uuid' }),
      channel: StringEnum(['sms', 'wechat'] as const),
      recipient: Type.String({ description: 'masked, e.g. 138****1234; the full number is never shown' }),
      template: Type.String(),
      body: Type.String({ description: 'the text sent, with tracking codes masked' }),
      status: StringEnum(STATUSES),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      createdAt: Type.String({ format: 'date-time' }),
      sentAt: Nullable(Type.String({ format: 'date-time' })),
      failedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  next: Nullable(Type.String()),
});

export function outboxRoutes(deps: { outbox: OutboxService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/api/v1/outbox',
      {
        config: { permission: 'outbox.read' },
        schema: {
          tags: ['outbox'],
          security: SECURITY,
          summary: 'Messages to residents (SMS, WeChat), newest first, with their delivery state',
          querystring: OutboxQuery,
          response: { 200: OutboxReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.outbox.list(actorOf(request), request.query);
      },
    );
  };
}
