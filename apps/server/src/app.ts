import type { TileConfig } from '@doorstep/contracts';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import './platform/http/fastify-types.ts';
import { accountabilityRoutes } from './modules/accountability/index.ts';
import { appealRoutes } from './modules/appeals/index.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { mediationRoutes } from './modules/mediation/index.ts';
import { open311Routes } from './modules/open311/index.ts';
import { orgRoutes } from './modules/orgs/orgs.routes.ts';
import { patrolRoutes } from './modules/patrols/index.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { statsRoutes } from './modules/stats/index.ts';
import { triageRoutes } from './modules/triage/index.ts';
import { uploadRoutes } from './modules/uploads/index.ts';
import { visitRoutes } from './modules/visits/index.ts';
import { eventRoutes } from './platform/events/index.ts';
import { registerCsrfCheck } from './platform/http/csrf.ts';
import { answerFrameworkError, registerErrorHandler } from './platform/http/error-handler.ts';
import { registerGuard } from './platform/http/guard.ts';
import { requestLogView } from './platform/http/log-redaction.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { registerTextHygiene } from './platform/http/text-hygiene.ts';
import { registerWeb } from './platform/http/web.ts';
import { outboxRoutes } from './platform/notify/index.ts';
import { type RateLimitOptions, registerRateLimits } from './platform/rate-limit/index.ts';
import { registerRequestContext } from './platform/request-context.ts';
import type { Services } from './services.ts';

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  cookieSecure?: boolean;
  /** Reverse proxies (addresses, CIDRs) whose X-Forwarded-* headers are believed. */
  trustProxy?: string[];
  /** Where the server is reached from outside (Open311 discovery); relative paths when unknown. */
  publicUrl?: string | null;
  /** The built web apps; null in API-only tests. */
  webRoot?: string | null;
  /** Map tile origins allowed by the Content-Security-Policy. */
  tileOrigins?: string[];
  /** The base map the web apps draw (GET /api/v1/public/map); null or absent: none. */
  tiles?: TileConfig | null;
  /** Trusted networks, changed limits, Redis (platform/rate-limit); the defaults when absent. */
  rateLimits?: RateLimitOptions;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    // Requests are logged with their URL redacted (platform/http/log-redaction.ts).
    logger:
      options.logger && typeof options.logger === 'object'
        ? {
            ...options.logger,
            serializers: { req: requestLogView, ...(options.logger as { serializers?: object }).serializers },
          }
        : (options.logger ?? false),
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
    bodyLimit: 1_048_576,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    // Request ids for the logs; never echo the client's own id back into logs unvalidated.
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: answerFrameworkError,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Doorstep 家门口 API',
        version: '1',
        description:
          'Grassroots public-appeal service. Errors are always { error: { code, message, details } }.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'doorstep_session' },
        },
      },
    },
  });
  await app.register(fastifyCookie);
  // Before the guard, so its 401 and 403 replies carry the headers too.
  await registerSecurityHeaders(app, {
    https: options.cookieSecure ?? false,
    tileOrigins: options.tileOrigins ?? [],
  });
  const limiterStore = await registerRateLimits(app, services.rateLimiting, options.rateLimits);
  registerCsrfCheck(app);
  registerTextHygiene(app);
  registerGuard(app, { authenticate: services.auth.authenticate, authorizer: services.authorizer });
  // IP and user agent for the security journal (platform/request-context.ts).
  registerRequestContext(app);
  const fallback = await registerWeb(app, options.webRoot ?? null);
  registerErrorHandler(app, fallback);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await services.db.ping();
      return { status: 'ok', database: services.db.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: services.db.kind });
    }
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    identityRoutes({
      auth: services.auth,
      users: services.users,
      sessions: services.sessions,
      cookieSecure: options.cookieSecure ?? false,
      permissionsOf: (roles) => services.authorizer.permissionsOf(roles),
    }),
  );
  await app.register(orgRoutes({ orgs: services.orgs, tiles: options.tiles ?? null }));
  await app.register(catalogRoutes({ catalog: services.catalog }));
  await app.register(auditRoutes({ audit: services.audit }));
  await app.register(appealRoutes({ appeals: services.appeals }));
  await app.register(mediationRoutes({ mediation: services.mediation }));
  await app.register(patrolRoutes({ patrols: services.patrols }));
  await app.register(accountabilityRoutes({ accountability: services.accountability }));
  await app.register(
    visitRoutes({ visits: services.visits, queue: services.hallQueue, publicUrl: options.publicUrl ?? null }),
  );
  await app.register(triageRoutes({ triage: services.triage }));
  await app.register(privacyRoutes({ privacy: services.privacy }));
  await app.register(statsRoutes({ stats: services.stats }));
  await app.register(outboxRoutes({ outbox: services.outbox }));
  // Under /open311/v2, with its own body parsers, rate limiter and the GeoReport error format.
  await app.register(
    open311Routes({
      open311: services.open311,
      keys: services.open311Keys,
      limiterStore,
      publicUrl: options.publicUrl ?? null,
    }),
  );
  // @fastify/multipart is registered inside this plugin only: no other route accepts multipart.
  await app.register(uploadRoutes({ uploads: services.uploads }));
  await app.register(
    eventRoutes({
      bus: services.events,
      // The stream's periodic session re-check is not user activity: it must not postpone the idle timeout.
      authenticate: (token) => services.auth.authenticate(token, { touch: false }),
      authorizer: services.authorizer,
    }),
  );
  return app;
}
