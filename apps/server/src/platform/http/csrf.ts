import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from './guard.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(url: string | undefined): string | null {
  if (!url || url === 'null') return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Whether a cookie-carrying request came from a page of our own origin: its Origin (or, when a
 * browser sends none, its Referer) names our host. Only the host is compared: behind a proxy that
 * ends TLS the scheme seen here is http while the browser's is https.
 */
export function fromOwnOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const source = origin !== undefined ? hostOf(origin) : hostOf(request.headers.referer);
  return source !== null && withoutDefaultPort(source) === withoutDefaultPort(request.host.toLowerCase());
}

/** `example.cn:443` and `example.cn` are one host (URL drops the default port, a Host header may not). */
function withoutDefaultPort(host: string): string {
  return host.replace(/:(80|443)$/, '');
}

/**
 * CSRF protection for cookie sessions. The session cookie is SameSite=Strict already; this is the
 * second lock (older browsers, a hostile sibling subdomain, which is "same-site"): a request that
 * changes something and is authenticated by the cookie — not by an Authorization header, which a
 * foreign page cannot set — must come from our own origin, or it is refused with 403
 * `csrf_rejected` before anything else runs. Browsers send Origin with every such fetch and form
 * post (the Referrer-Policy is same-origin, not no-referrer, so it is not "null").
 */
export function registerCsrfCheck(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.headers.authorization?.startsWith('Bearer ')) return;
    if (!request.cookies?.[SESSION_COOKIE]) return;
    if (fromOwnOrigin(request)) return;
    throw new AppError(
      'csrf_rejected',
      403,
      'this request carries the session cookie but does not come from this site; reload the page and try again',
    );
  });
}
