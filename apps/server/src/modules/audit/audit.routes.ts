import {
  EntryListReply,
  EntryQuery,
  errorReplies,
  ReportQuery,
  ReportReply,
  SECURITY,
  VerifyReply,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { actorOf } from '../../platform/http/guard.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { createAuditReport } from './audit.report.ts';

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
            200: EntryListReply,
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
