import { errorReplies, PersonExport, PersonExportBody, SECURITY } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { PrivacyService } from './privacy.service.ts';

export function privacyRoutes(deps: { privacy: PrivacyService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/api/v1/people/export',
      {
        config: { permission: 'people.export' },
        schema: {
          tags: ['privacy'],
          security: SECURITY,
          summary: 'Everything held about one person (PIPL art. 45), by phone number',
          description:
            'The appeals of the caller’s subtree filed with this phone number, contact in full. ' +
            'Journaled (people.exported) with the reason; the journal keeps a hash of the number, never the number.',
          body: PersonExportBody,
          response: { 200: PersonExport, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const body = await deps.privacy.exportPerson(actorOf(request), request.body);
        return reply.header('cache-control', 'no-store').send(body);
      },
    );
  };
}
