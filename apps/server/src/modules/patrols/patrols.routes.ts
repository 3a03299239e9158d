import {
  errorReplies,
  NewPatrolBody,
  PatrolCoverageQuery,
  PatrolCoverageReply,
  PatrolIdParams,
  PatrolListQuery,
  PatrolListReply,
  PatrolTrackBody,
  PatrolTrackReply,
  PatrolView,
  SECURITY,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/http/guard.ts';
import type { PatrolService } from './patrols.service.ts';

export function patrolRoutes(deps: { patrols: PatrolService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['patrols'];
    const walk = { config: { permission: 'patrols.walk' } };

    app.post(
      '/api/v1/patrols',
      {
        ...walk,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Start a patrol of a grid (one open patrol per person: a second is 409 patrol_open)',
          body: NewPatrolBody,
          response: {
            201: Type.Object({ id: Type.String({ format: 'uuid' }), status: Type.Literal('started') }),
            ...errorReplies(400, 401, 403, 409, 422),
          },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await deps.patrols.start(actorOf(request), request.body)),
    );

    app.get(
      '/api/v1/patrols/current',
      {
        ...walk,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The caller’s open patrol, if any',
          response: {
            200: Type.Object({ patrol: Type.Union([PatrolView, Type.Null()]) }),
            ...errorReplies(401, 403),
          },
        },
      },
      async (request) => deps.patrols.current(actorOf(request)),
    );

    app.post(
      '/api/v1/patrols/:id/track',
      {
        ...walk,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Add positions to one’s open patrol (idempotent per position time)',
          params: PatrolIdParams,
          body: PatrolTrackBody,
          response: { 200: PatrolTrackReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => deps.patrols.track(actorOf(request), request.params.id, request.body.points),
    );

    app.post(
      '/api/v1/patrols/:id/finish',
      {
        ...walk,
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Finish one’s patrol: the distance walked is the sum of its track',
          params: PatrolIdParams,
          body: Type.Object({}, { additionalProperties: false }),
          response: {
            200: Type.Object({
              id: Type.String({ format: 'uuid' }),
              status: Type.Literal('finished'),
              distanceM: Type.Integer(),
              points: Type.Integer(),
            }),
            ...errorReplies(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => deps.patrols.finish(actorOf(request), request.params.id),
    );

    app.get(
      '/api/v1/patrols/coverage',
      {
        config: { permission: 'patrols.read' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'Patrol coverage (巡查覆盖) per unit walked over a period: patrols, metres, walkers',
          querystring: PatrolCoverageQuery,
          response: { 200: PatrolCoverageReply, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => deps.patrols.coverage(actorOf(request), request.query.from, request.query.to),
    );

    app.get(
      '/api/v1/patrols',
      {
        config: { permission: 'patrols.read' },
        schema: {
          tags,
          security: SECURITY,
          summary: 'A day’s patrols of the caller’s area, with their tracks (the wall, the desk)',
          querystring: PatrolListQuery,
          response: { 200: PatrolListReply, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.patrols.ofDay(actorOf(request), request.query.date, request.query.orgId);
      },
    );
  };
}
