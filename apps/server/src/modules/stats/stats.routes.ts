import { errorReplies, SECURITY, StatsQuery, StatsReply } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import { describeFigures } from './stats.definitions.ts';
import type { StatsService } from './stats.service.ts';

export function statsRoutes(deps: { stats: StatsService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/v1/stats',
      {
        config: { permission: 'stats.read' },
        schema: {
          tags: ['stats'],
          security: SECURITY,
          summary: 'Basic figures and the three rates (三率) of the appeals received in a range',
          description:
            'Every figure describes the appeals submitted in the range (China dates, at most 366 days; ' +
            'default the last 30), in their state now, within the caller’s subtree or the given unit of ' +
            `it — its area and the work assigned to it.\n\n${describeFigures()}`,
          querystring: StatsQuery,
          response: { 200: StatsReply, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.stats.figures(actorOf(request), request.query);
      },
    );
  };
}
