import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export interface SecurityHeaderOptions {
  /** Behind HTTPS: adds HSTS and upgrade-insecure-requests. */
  https: boolean;
  /** Origins map tiles may come from (img-src), e.g. `https://*.is.autonavi.com`. */
  tileOrigins: readonly string[];
}

/**
 * The web apps' Content-Security-Policy. They are served by the API's own origin, load only their
 * own hashed bundles and carry no inline script, so everything is 'self' except images: photo
 * previews are blob: URLs, QR codes and compressed photos data: URLs, and map tiles come from the
 * configured tile servers. Styles set through the CSSOM (Vue bindings, Leaflet, ECharts) are not
 * inline styles in CSP's sense, so 'unsafe-inline' is not needed.
 */
export function contentSecurityPolicy(options: SecurityHeaderOptions) {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...options.tileOrigins],
    manifestSrc: ["'self'"],
    mediaSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    workerSrc: ["'self'"],
    // Over plain HTTP (a trial on localhost, a closed government network) it would break every asset.
    upgradeInsecureRequests: options.https ? [] : null,
  };
}

/**
 * A server-rendered page of the API (the printable coordination notice) is a document of its own:
 * escaped text and an inline stylesheet, never a script.
 */
const API_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'self'";

/** Security headers on every reply (`@fastify/helmet`), the API's and the web apps' alike. */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions) {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options) },
    // HSTS pins browsers to HTTPS for a year: only when the site is actually served over HTTPS.
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Not no-referrer: a browser then sends `Origin: null` on same-origin POSTs, and the CSRF check
    // compares the Origin. same-origin still tells no third party (a tile server) which page, such
    // as /track/<code>, the user was on.
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html') && request.url.startsWith('/api/')) {
      reply.header('content-security-policy', API_PAGE_POLICY);
      reply.header('x-frame-options', 'SAMEORIGIN');
    }
    return payload;
  });
}

/**
 * The base map of `DOORSTEP_TILE_URL` (a Leaflet template: 天地图, a self-hosted tile server, or
 * AutoNavi in GCJ-02 with `DOORSTEP_TILE_CRS=GCJ02`), and the CSP origin its images come from: a
 * `{s}` subdomain becomes `*.` (https://webrd0{s}.is.autonavi.com → https://*.is.autonavi.com).
 */
export function parseTileUrl(raw: string): { url: string; origin: string } {
  if (!/\{z\}/.test(raw) || !/\{x\}/.test(raw) || !/\{y\}/.test(raw)) {
    throw new Error('DOORSTEP_TILE_URL must be a tile template with {z}, {x} and {y}');
  }
  let parsed: URL;
  try {
    parsed = new URL(raw.replaceAll('{s}', 'a').replace(/\{[a-z]+\}/g, '0'));
  } catch {
    throw new Error(`DOORSTEP_TILE_URL: "${raw}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error('DOORSTEP_TILE_URL must be an http(s) URL');
  }
  const { host } = parsed;
  const wildcard = /^[^/]*\{s\}[^/.]*\./.test(raw.replace(/^https?:\/\//, ''));
  const origin = `${parsed.protocol}//${wildcard ? `*.${host.split('.').slice(1).join('.')}` : host}`;
  return { url: raw, origin };
}

/**
 * `DOORSTEP_TILE_ORIGINS`: comma-separated origins of the map tile servers, each a CSP source such
 * as `https://tile.openstreetmap.org` or `https://*.is.autonavi.com` (no path: CSP would ignore it).
 */
export function parseTileOrigins(raw: string): string[] {
  const origins = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (
      !/^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i.test(
        origin,
      )
    ) {
      throw new Error(`DOORSTEP_TILE_ORIGINS: "${origin}" is not an origin such as https://tiles.example.cn`);
    }
  }
  return origins;
}
