import { errorReplies, SECURITY } from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { actorOf } from '../../platform/http/guard.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { createAuditReport, REPORT_LIST_LIMIT, REPORT_SECTIONS } from './audit.report.ts';

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

const ReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'default: 7 days before to' })),
    to: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'exclusive; default now; at most 366 days after from',
      }),
    ),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const ReportItem = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: Type.String(),
  actor: Type.Object({
    id: Nullable(Type.String()),
    username: Nullable(Type.String()),
    orgId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  result: Nullable(Type.String()),
  subject: Type.Object({ type: Nullable(Type.String()), id: Nullable(Type.String()) }),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
const ReportSection = Type.Object({
  count: Type.Integer(),
  items: Type.Array(ReportItem, { description: `the latest ${REPORT_LIST_LIMIT}` }),
  truncated: Type.Boolean(),
});
const ReportReply = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  sections: Type.Object(
    Object.fromEntries(Object.keys(REPORT_SECTIONS).map((name) => [name, ReportSection])) as Record<
      keyof typeof REPORT_SECTIONS,
      typeof ReportSection
    >,
  ),
});

/** The auditor's window on the journal. Reads only: nothing here can change a record. */
export function auditRoutes(deps: { db: Db; journal: Journal; clock: Clock }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['audit'];
    const report = createAuditReport({ db: deps.db });
    app.get(
      '/api/v1/audit/report',
      {
        config: { permission: 'audit.report' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Security report: logins, failures, lockouts, exports, personal-data views',
          description:
            'From the security journal over [from, to): exact counts and the latest events of each kind ' +
            'with actor, IP, user agent and result, for the events of the caller’s subtree.',
          querystring: ReportQuery,
          response: { 200: ReportReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => {
        const to = request.query.to ? new Date(request.query.to) : deps.clock.now();
        const from = request.query.from
          ? new Date(request.query.from)
          : new Date(to.getTime() - 7 * 86_400_000);
        return report(actorOf(request), { from, to });
      },
    );
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
