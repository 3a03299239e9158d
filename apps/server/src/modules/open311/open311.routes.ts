import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import type { SharedLimiterStore } from '../../platform/rate-limit/index.ts';
import { formatOfUrl, render, renderErrors } from './open311.format.ts';
import {
  checkQueryEncoding,
  type Fields,
  invalid,
  parseForm,
  parseJson,
  queryFields,
} from './open311.input.ts';
import type { ApiKeyIdentity, ApiKeys } from './open311.keys.ts';
import type { Open311Service } from './open311.service.ts';
import { CONTENT_TYPES, FORMATS, type Format } from './open311.types.ts';

export const OPEN311_PREFIX = '/open311/v2';

/** Spec errors: 404 for what does not exist, 403 for the api_key, 429 when a key goes too fast, else 400. */
function toSpecError(error: unknown): { status: number; list: { code: number; description: string }[] } {
  if (error instanceof AppError) {
    const status = [403, 404, 429].includes(error.httpStatus)
      ? error.httpStatus
      : error.httpStatus === 401
        ? 403
        : error.httpStatus < 500
          ? 400
          : 500;
    const problems = Array.isArray(error.details.problems) ? (error.details.problems as string[]) : [];
    const descriptions = problems.length ? problems : [error.message];
    return { status, list: descriptions.map((description) => ({ code: status, description })) };
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const description =
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'send the fields as application/x-www-form-urlencoded (or application/json)'
        : fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'the request body is too large'
          : fastifyError.message;
    return { status: 400, list: [{ code: 400, description }] };
  }
  return {
    status: 500,
    list: [{ code: 500, description: 'something went wrong on our side; it has been logged' }],
  };
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown, cache: string) {
  return reply
    .type(CONTENT_TYPES[format])
    .header('cache-control', cache)
    .header('x-content-type-options', 'nosniff')
    .send(render(format, root, value));
}

/**
 * GeoReport v2 under /open311/v2, in XML (the spec's required format) and JSON. Everything here is
 * scoped to this plugin: the form and JSON body parsers, the per-key rate limiter and the spec's
 * error documents; the rest of the server keeps its own error model.
 */
export function open311Routes(deps: {
  open311: Open311Service;
  keys: ApiKeys;
  /** The counters every app process shares, so a key's limit holds across nodes. */
  limiterStore: SharedLimiterStore;
  /** DOORSTEP_PUBLIC_URL: discovery names its endpoints there; path-only when unset. */
  publicUrl?: string | null;
}) {
  const { open311, keys } = deps;
  const verified = new WeakMap<FastifyRequest, ApiKeyIdentity>();

  return async (root: FastifyInstance) => {
    await root.register(
      async (app) => {
        // The parser's declared type is a plain record; ours hands the route a Map of repeated fields.
        await app.register(fastifyFormbody, {
          parser: (text) => parseForm(text) as unknown as Record<string, unknown>,
        });
        app.removeContentTypeParser('application/json');
        app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
          done(null, parseJson(body as Buffer));
        });
        await app.register(fastifyRateLimit, {
          global: false,
          ...deps.limiterStore,
          errorResponseBuilder: (_request, context) =>
            new AppError(
              'rate_limited',
              429,
              `this api_key may post ${context.max} requests a minute; retry in ${context.after}`,
            ),
        });

        app.addHook('onRequest', async (request) => checkQueryEncoding(request.url));
        app.setErrorHandler((error, request, reply) => {
          const format = formatOfUrl(request.url);
          const { status, list } = toSpecError(error);
          if (status >= 500) request.log.error({ err: error }, 'unhandled error');
          return reply
            .status(status)
            .type(CONTENT_TYPES[format])
            .header('cache-control', 'no-store')
            .send(renderErrors(format, list));
        });
        app.setNotFoundHandler((request, reply) => {
          const format = formatOfUrl(request.url);
          const path = request.url.split('?')[0]!.slice(0, 200);
          reply
            .status(404)
            .type(CONTENT_TYPES[format])
            .send(
              renderErrors(format, [{ code: 404, description: `no resource ${request.method} ${path}` }]),
            );
        });

        const options = { config: { public: true }, schema: { hide: true } };
        const each = (register: (format: Format) => void) => FORMATS.forEach(register);
        const query = (request: FastifyRequest) => queryFields(request.query);

        each((format) => {
          app.get(`/discovery.${format}`, options, async (_request, reply) => {
            // Never the request's Host header: this reply is cached (max-age), and a forged Host would
            // poison the cache with another site's endpoints. The configured URL, else a path.
            const base = `${deps.publicUrl ?? ''}${OPEN311_PREFIX}`;
            return send(reply, format, 'discovery', await open311.discovery(base), 'public, max-age=300');
          });

          app.get(`/services.${format}`, options, async (request, reply) =>
            send(reply, format, 'services', await open311.services(query(request)), 'public, max-age=60'),
          );

          app.get<{ Params: { service_code: string } }>(
            `/services/:service_code.${format}`,
            options,
            async (request, reply) =>
              send(
                reply,
                format,
                'service_definition',
                await open311.serviceDefinition(request.params.service_code, query(request)),
                'public, max-age=60',
              ),
          );

          app.get(`/requests.${format}`, options, async (request, reply) =>
            send(reply, format, 'service_requests', await open311.requests(query(request)), 'no-cache'),
          );

          app.get<{ Params: { service_request_id: string } }>(
            `/requests/:service_request_id.${format}`,
            options,
            async (request, reply) =>
              send(
                reply,
                format,
                'service_requests',
                await open311.request(request.params.service_request_id, query(request)),
                'no-cache',
              ),
          );

          app.get<{ Params: { token: string } }>(`/tokens/:token.${format}`, options, async (request) =>
            open311.token(request.params.token, query(request)),
          );

          app.post(
            `/requests.${format}`,
            {
              ...options,
              config: {
                public: true,
                // Counted per key, after the key is known (preHandler runs once the body is read).
                rateLimit: {
                  hook: 'preHandler',
                  timeWindow: 60_000,
                  keyGenerator: (request) => `open311-key:${verified.get(request)?.id}`,
                  max: async (request) => verified.get(request)?.ratePerMinute ?? 1,
                },
              },
              preHandler: async (request) => {
                const fields = postFields(request);
                verified.set(request, await keys.verify(fields.get('api_key')?.[0] ?? null));
              },
            },
            async (request, reply) => {
              const idempotencyKey = request.headers['idempotency-key'];
              if (idempotencyKey !== undefined && !/^[A-Za-z0-9_.:-]{8,100}$/.test(String(idempotencyKey))) {
                throw invalid('Idempotency-Key is 8 to 100 letters, digits and _ . : -');
              }
              const created = await open311.submit(verified.get(request)!, postFields(request), {
                idempotencyKey: idempotencyKey === undefined ? undefined : String(idempotencyKey),
              });
              return send(reply, format, 'service_requests', created, 'no-store');
            },
          );
        });
      },
      { prefix: OPEN311_PREFIX },
    );
  };
}

/**
 * The body's fields; a field missing there may come in the query string (the spec's own Swagger
 * file puts POST arguments, api_key included, in the query).
 */
function postFields(request: FastifyRequest): Fields {
  const fields: Fields = new Map(request.body instanceof Map ? (request.body as Fields) : []);
  for (const [name, values] of queryFields(request.query)) if (!fields.has(name)) fields.set(name, values);
  return fields;
}
