import {
  CallNextBody,
  errorReplies,
  HallBoardReply,
  HallTicket,
  IdempotencyHeaders,
  NewVisitBody,
  SECURITY,
  TakenTicketReply,
  VisitCreatedReply,
  VisitIdParams,
  VisitLookupBody,
  VisitLookupReply,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { HallQueue } from './visits.queue.ts';
import type { VisitService } from './visits.service.ts';

export function visitRoutes(deps: { visits: VisitService; queue: HallQueue; publicUrl: string | null }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['visits'];

    app.post(
      '/api/v1/visits',
      {
        config: { permission: 'visits.create' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Register a visit at a reception hall and take its appeal in (一窗受理)',
          description:
            'The visitor’s phone finds their earlier appeals in the desk’s area (重访); 5 or more people ' +
            'are a 集体访, flagged to the district. A 代办员 filing on their behalf is recorded with the ' +
            'clerk. With an Idempotency-Key a resend returns the same visit.',
          headers: IdempotencyHeaders,
          body: NewVisitBody,
          response: { 201: VisitCreatedReply, ...errorReplies(400, 401, 403, 422) },
        },
      },
      async (request, reply) => {
        const created = await deps.visits.create(
          actorOf(request),
          request.body,
          request.headers['idempotency-key'],
        );
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.post(
      '/api/v1/visits/lookup',
      {
        config: { permission: 'visits.create' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Has this phone been here before? Its earlier appeals in the desk’s area (重访)',
          body: VisitLookupBody,
          response: { 200: VisitLookupReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.visits.lookup(actorOf(request), request.body.phone);
      },
    );

    app.post(
      '/api/v1/hall/tickets',
      {
        config: { permission: 'visits.create' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Take the next number of the desk’s hall queue (叫号), for a visitor walking in',
          response: { 201: TakenTicketReply, ...errorReplies(401, 403) },
        },
      },
      async (request, reply) => reply.status(201).send(await deps.queue.take(actorOf(request))),
    );

    app.post(
      '/api/v1/hall/tickets/call-next',
      {
        config: { permission: 'visits.create' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Call the oldest waiting number to a window (the window’s previous number is done)',
          body: CallNextBody,
          response: { 200: HallTicket, ...errorReplies(400, 401, 403, 409) },
        },
      },
      async (request) => deps.queue.callNext(actorOf(request), request.body.window),
    );

    app.get(
      '/api/v1/hall/board',
      {
        config: { permission: 'visits.read' },
        schema: {
          tags,
          security: SECURITY,
          summary:
            'What the hall’s screen shows: the numbers called and where, how many wait, the average wait',
          response: { 200: HallBoardReply, ...errorReplies(401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.queue.board(actorOf(request));
      },
    );

    app.get(
      '/api/v1/visits/:id/receipt',
      {
        config: { permission: 'visits.read' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'The visit’s receipt (受理回执) as a printable A5 page',
          description:
            'For the clerk who registered the visit, on the day: it carries the tracking code in full.',
          params: VisitIdParams,
          produces: ['text/html'],
          response: errorReplies(400, 401, 403, 404),
        },
      },
      async (request, reply) => {
        const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
        const html = await deps.visits.receipt(actorOf(request), request.params.id, base);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
      },
    );
  };
}
