import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { declaredRoutes } from '../../src/platform/http/guard.ts';

/** Every demo account (README.md), one per desk; street2-dispatcher is the 公明街道 twin. */
export const DEMO_USERS = [
  'admin',
  'security',
  'auditor',
  'district-dispatcher',
  'street-dispatcher',
  'street2-dispatcher',
  'community-worker',
  'hall-clerk',
  'station-worker',
  'grid-worker',
  'grid-worker-2',
  'dept-handler',
  'mediator',
  'legal-adviser',
  'court-liaison',
  'leader',
] as const;
export type DemoUser = (typeof DEMO_USERS)[number];
export const ANONYMOUS = 'anonymous';

/**
 * The routes anyone may call, each with the reason. A route that declares `public: true` and is
 * not listed here fails the matrix: making a route public is a decision a reviewer must see.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /api/openapi.json': 'the API contract is published; it holds no data',
  'POST /api/v1/auth/login': 'nobody holds a session before logging in',
  'POST /api/v1/appeals':
    'residents submit without an account (信访解忧码); staff channels are checked against the session inside',
  'GET /api/v1/public/categories': 'the resident app shows the catalogue of matters before anyone logs in',
  'GET /api/v1/public/stations': 'the resident app finds the nearest grid station to a map pin',
  'GET /api/v1/public/map': 'the web apps learn which base map to draw; configuration, no data',
  'GET /api/v1/public/places':
    'the resident map finds a community, station or road by name: public place names and points only',
  'GET /api/v1/public/areas':
    'a map without tiles draws the grids around the resident: public names and outlines of administrative areas',
  'POST /api/v1/uploads': 'residents attach photos before they submit; per-address quota and rate limit',
  'GET /api/v1/uploads/{id}':
    'an unattached upload is previewed by whoever holds its random id; once attached, staff only (service rule)',
  'GET /api/v1/track/{code}':
    'the tracking code is the resident’s key to their own appeal; the view carries no personal data',
  'POST /api/v1/track/{code}/rating': 'the resident rates with the code and their own 评价码',
  'GET /api/v1/track/{code}/photos/{uploadId}':
    'the handler’s result photos only, by the tracking code; the resident’s own and staff working photos 404 (appeals-result-photos.test.ts)',
  'GET /api/v1/track/disputes/{code}':
    'the 查询码 of the registration SMS is a party’s key to its case; the view carries no personal data',
  'POST /api/v1/track/disputes/{code}/confirmation':
    'a party confirms the agreement with the 确认码 only its phone received (mediation-party-tracking.test.ts)',
  // Open311 GeoReport v2 (docs/open311.md), each in .json and .xml.
  ...open311Public({
    'GET /open311/v2/discovery': 'the spec’s discovery document: endpoints and formats, no data',
    'GET /open311/v2/services': 'the catalogue of matters, as the resident app shows it',
    'GET /open311/v2/services/{service_code}': 'one matter’s questions, as the resident form asks them',
    'GET /open311/v2/requests':
      'the open feed: category, state and station or grid; text only with the reporter’s consent, scrubbed',
    'GET /open311/v2/requests/{service_request_id}': 'one request of the open feed, same rules',
    'GET /open311/v2/tokens/{token}':
      'the spec’s token look-up; requests here are answered with their id at once',
    'POST /open311/v2/requests':
      'a partner app files for a resident; its api_key is checked and rate-limited per key',
  }),
};

/** Each Open311 route with its reason, for both of the spec's formats (`/services.json`, `/services.xml`). */
function open311Public(reasons: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(reasons).flatMap(([route, reason]) => {
      const [method, path] = route.split(' ');
      // The format sits after the last segment, parameters included (`/requests/{id}.json`).
      return ['json', 'xml'].map((format) => [`${method} ${path}.${format}`, reason]);
    }),
  );
}

