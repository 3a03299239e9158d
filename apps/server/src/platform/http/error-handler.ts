import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorBody } from '../errors.ts';

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
};

function body(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/**
 * Errors Fastify meets before routing (a path that is no valid percent-encoding, a broken
 * constraint): passed to `Fastify({ frameworkErrors })`, so they too carry the error model.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const code = error.code === 'FST_ERR_BAD_URL' ? 'bad_url' : 'bad_request';
  const message =
    error.code === 'FST_ERR_BAD_URL' ? 'the path is not valid percent-encoded UTF-8' : error.message;
  return reply
    .status(error.statusCode && error.statusCode < 500 ? error.statusCode : 400)
    .send(body(code, message));
}

/**
 * One error model for every reply. Client mistakes get their 4xx with a precise message; anything
 * else is logged in full and answered with a generic 500 — no stack trace or SQL reaches a client.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  fallback: ((request: FastifyRequest, reply: FastifyReply) => boolean) | null = null,
) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      if (error.code === 'account_locked' && typeof error.details.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(error.details.retryAfterSeconds));
      }
      return reply.status(error.httpStatus).send(body(error.code, error.message, error.details));
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      return reply.status(400).send(
        body('validation_failed', `the request ${fastifyError.validationContext ?? 'input'} is not valid`, {
          in: fastifyError.validationContext,
          issues: fastifyError.validation.map((issue) => ({
            path: issue.instancePath || '/',
            message: issue.message,
            ...(issue.params && Object.keys(issue.params).length ? { params: issue.params } : {}),
          })),
        }),
      );
    }
    // A unique index caught a race two requests ran at once.
    if ((error as { code?: string }).code === '23505') {
      return reply.status(409).send(body('conflict', 'this record already exists'));
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[fastifyError.code] ?? (status === 429 ? 'rate_limited' : 'bad_request');
      return reply.status(status).send(body(code, fastifyError.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('internal', 'something went wrong on our side; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return;
    reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
