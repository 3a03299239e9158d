// A small fetch wrapper for the Doorstep API. Every failure becomes an ApiError carrying the
// server's `{ error: { code, message, details } }` model, so pages branch on `code`, never on text.

export type ApiErrorDetails = Record<string, unknown>;

/** Codes produced by the client itself, when no error body came back from the server. */
export const clientErrorCodes = {
  network: 'network_error',
  timeout: 'timeout',
  unexpectedResponse: 'unexpected_response',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the request never got an answer (offline, timeout). */
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetails;

  constructor(status: number, code: string, message: string, details: ApiErrorDetails = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Skip the client's onUnauthorized hook for this call: a 401 from login means wrong credentials,
   * and a 401 from the first session probe just means "not signed in yet".
   */
  ignoreUnauthorized?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key` on a submission that may be retried. */
  headers?: Record<string, string>;
}

export interface ApiClientOptions {
  /** Prefix of every path; the API is served by the same origin as the web apps. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Called on any 401 (session ended or idle timeout); the request still rejects afterwards. */
  onUnauthorized?: (error: ApiError) => void;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { baseUrl = '/api/v1', timeoutMs = 15_000, onUnauthorized } = options;

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    // One controller for both the timeout and the caller's signal. (AbortSignal.any/timeout are
    // too recent for the older in-app WebViews residents use.)
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forwardAbort = () => controller.abort();
    if (opts.signal?.aborted) controller.abort();
    opts.signal?.addEventListener('abort', forwardAbort);

    try {
      const response = await send(method, path, opts, controller.signal).catch((cause: unknown) => {
        if (opts.signal?.aborted) throw cause; // the caller cancelled: not an error to report
        const code = timedOut ? clientErrorCodes.timeout : clientErrorCodes.network;
        throw new ApiError(0, code, cause instanceof Error ? cause.message : String(cause));
      });

      if (response.ok) {
        if (response.status === 204) return undefined as T;
        try {
          return (await response.json()) as T;
        } catch {
          throw new ApiError(response.status, clientErrorCodes.unexpectedResponse, 'Response is not JSON');
        }
      }

      const error = await toApiError(response);
      if (response.status === 401 && !opts.ignoreUnauthorized) onUnauthorized?.(error);
      throw error;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', forwardAbort);
    }
  }

  function send(method: string, path: string, opts: RequestOptions, signal: AbortSignal): Promise<Response> {
    const { body } = opts;
    // FormData (a file upload) goes as it is: the browser writes the multipart boundary itself.
    const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
    return fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      // The session is an httpOnly cookie set by the server; the page never sees the token.
      credentials: 'same-origin',
      signal,
    });
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
  };
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : error.code;
    const details = isRecord(error.details) ? error.details : {};
    return new ApiError(response.status, error.code, message, details);
  }
  // A proxy or gateway answered (502, 504…), not our error handler.
  return new ApiError(response.status, clientErrorCodes.unexpectedResponse, `HTTP ${response.status}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Failures worth trying again later with the same request: no answer at all, a gateway that could
 * not reach us, an overloaded server, or the rate limit. Anything else is the server's final word.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === clientErrorCodes.network || error.code === clientErrorCodes.timeout) return true;
  return [429, 502, 503, 504].includes(error.status);
}
