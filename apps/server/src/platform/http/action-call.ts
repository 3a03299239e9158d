import type { FastifyReply } from 'fastify';
import type { ActOptions } from '../workflow/index.ts';

/**
 * How a workflow action was asked for over HTTP: `If-Match` (the version the caller saw) and
 * `Idempotency-Key` (a phone resending an action it queued offline). A replay is answered with
 * `Idempotent-Replayed: true`, as a repeated submission is.
 */
export function actOptionsOf(
  headers: { 'if-match'?: string; 'idempotency-key'?: string },
  reply: FastifyReply,
): ActOptions {
  const ifMatch = headers['if-match'];
  return {
    expectedVersion: ifMatch ? Number(ifMatch.replace(/\D/g, '')) : undefined,
    idempotencyKey: headers['idempotency-key'],
    onReplay: () => void reply.header('idempotent-replayed', 'true'),
  };
}
