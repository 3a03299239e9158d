import { canonicalMobile } from '@doorstep/contracts/vocabulary';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { Redis } from 'ioredis';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../clock.ts';
import { hmacHex } from '../crypto.ts';
import { AppError } from '../errors.ts';
import { HUMAN_CHECK_HEADER, type HumanCheck, type HumanCheckChallenge } from '../human-check/index.ts';
import { effectiveLimits, LIMIT_NAMES, LIMITS, type LimitName, type LimitOverrides } from './limits.ts';
import { clientPrefix, createNetworkMatcher } from './networks.ts';
import { pgRateLimitStore } from './pg-store.ts';

export interface RateLimitDeps {
  db: Db;
  clock: Clock;
  /** Keys the HMAC that stands for an address or a phone number in the counters. */
  keySecret: string;
  /** Lets a request past a limit marked `humanCheck` when it carries a valid proof. */
  humanCheck?: HumanCheck;
}

export interface RateLimitOptions {
  /** Networks exempt from the per-address limits (a hall's kiosks, a gateway, the benchmark). */
  trustedNetworks?: readonly string[];
  overrides?: LimitOverrides;
  /** Counters in Redis instead of the database. */
  redisUrl?: string | null;
}

type Check = (
  request: FastifyRequest,
) => Promise<
  { isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number; max: number }
>;

/**
 * The canonical mobile (the form intake stores): the same phone written two ways is one phone. A
 * number that is not a mainland mobile is refused by intake anyway; its digits key the counter.
 */
export function normalisePhone(phone: string): string {
  return canonicalMobile(phone) ?? phone.normalize('NFKC').replace(/\D/g, '');
}

function phoneOf(request: FastifyRequest): string | null {
  const contact = (request.body as { contact?: { phone?: unknown } } | undefined)?.contact;
  return typeof contact?.phone === 'string' && contact.phone ? normalisePhone(contact.phone) : null;
}

function tooMany(
  name: LimitName,
  seconds: number,
  reply: FastifyReply,
  humanCheck?: HumanCheckChallenge & { refused?: string },
): AppError {
  reply.header('retry-after', String(seconds));
  const what = LIMITS[name].by === 'phone' ? 'this phone number' : 'this address';
  const orProof = humanCheck ? ', or answer the human check and send the proof' : '';
  return new AppError(
    'rate_limited',
    429,
    `too many requests from ${what}; try again in ${seconds} s${orProof}`,
    {
      limit: name,
      retryAfterSeconds: seconds,
      ...(humanCheck ? { humanCheck } : {}),
    },
  );
}

/**
 * Rate limits on the routes anyone can reach (limits.ts), counted with `@fastify/rate-limit` in a
 * store every app process shares: the database (`rate_limit`) or Redis when REDIS_URL is set.
 * Per-address limits run in onRequest, before the body is read; the per-phone limit once the body
 * is validated. Staff with a session are exempt where a limit says `anonymousOnly`: they are
 * accountable, and a hotline desk files many appeals. Call before the routes are registered.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  deps: RateLimitDeps,
  options: RateLimitOptions = {},
): Promise<SharedLimiterStore> {
  const limits = effectiveLimits(options.overrides);
  const trusted = createNetworkMatcher(options.trustedNetworks ?? []);
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  if (redis) app.addHook('onClose', async () => void (await redis.quit()));
  const shared: SharedLimiterStore = redis
    ? { redis, nameSpace: 'doorstep-rate-' }
    : { store: pgRateLimitStore(deps) };

  // The plugin lives in a scope of its own: its limiters are used by the hooks below, and its
  // route hook never touches a route (another module may register the plugin for its own routes).
  const checks = {} as Record<LimitName, Check>;
  await app.register(async (scope) => {
    await scope.register(fastifyRateLimit, { global: false, ...shared });
    for (const name of LIMIT_NAMES) {
      const by = LIMITS[name].by;
      checks[name] = scope.createRateLimit({
        max: limits[name].max,
        timeWindow: limits[name].windowMs,
        keyGenerator: (request) =>
          `${name}:${hmacHex(deps.keySecret, `rate:${by}:${by === 'ip' ? clientPrefix(request.ip) : phoneOf(request)}`).slice(0, 40)}`,
      }) as Check;
    }
  });

  const enforce = async (name: LimitName, request: FastifyRequest, reply: FastifyReply) => {
    if (LIMITS[name].anonymousOnly && request.actor) return;
    if (LIMITS[name].by === 'ip' && trusted(request.ip)) return;
    if (LIMITS[name].by === 'phone' && !phoneOf(request)) return;
    const result = await checks[name](request);
    if (result.isAllowed || !result.isExceeded) return;
    const humanCheck = LIMITS[name].humanCheck ? deps.humanCheck : undefined;
    if (!humanCheck) throw tooMany(name, result.ttlInSeconds, reply);
    const proof = request.headers[HUMAN_CHECK_HEADER];
    const verdict = typeof proof === 'string' ? await humanCheck.verify(proof) : null;
    if (verdict?.passed) return;
    const challenge = await humanCheck.issue();
    throw tooMany(
      name,
      result.ttlInSeconds,
      reply,
      verdict ? { ...challenge, refused: verdict.reason } : challenge,
    );
  };

  const byRoute = new Map<string, LimitName[]>();
  for (const name of LIMIT_NAMES) {
    for (const route of LIMITS[name].routes) byRoute.set(route, [...(byRoute.get(route) ?? []), name]);
  }
  const matched = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const key = `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
      const names = byRoute.get(key);
      if (!names) continue;
      matched.add(key);
      const perAddress = names.filter((name) => LIMITS[name].by === 'ip');
      const perPhone = names.filter((name) => LIMITS[name].by === 'phone');
      const onRequest: onRequestHookHandler = async (request, reply) => {
        for (const name of perAddress) await enforce(name, request, reply);
      };
      route.onRequest = [...[route.onRequest ?? []].flat(), onRequest];
      if (perPhone.length) {
        route.preHandler = [
          ...[route.preHandler ?? []].flat(),
          async (request: FastifyRequest, reply: FastifyReply) => {
            for (const name of perPhone) await enforce(name, request, reply);
          },
        ];
      }
    }
  });
  // A limit whose route was renamed would silently protect nothing.
  app.addHook('onReady', async () => {
    const missing = [...byRoute.keys()].filter((key) => !matched.has(key));
    if (missing.length) throw new Error(`rate limits name routes that do not exist: ${missing.join(', ')}`);
  });
  return shared;
}

/**
 * Where `@fastify/rate-limit` keeps its counters so that every app process shares them: pass it to
 * any module that registers the plugin for limits of its own (Open311's per-key limit). The plugin's
 * default store counts per process, which a second node would double.
 */
export type SharedLimiterStore =
  | { store: FastifyRateLimitStoreCtor; redis?: undefined }
  | { redis: Redis; nameSpace: string; store?: undefined };
