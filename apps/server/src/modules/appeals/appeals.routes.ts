import {
  AlertArrivedReply,
  AlertTakenReply,
  AppealDetail,
  AppealExportQuery,
  AppealIdParams,
  AppealListQuery,
  AppealListReply,
  AppealSuggestions,
  AssigneesReply,
  DetailQuery,
  errorReplies,
  IdempotencyHeaders,
  InboxReply,
  NewAppealBody,
  PublicTracking,
  RatingBody,
  RevealBody,
  SECURITY,
  SubmittedReply,
  TrackParams,
  TrackPhotoParams,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/guard.ts';
import { sendUpload } from '../uploads/index.ts';
import { registerActionRoutes } from './appeals.action-routes.ts';
import type { AppealService } from './appeals.service.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function appealRoutes(deps: { appeals: AppealService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { appeals } = deps;
    const tags = ['appeals'];
    const read = { config: { permission: 'appeals.read' } };

    app.post(
      '/api/v1/appeals',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Submit an appeal (residents without login; staff channels need a session)',
          headers: IdempotencyHeaders,
          body: NewAppealBody,
          response: { 201: SubmittedReply, ...errorReplies(400, 401, 403, 422) },
        },
      },
      async (request, reply) => {
        const { id, replayed } = await appeals.submit(request.body, {
          actor: request.actor,
          idempotencyKey: request.headers['idempotency-key'],
        });
        const view = await appeals.submittedView(id, { forResident: !request.actor });
        if (replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(201).send(view);
      },
    );

    app.get(
      '/api/v1/appeals',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          querystring: AppealListQuery,
          response: { 200: AppealListReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { dueSoon, from, to, ...rest } = request.query;
        const result = await appeals.list(actorOf(request), {
          ...rest,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
          dueSoon,
        });
        reply.header('cache-control', 'no-store');
        return result;
      },
    );

    app.get(
      '/api/v1/appeals/export',
      {
        config: { permission: 'appeals.export' },
        schema: {
          tags,
          security: SECURITY,
          summary:
            'The appeal list under the same filters as a CSV file (UTF-8 with BOM) or an xlsx workbook, at most 10,000 rows',
          querystring: AppealExportQuery,
          produces: ['text/csv', XLSX_TYPE],
          response: errorReplies(400, 401, 403),
        },
      },
      async (request, reply) => {
        const { dueSoon, from, to, format = 'csv', ...rest } = request.query;
        const { body, rows, truncated, filename } = await appeals.exportList(
          actorOf(request),
          {
            ...rest,
            from: from ? new Date(from) : undefined,
            to: to ? new Date(to) : undefined,
            dueSoon,
          },
          format,
        );
        return reply
          .type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('x-export-rows', String(rows))
          .header('x-export-truncated', String(truncated))
          .send(body);
      },
    );

    app.get(
      '/api/v1/appeals/:id',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          params: AppealIdParams,
          querystring: DetailQuery,
          response: { 200: AppealDetail, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return appeals.detail(actorOf(request), request.params.id);
      },
    );

    app.post(
      '/api/v1/appeals/:id/contact',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The appeal with the reporter’s contact in full, for a stated reason (journaled)',
          description:
            'A POST, so that no link, image or prefetch can make a browser reveal a contact in its ' +
            'user’s name. Refused (403) to the unit the appeal complains about (art. 46(5)).',
          params: AppealIdParams,
          body: RevealBody,
          response: { 200: AppealDetail, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const reason = request.body.reason?.trim();
        if (!reason) throw new AppError('reason_required', 400, 'state why you need the full contact data');
        reply.header('cache-control', 'no-store');
        return appeals.detail(actorOf(request), request.params.id, { reason });
      },
    );

    app.get(
      '/api/v1/appeals/:id/suggestions',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary:
            'Units to dispatch to, each with the reason (per-area assignment, then the catalogue’s competence)',
          params: AppealIdParams,
          response: { 200: AppealSuggestions, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return appeals.suggestions(actorOf(request), request.params.id);
      },
    );

    app.get(
      '/api/v1/appeals/:id/assignees',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The people the holding unit’s desk may name for this appeal (指派)',
          description:
            '403 when the caller may not assign this appeal now (the same rule as the assign action).',
          params: AppealIdParams,
          response: { 200: AssigneesReply, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return appeals.assignees(actorOf(request), request.params.id);
      },
    );

    for (const [step, summary, reply] of [
      [
        'acknowledge',
        'Answer the alert of a critical appeal (我去): the first to answer takes it; later ones are 409 alert_taken',
        AlertTakenReply,
      ],
      [
        'arrive',
        'Say the taker is on site: the time from the alert to arrival is recorded',
        AlertArrivedReply,
      ],
    ] as const) {
      app.post(
        `/api/v1/appeals/:id/alert/${step}`,
        {
          config: { permission: 'appeals.alerts' },
          preValidation: async (request) => {
            if (request.body === undefined || request.body === null) request.body = {};
          },
          schema: {
            tags,
            security: SECURITY,
            summary,
            params: AppealIdParams,
            body: Type.Object({}, { additionalProperties: false }),
            response: { 200: reply, ...errorReplies(400, 401, 403, 404, 409) },
          },
        },
        async (request) =>
          step === 'acknowledge'
            ? appeals.acknowledgeAlert(actorOf(request), request.params.id)
            : appeals.arriveAlert(actorOf(request), request.params.id),
      );
    }

    registerActionRoutes(app, appeals);

    app.get(
      '/api/v1/inbox',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'What the caller must do now',
          response: { 200: InboxReply, ...errorReplies(401, 403) },
        },
      },
      async (request) => appeals.inbox(actorOf(request)),
    );

    app.get(
      '/api/v1/notices/:id/print',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'A coordination notice (协调处理通知) as a printable HTML page',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          produces: ['text/html'],
          response: errorReplies(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const html = await appeals.printNotice(actorOf(request), request.params.id);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
      },
    );

    app.get(
      '/api/v1/track/:code',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'Track an appeal by its code',
          params: TrackParams,
          response: { 200: PublicTracking, ...errorReplies(400, 404) },
        },
      },
      async (request) => appeals.track(request.params.code),
    );

    app.get(
      '/api/v1/track/:code/photos/:uploadId',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'A result photo of a tracked appeal',
          description:
            'Only the photos the handler attached when resolving, by the appeal’s tracking code; the ' +
            'resident’s own photos and the staff’s working photos are not served here (404).',
          params: TrackPhotoParams,
          produces: ['image/jpeg', 'image/png', 'image/webp'],
          response: errorReplies(400, 404),
        },
      },
      async (request, reply) => {
        const { upload, body } = await appeals.trackPhoto(request.params.code, request.params.uploadId);
        return sendUpload(reply, upload, body);
      },
    );

    app.post(
      '/api/v1/track/:code/rating',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          params: TrackParams,
          body: RatingBody,
          response: { 200: PublicTracking, ...errorReplies(400, 404, 409) },
        },
      },
      async (request) => appeals.rate(request.params.code, request.body),
    );
  };
}
