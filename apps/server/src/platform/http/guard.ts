import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { Authorizer } from '../auth/policy.ts';
import { AppError, errors } from '../errors.ts';

export const SESSION_COOKIE = 'doorstep_session';

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

/** The permission of one's own session routes (me, logout, password, OTP, sessions). */
const OWN_SESSION = 'session.self';

/** The URL spaces whose every route must declare who may call it: our API and Open311's. */
const GUARDED_PREFIXES = ['/api/', '/open311/'];

/** What one /api or /open311 route declared when it registered (its method, URL and policy). */
export interface DeclaredRoute {
  method: string;
  url: string;
  permission: string | null;
  public: boolean;
}

const declaredByApp = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/**
 * Every /api and /open311 route registered on an app with its declared policy, in registration order: what the
 * permission matrix and the security docs are generated from (the OpenAPI document hides some).
 */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declaredByApp.get(app) ?? [];
}

/**
 * Authentication and role check run in onRequest — before the body is parsed or validated — so an
 * anonymous call to a staff route gets 401 whatever its parameters. Scope (which records) is
 * checked by the services in their queries.
 */
export function registerGuard(
  app: FastifyInstance,
  deps: { authenticate(token: string): Promise<Actor>; authorizer: Authorizer },
) {
  app.decorateRequest('actor', null);

  const declared: DeclaredRoute[] = [];
  declaredByApp.set(app, declared);
  app.addHook('onRoute', (route) => {
    if (!GUARDED_PREFIXES.some((prefix) => route.url.startsWith(prefix))) return;
    const config = route.config ?? {};
    for (const method of [route.method].flat()) {
      declared.push({
        method,
        url: route.url,
        permission: config.permission ?? null,
        public: !!config.public,
      });
    }
    if (config.public) return;
    if (!config.permission) throw new Error(`route ${route.method} ${route.url} declares no policy`);
    if (!deps.authorizer.has(config.permission)) {
      throw new Error(`route ${route.method} ${route.url} names unknown permission ${config.permission}`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config ?? {};
    const token = tokenOf(request);
    if (config.public) {
      // A session that must still change its password acts as nobody on public routes (no staff
      // channel intake in its name).
      const actor = token ? await deps.authenticate(token).catch(() => null) : null;
      request.actor = actor?.mustChangePassword ? null : actor;
      return;
    }
    if (!config.permission) return;
    if (!token) throw errors.unauthenticated();
    const actor = await deps.authenticate(token);
    request.actor = actor;
    if (actor.mustChangePassword && config.permission !== OWN_SESSION) {
      throw new AppError(
        'password_change_required',
        403,
        'the password was given by the security admin: change it (POST /api/v1/auth/password) before anything else',
      );
    }
    deps.authorizer.assert(actor, config.permission);
  });
}

/** The actor of a route that declared a permission (the guard guarantees it is set). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw errors.unauthenticated();
  return request.actor;
}
