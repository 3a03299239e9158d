import { errorReplies, OutboxQuery, OutboxReply, SECURITY } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../http/guard.ts';
import type { OutboxService } from './outbox.ts';

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
