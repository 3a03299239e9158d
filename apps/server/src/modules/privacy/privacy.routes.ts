import { errorReplies, SECURITY } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/http/guard.ts';
import type { PrivacyService } from './privacy.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const PersonExportQuery = Type.Object(
  {
    phone: Type.String({ pattern: '^\\+?[0-9 -]{5,20}$', description: 'the person’s phone number' }),
    reason: Type.String({ minLength: 2, maxLength: 200, description: 'why, e.g. 本人依法申请查阅' }),
  },
  { additionalProperties: false },
);

const PersonExport = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  subject: Type.Object({ phone: Type.String() }),
  appeals: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      trackingCode: Type.String(),
      channel: Type.String(),
      status: Type.String(),
      category: Nullable(Type.String()),
      area: Type.String(),
      title: Nullable(Type.String()),
      content: Type.String(),
      location: Nullable(
        Type.Object({ lat: Type.Number(), lng: Type.Number(), address: Nullable(Type.String()) }),
      ),
      contact: Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()) }),
      rating: Nullable(Type.String()),
      ratingComment: Nullable(Type.String()),
      photoIds: Type.Array(Type.String({ format: 'uuid' })),
      submittedAt: Type.String({ format: 'date-time' }),
      closedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
});

export function privacyRoutes(deps: { privacy: PrivacyService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
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
          querystring: PersonExportQuery,
          response: { 200: PersonExport, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const body = await deps.privacy.exportPerson(actorOf(request), request.query);
        return reply.header('cache-control', 'no-store').send(body);
      },
    );
  };
}
