import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../db/db.ts';
import { errorReplies, SECURITY } from '../../platform/http/schemas.ts';
import type { Journal } from '../../platform/journal/index.ts';

const VerifyReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('broken')]),
  entries: Type.Integer(),
  streams: Type.Integer(),
  brokenCount: Type.Optional(Type.Integer()),
  firstBroken: Type.Optional(
    Type.Object({ id: Type.Integer(), stream: Type.String(), seq: Type.Integer(), reason: Type.String() }),
  ),
});

const EntryQuery = Type.Object(
  {
    stream: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'cursor: entries with a smaller id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

const Entry = Type.Object({
  id: Type.Integer(),
  stream: Type.String(),
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorOrgId: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.String(),
  subjectType: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

/** The auditor's window on the journal. Reads only: nothing here can change a record. */
export function auditRoutes(deps: { db: Db; journal: Journal }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['audit'];
    app.get(
      '/api/v1/audit/verify',
      {
        config: { permission: 'audit.verify' },
        schema: { tags, security: SECURITY, response: { 200: VerifyReply, ...errorReplies(401, 403) } },
      },
      async () => deps.journal.verify(deps.db),
    );
    app.get(
      '/api/v1/audit/entries',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags,
          security: SECURITY,
          querystring: EntryQuery,
          response: {
            200: Type.Object({ items: Type.Array(Entry), next: Type.Union([Type.Integer(), Type.Null()]) }),
            ...errorReplies(400, 401, 403),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 100;
        const rows = await deps.journal.list(deps.db, {
          stream: q.stream,
          action: q.action,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          beforeId: q.before,
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        return {
          items: page.map((row) => ({ ...row, at: new Date(row.at).toISOString() })),
          next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
        };
      },
    );
  };
}
