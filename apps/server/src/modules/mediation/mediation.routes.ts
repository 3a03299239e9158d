import {
  ActionHeaders,
  AppealIdParams,
  DISPUTE_ACTION_BODIES,
  DISPUTE_ACTION_NAMES,
  DisputeActionParams,
  DisputeConfirmationBody,
  DisputeCreatedReply,
  DisputeDetail,
  DisputeIdParams,
  DisputeListQuery,
  DisputeListReply,
  DisputeStatsQuery,
  DisputeStatsReply,
  DisputeSummary,
  ErrorResponse,
  errorReplies,
  MediatorListReply,
  NewDisputeBody,
  PublicDispute,
  ReferToMediationBody,
  SECURITY,
  SessionCalendarQuery,
  SessionCalendarReply,
  TrackParams,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actOptionsOf } from '../../platform/http/action-call.ts';
import { actorOf } from '../../platform/http/guard.ts';
import { unknownAction } from '../../platform/workflow/index.ts';
import type { MediationService } from './mediation.service.ts';
import { disputeMachine, disputeTransitions } from './mediation.transitions.ts';

/** What an action answers: the case, or its summary when the action took it out of the caller's reach. */
const DisputeActionReply = Type.Union([
  DisputeDetail,
  Type.Object({ ...DisputeSummary.properties, availableActions: Type.Array(Type.String(), { maxItems: 0 }) }),
]);

const RoomListReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      orgId: Type.Integer(),
      orgName: Type.String(),
      name: Type.String(),
      online: Type.Boolean(),
    }),
  ),
});

export function mediationRoutes(deps: { mediation: MediationService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { mediation } = deps;
    const tags = ['disputes'];
    const read = { config: { permission: 'disputes.read' } };

    app.post(
      '/api/v1/disputes',
      {
        config: { permission: 'disputes.register' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Register a dispute case (at a hall or desk), or refer an appeal with appealId',
          body: NewDisputeBody,
          response: { 201: DisputeCreatedReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await mediation.register(actorOf(request), request.body)),
    );

    app.post(
      '/api/v1/appeals/:id/actions/refer-to-mediation',
      {
        config: { permission: 'disputes.register' },
        schema: {
          tags: ['appeal actions'],
          security: SECURITY,
          operationId: 'appeal_refer_to_mediation',
          summary: '转调解 (refer-to-mediation): an appeal of the dispute kind becomes a dispute case',
          description:
            'The case is held by the appeal’s area and takes over its text and accused unit; the appeal’s ' +
            'timeline records the referral. Answers the new case.',
          params: AppealIdParams,
          body: ReferToMediationBody,
          response: { 201: DisputeCreatedReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await mediation.referAppeal(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/api/v1/disputes',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Dispute cases of the caller’s area, mediation or summons, newest first',
          querystring: DisputeListQuery,
          response: { 200: DisputeListReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return mediation.list(actorOf(request), request.query);
      },
    );

    app.get(
      '/api/v1/disputes/:id',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'One dispute case: parties (masked), sessions, agreement, payments, court, timeline',
          params: DisputeIdParams,
          response: { 200: DisputeDetail, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return mediation.detail(actorOf(request), request.params.id);
      },
    );

    app.get(
      '/api/v1/disputes/:id/agreement.pdf',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The mediation agreement (调解协议书) as a PDF, parties in full (journaled)',
          description: 'For the case’s mediation staff and the court; a summoned unit gets 403.',
          produces: ['application/pdf'],
          params: DisputeIdParams,
          response: errorReplies(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const { pdf, filename } = await mediation.agreementPdf(actorOf(request), request.params.id);
        return (
          reply
            .type('application/pdf')
            .header('cache-control', 'no-store')
            // The console previews it in a frame of its own origin; nothing else may frame it.
            .header('x-frame-options', 'SAMEORIGIN')
            .header('content-security-policy', "default-src 'none'; frame-ancestors 'self'")
            .header(
              'content-disposition',
              `inline; filename="agreement.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
            )
            .send(pdf)
        );
      },
    );

    for (const name of DISPUTE_ACTION_NAMES) {
      const rule = disputeTransitions[name];
      app.post(
        `/api/v1/disputes/:id/actions/${name}`,
        {
          config: { permission: 'disputes.act' },
          preValidation: async (request) => {
            if (request.body === undefined || request.body === null) request.body = {};
          },
          schema: {
            tags: ['dispute actions'],
            security: SECURITY,
            operationId: `dispute_${name.replaceAll('-', '_')}`,
            summary: `${rule.label} (${name})`,
            description:
              `From ${rule.from.join(', ')}; roles ${rule.roles.join(', ')}; relation “${rule.who}”. ` +
              'Send If-Match with the version you saw, and an Idempotency-Key when the call may be resent. Answers the updated case.',
            params: DisputeIdParams,
            headers: ActionHeaders,
            body: DISPUTE_ACTION_BODIES[name],
            response: { 200: DisputeActionReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
          },
        },
        async (request, reply) =>
          mediation.act(
            actorOf(request),
            request.params.id,
            name,
            request.body,
            actOptionsOf(request.headers, reply),
          ),
      );
    }

    app.post(
      '/api/v1/disputes/:id/actions/:action',
      {
        config: { permission: 'disputes.act' },
        schema: {
          tags: ['dispute actions'],
          security: SECURITY,
          summary: 'An action that does not exist: 404 unknown_action, listing the actions that do',
          params: DisputeActionParams,
          response: { 404: ErrorResponse, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => {
        throw unknownAction(disputeMachine, request.params.action);
      },
    );

    app.get(
      '/api/v1/stats/disputes',
      {
        config: { permission: 'disputes.stats' },
        schema: {
          tags: ['stats'],
          security: SECURITY,
          summary: 'Mediation figures: received, resolved (化解), 化解率, amounts, judicial confirmations',
          querystring: DisputeStatsQuery,
          response: { 200: DisputeStatsReply, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return mediation.stats(actorOf(request), request.query);
      },
    );

    app.get(
      '/api/v1/mediators',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The register of mediators serving the caller’s area (人民调解员名册)',
          response: { 200: MediatorListReply, ...errorReplies(401, 403) },
        },
      },
      async (request) => mediation.mediators(actorOf(request)),
    );

    app.get(
      '/api/v1/mediation-rooms',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Rooms for sessions in the caller’s area, the 在线司法确认室 among them',
          response: { 200: RoomListReply, ...errorReplies(401, 403) },
        },
      },
      async (request) => mediation.rooms(actorOf(request)),
    );

    app.get(
      '/api/v1/mediation-sessions',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The sessions calendar (调解日程): sessions of the cases the caller reaches, by day',
          querystring: SessionCalendarQuery,
          response: { 200: SessionCalendarReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => mediation.sessionCalendar(actorOf(request), request.query),
    );

    // The parties' 查询码 from the registration SMS: no login, rate-limited per IP like appeal tracking.
    app.get(
      '/api/v1/track/disputes/:code',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'A dispute case as its parties see it, by the code of the registration SMS',
          params: TrackParams,
          response: { 200: PublicDispute, ...errorReplies(400, 404) },
        },
      },
      async (request) => mediation.track(request.params.code),
    );

    app.post(
      '/api/v1/track/disputes/:code/confirmation',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'A party confirms the mediation agreement with the 确认码 it received by SMS',
          params: TrackParams,
          body: DisputeConfirmationBody,
          response: { 200: PublicDispute, ...errorReplies(400, 404, 409, 422) },
        },
      },
      async (request) => mediation.confirmByParty(request.params.code, request.body),
    );
  };
}
