import type { FastifyRequest } from 'fastify';

/**
 * What the access log keeps of a request URL. Logs are kept long and read by operators, so no
 * credential or personal datum goes in: a tracking code in a path (it opens the resident's
 * timeline), and query parameters that carry a key, a phone, a reason or a code.
 */
const SECRET_PATH = /(\/track\/)[^/?#]+/g;
const SECRET_QUERY = /^(api_key|phone|reason|token|code|k|otp|password|email|service_request_id)$/i;
export const REDACTED_VALUE = '[redacted]';

export function redactUrl(url: string): string {
  const [path = '', query] = url.split(/\?(.*)/s, 2);
  const safePath = path.replace(SECRET_PATH, `$1${REDACTED_VALUE}`);
  if (query === undefined) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A broken escape in a name: keep it as sent, it names nothing we redact.
      }
      return SECRET_QUERY.test(decoded) ? `${name}=${REDACTED_VALUE}` : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

/** pino's request serializer, as Fastify's default but with the URL redacted. */
export function requestLogView(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
