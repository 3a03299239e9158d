import {
  errorReplies,
  HotspotsQuery,
  HotspotsReply,
  SECURITY,
  TriageRequest,
  TriageResult,
} from '@doorstep/contracts';
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

    app.get(
      '/api/v1/hotspots',
      {
        config: { permission: 'hotspots.read' },
        schema: {
          tags: ['triage'],
          security: SECURITY,
          summary: 'Clusters of reports in space, time and topic ranked by heat, and the wage-dispute sweep',
          querystring: HotspotsQuery,
          response: { 200: HotspotsReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => deps.triage.hotspots(actorOf(request).orgPath, request.query.since),
    );
  };
}
