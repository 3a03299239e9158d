import {
  CategoryDetailSchema,
  CategoryIdParams,
  CategoryList,
  CategoryListQuery,
  CategoryPatchBody,
  errorReplies,
  NewCategoryBody,
  PublicCatalogQuery,
  PublicCatalogReply,
  ResponsibilitiesBody,
  ResponsibilityList,
  SECURITY,
} from '@doorstep/contracts';
import fastifyEtag from '@fastify/etag';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { actorOf } from '../../platform/http/guard.ts';
import type { CatalogService } from './catalog.service.ts';

/**
 * The resident app fetches the tree on every start; a short max-age plus an ETag lets proxies and
 * the app keep it and revalidate for a 304, while an admin's edit shows within a minute.
 */
const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=300';

export function catalogRoutes(deps: { catalog: CatalogService }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { catalog } = deps;
    const tags = ['catalog'];
    const read = { config: { permission: 'catalog.read' } };
    const manage = { config: { permission: 'catalog.manage' } };

    // Its own encapsulated context, so ETags (hash of the reply body) apply to the public tree only.
    await app.register(async (publicScope) => {
      await publicScope.register(fastifyEtag, { weak: true });
      publicScope.withTypeProvider<TypeBoxTypeProvider>().get(
        '/api/v1/public/categories',
        {
          config: { public: true },
          schema: {
            tags,
            summary: 'The active catalogue for residents: kinds → groups → items, most common first',
            querystring: PublicCatalogQuery,
            response: { 200: PublicCatalogReply, ...errorReplies(400) },
          },
        },
        async (request, reply) => {
          reply.header('cache-control', PUBLIC_CACHE);
          return catalog.publicTree(request.query);
        },
      );
    });

    app.get(
      '/api/v1/categories',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Every catalogue entry, groups and inactive items included, in catalogue order',
          querystring: CategoryListQuery,
          response: { 200: CategoryList, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => catalog.list(request.query),
    );

    app.get(
      '/api/v1/categories/:id',
      {
        ...read,
        schema: {
          tags,
          security: SECURITY,
          params: CategoryIdParams,
          response: { 200: CategoryDetailSchema, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => catalog.get(request.params.id),
    );

    app.post(
      '/api/v1/categories',
      {
        ...manage,
        schema: {
          tags,
          security: SECURITY,
          body: NewCategoryBody,
          response: { 201: CategoryDetailSchema, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await catalog.create(actorOf(request), request.body)),
    );

    app.patch(
      '/api/v1/categories/:id',
      {
        ...manage,
        schema: {
          tags,
          security: SECURITY,
          params: CategoryIdParams,
          body: CategoryPatchBody,
          response: { 200: CategoryDetailSchema, ...errorReplies(400, 401, 403, 404, 422) },
        },
      },
      async (request) => catalog.update(actorOf(request), request.params.id, request.body),
    );

    app.put(
      '/api/v1/categories/:id/responsibilities',
      {
        ...manage,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Replace the per-area responsible departments of an item',
          params: CategoryIdParams,
          body: ResponsibilitiesBody,
          response: { 200: ResponsibilityList, ...errorReplies(400, 401, 403, 404, 422) },
        },
      },
      async (request) => catalog.setResponsibilities(actorOf(request), request.params.id, request.body.items),
    );
  };
}
