import {
  AccountabilityDecisionBody,
  AccountabilityIdParams,
  AccountabilityItem,
  AccountabilityListQuery,
  AccountabilityListReply,
  errorReplies,
  SECURITY,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { AccountabilityService } from './accountability.service.ts';

export function accountabilityRoutes(deps: { accountability: AccountabilityService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['accountability'];

    app.get(
      '/api/v1/accountability',
      {
        config: { permission: 'accountability.read' },
        schema: {
          tags,
          security: SECURITY,
          summary: '问责 records of the units in the caller’s area, newest first',
          querystring: AccountabilityListQuery,
          response: { 200: AccountabilityListReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) =>
        deps.accountability.list(actorOf(request), request.query.status, request.query.limit),
    );

    app.post(
      '/api/v1/accountability/:id/decision',
      {
        config: { permission: 'accountability.decide' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Confirm or waive a 问责 record, with a reason (once: 409 after)',
          params: AccountabilityIdParams,
          body: AccountabilityDecisionBody,
          response: { 200: AccountabilityItem, ...errorReplies(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        deps.accountability.decide(
          actorOf(request),
          request.params.id,
          request.body.decision,
          request.body.reason,
        ),
    );
  };
}
