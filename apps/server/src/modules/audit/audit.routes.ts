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
import { actorOf } from '../../platform/http/guard.ts';
import type { AuditService } from './audit.service.ts';

/** The auditor's window on the journal. Reads only: nothing here can change a record. */
export function auditRoutes(deps: { audit: AuditService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['audit'];
    const { audit } = deps;
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
        const { from, to } = request.query;
        return audit.report(actorOf(request), {
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        });
      },
    );
    app.get(
      '/api/v1/audit/verify',
      {
        config: { permission: 'audit.verify' },
        schema: { tags, security: SECURITY, response: { 200: VerifyReply, ...errorReplies(401, 403) } },
      },
      async () => audit.verify(),
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
        const { from, to, ...rest } = request.query;
        return audit.entries({
          ...rest,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        });
      },
    );
  };
}
