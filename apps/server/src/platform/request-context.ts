import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** Where the request being served came from: what the security journal records with each event. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestOrigin>();

/**
 * The origin of the HTTP request this code runs for, or undefined outside one (CLI, jobs).
 * Lets the journal stamp every security event with IP and user agent without each service
 * threading them through its signature.
 */
export function currentRequestOrigin(): RequestOrigin | undefined {
  return storage.getStore();
}

/**
 * Opens the context once the body is read (preValidation), so the handler and everything it
 * awaits run inside it; earlier hooks resume from socket events, which would lose it.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    storage.run(
      { ip: request.ip ?? null, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null },
      () => done(),
    );
  });
}
