import {
  AreasNearQuery,
  AreasNearReply,
  errorReplies,
  MapConfigReply,
  NearbyQuery,
  NearbyReply,
  NewOrgBody,
  OrgDetailSchema,
  OrgIdParams,
  OrgList,
  OrgListQuery,
  OrgPatchBody,
  OrgTreeReply,
  PlaceSearchQuery,
  PlaceSearchReply,
  SECURITY,
  type TileConfig,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { OrgService } from './orgs.service.ts';
import type { OrgBoundary } from './orgs.types.ts';

export function orgRoutes(deps: { orgs: OrgService; tiles: TileConfig | null }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { orgs } = deps;
    const tags = ['orgs'];
    const read = { config: { permission: 'orgs.read' } };
    const manage = { config: { permission: 'orgs.manage' } };

    app.get(
      '/api/v1/public/stations',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'Stations near a point (default within 500 m), nearest first',
          querystring: NearbyQuery,
          response: { 200: NearbyReply, ...errorReplies(400) },
        },
      },
      async (request) => ({
        items: await orgs.nearbyStations(request.query.lng, request.query.lat, request.query.radius ?? 500),
      }),
    );

    app.get(
      '/api/v1/public/map',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'The base map the web apps draw (DOORSTEP_TILE_URL …); tiles null: no tile server',
          response: { 200: MapConfigReply },
        },
      },
      async () => ({ tiles: deps.tiles }),
    );

    app.get(
      '/api/v1/public/places',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary:
            'Places by name (subdistrict, community, station, grid; a station’s address), for the map search',
          querystring: PlaceSearchQuery,
          response: { 200: PlaceSearchReply, ...errorReplies(400) },
        },
      },
      async (request) => ({ items: await orgs.searchPlaces(request.query.q) }),
    );

    app.get(
      '/api/v1/public/areas',
      {
        config: { public: true },
        schema: {
          tags: ['public'],
          summary: 'Grids and communities around a point with their outlines, for a map without tiles',
          querystring: AreasNearQuery,
          response: { 200: AreasNearReply, ...errorReplies(400) },
        },
      },
      async (request) => ({
        items: await orgs.areasNear(request.query.lng, request.query.lat, request.query.radius ?? 1000),
      }),
    );

    app.get(
      '/api/v1/orgs/tree',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'The org tree of the caller’s subtree',
          response: { 200: OrgTreeReply, ...errorReplies(401, 403) },
        },
      },
      async (request) => orgs.tree(actorOf(request)),
    );

    app.get(
      '/api/v1/orgs',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          querystring: OrgListQuery,
          response: { 200: OrgList, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => orgs.list(actorOf(request), request.query),
    );

    app.get(
      '/api/v1/orgs/:id',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          params: OrgIdParams,
          response: { 200: OrgDetailSchema, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => orgs.get(actorOf(request), request.params.id),
    );

    app.post(
      '/api/v1/orgs',
      {
        ...manage,
        schema: {
          tags,
          security: SECURITY,
          body: NewOrgBody,
          response: { 201: OrgDetailSchema, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { boundary, ...rest } = request.body;
        const created = await orgs.create(actorOf(request), {
          ...rest,
          boundary: boundary as OrgBoundary | null,
        });
        return reply.status(201).send(created);
      },
    );

    app.patch(
      '/api/v1/orgs/:id',
      {
        ...manage,
        schema: {
          tags,
          security: SECURITY,
          params: OrgIdParams,
          body: OrgPatchBody,
          response: { 200: OrgDetailSchema, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { boundary, ...rest } = request.body;
        return orgs.update(actorOf(request), request.params.id, {
          ...rest,
          ...(boundary === undefined ? {} : { boundary: boundary as OrgBoundary | null }),
        });
      },
    );
  };
}
