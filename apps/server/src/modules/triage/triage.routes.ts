import { errorReplies, SECURITY, TriageRequest, TriageResult } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { TriageService } from './triage.service.ts';

export function triageRoutes(deps: { triage: TriageService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/api/v1/triage',
      {
        config: { permission: 'triage.use' },
        schema: {
          tags: ['triage'],
          security: SECURITY,
          summary: 'Domain, units and possible duplicates for a text and a place (before it is an appeal)',
          body: TriageRequest,
          response: { 200: TriageResult, ...errorReplies(400, 401, 403) },
        },
      },
      // Duplicates are offered from the caller's own subtree only.
      async (request) => deps.triage.assess(request.body, actorOf(request).orgPath),
    );
  };
}