export interface Operation {
  method: string;
  /** OpenAPI form, /api/v1/orgs/{id}. */
  path: string;
  /** Fastify form, /api/v1/orgs/:id. */
  url: string;
  pathParams: { name: string; type: string; format?: string }[];
  requiredQuery: string[];
  hasBody: boolean;
  /** Answers a text/event-stream that stays open (read with payloadAsStream). */
  streams: boolean;
  permission: string | null;
  public: boolean;
}

type OpenApiParameter = { in: string; name: string; required?: boolean; schema?: Record<string, unknown> };
type OpenApiOperation = {
  parameters?: OpenApiParameter[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, unknown> }>;
};

export const key = (method: string, path: string) => `${method} ${path}`;
export const toFastifyUrl = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');
/** `/requests/:service_request_id.json` → `/requests/{service_request_id}.json`. */
export const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, '{$1}');

/**
 * The operations of the published OpenAPI document joined with what each route declared to the
 * guard. The document is the contract clients see; the guard's registry adds routes the document
 * hides (`schema.hide`), so both lists are returned for the caller to compare.
 */
export async function apiOperations(app: FastifyInstance) {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  const declared = declaredRoutes(app).filter((route) => route.method !== 'HEAD');
  const heads = declaredRoutes(app).filter((route) => route.method === 'HEAD');
  const byKey = new Map(declared.map((route) => [key(route.method, route.url), route]));
  const documented: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [lower, op] of Object.entries(methods)) {
      const method = lower.toUpperCase();
      const route = byKey.get(key(method, toFastifyUrl(path)));
      const parameters = op.parameters ?? [];
      documented.push({
        method,
        path,
        url: toFastifyUrl(path),
        pathParams: parameters
          .filter((p) => p.in === 'path')
          .map((p) => ({
            name: p.name,
            type: String(p.schema?.type ?? 'string'),
            format: p.schema?.format as string | undefined,
          })),
        requiredQuery: parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
        hasBody: op.requestBody !== undefined,
        streams: Object.values(op.responses ?? {}).some((r) => r.content?.['text/event-stream']),
        permission: route?.permission ?? null,
        public: route?.public ?? false,
      });
    }
  }
  // Open311 is not in our OpenAPI document (the GeoReport v2 spec is its contract): its routes come
  // from the guard's registry, each taking its path parameters as strings.
  const open311: Operation[] = declared
    .filter((route) => route.url.startsWith('/open311/'))
    .map((route) => ({
      method: route.method,
      path: toOpenApiPath(route.url),
      url: route.url,
      pathParams: [...route.url.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => ({ name: m[1]!, type: 'string' })),
      requiredQuery: [],
      hasBody: route.method === 'POST',
      streams: false,
      permission: route.permission,
      public: route.public,
    }));
  return { documented, declared, heads, open311 };
}

export type Verdict = 'allowed' | 'denied' | 'unauthenticated' | `failed ${number}` | `status ${number}`;

/**
 * What the gate did to one request: 401 `unauthenticated`; 403 `forbidden` naming the route's own
 * permission (a refusal by a service rule names none); anything else got past the gate. A 5xx is
 * never acceptable. `strict` (a plain GET of a list or a page) also wants 200 when let through.
 */
export function verdictOf(
  response: LightMyRequestResponse,
  permission: string | null,
  strict: boolean,
): Verdict {
  const status = response.statusCode;
  if (status >= 500) return `failed ${status}`;
  const error = status >= 400 ? errorOf(response) : null;
  if (status === 401 && error?.code === 'unauthenticated') return 'unauthenticated';
  if (status === 403 && error?.code === 'forbidden' && error.details?.permission === permission)
    return 'denied';
  if (strict && status !== 200) return `status ${status}`;
  return 'allowed';
}

function errorOf(response: LightMyRequestResponse) {
  try {
    return (response.json() as { error?: { code: string; details?: Record<string, unknown> } }).error ?? null;
  } catch {
    return null;
  }
}
