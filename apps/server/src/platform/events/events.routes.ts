import type { ServerResponse } from 'node:http';
import { errorReplies, SECURITY } from '@doorstep/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../auth/actor.ts';
import type { Authorizer } from '../auth/policy.ts';
import { actorOf, SESSION_COOKIE } from '../http/guard.ts';
import { type EventBus, eventVisibleTo, SESSION_ENDED, type StaffEvent } from './event-bus.ts';

export interface EventRoutesDeps {
  bus: EventBus;
  /** Resolves the actor of a still-valid session; rejects once it has ended. */
  authenticate(token: string): Promise<Actor>;
  authorizer: Authorizer;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
  /** How often an open stream re-checks its session (logout, idle or lifetime end, disabled user). */
  sessionCheckMs?: number;
  /** The reconnection delay suggested to EventSource. */
  retryMs?: number;
}

const PERMISSION = 'events.read';
// A client that stops reading is dropped rather than buffered without bound; it reconnects and refetches.
const MAX_BUFFERED_BYTES = 1 << 20;

/** The same two places the guard reads a token from (it does not export its helper). */
function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

/**
 * One open text/event-stream. Written by hand on `reply.raw` (after `reply.hijack()`): the framing
 * is three kinds of line (`retry:`, `event:`/`data:`, `:` comments), and what matters — session
 * re-checks, heartbeats, scope filtering, cleanup — is ours whichever helper writes the bytes.
 */
function openStream(res: ServerResponse, retryMs: number) {
  let open = true;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  const write = (chunk: string) => {
    if (!open) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      open = false;
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  write(`retry: ${retryMs}\n\n`);
  return {
    get open() {
      return open && !res.destroyed;
    },
    /** Data is always one line of JSON, so it needs no further escaping. */
    send: (data: unknown, event?: string) =>
      write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`),
    comment: (text: string) => write(`: ${text}\n\n`),
    end(reason: string) {
      if (!open) return;
      write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      open = false;
      res.end();
    },
  };
}

export function eventRoutes(deps: EventRoutesDeps) {
  const heartbeatMs = deps.heartbeatMs ?? 25_000;
  const sessionCheckMs = deps.sessionCheckMs ?? 60_000;
  const retryMs = deps.retryMs ?? 5_000;

  return async (app: FastifyInstance) => {
    const streams = new Set<{ end(reason: string): void }>();
    // Open streams would hold app.close() until the shutdown grace runs out: end them first.
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.end('server_shutdown');
    });

    app.get(
      '/api/v1/events',
      {
        config: { permission: PERMISSION },
        schema: {
          tags: ['events'],
          security: SECURITY,
          summary: 'Live change notices of the caller’s subtree (server-sent events)',
          description:
            'A text/event-stream. Each unnamed event carries one JSON notice ' +
            '`{ type, orgPath, appealId?, assignedOrgIds?, at }` of the caller’s subtree, or naming the ' +
            'caller’s unit; refetch what it names. `event: ready` once listening; `: ping` comments every ' +
            '25 s; `event: end` with a reason (session_ended, server_shutdown) before the server closes it.',
          response: {
            200: {
              description: 'the event stream',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
            ...errorReplies(401, 403),
          },
        },
      },
      async (request, reply) => {
        let actor = actorOf(request);
        const token = tokenOf(request)!;
        // Subscribe before answering, so a failure is still an ordinary error reply; events that
        // arrive before the stream is open are held until it is.
        const held: StaffEvent[] = [];
        let stream: ReturnType<typeof openStream> | null = null;
        const unsubscribe = await deps.bus.subscribe((event) => {
          // A logout anywhere ends this stream now, not at the next session check.
          if (event.type === SESSION_ENDED) {
            if (event.sessionId && event.sessionId === actor.sessionId) stream?.end('session_ended');
            return;
          }
          if (!eventVisibleTo(actor, event)) return;
          if (stream) stream.send(event);
          else held.push(event);
        });

        reply.hijack();
        const res = reply.raw;
        const opened = openStream(res, retryMs);
        stream = opened;
        opened.send({}, 'ready');
        for (const event of held) opened.send(event);

        const heartbeat = setInterval(() => opened.comment('ping'), heartbeatMs);
        const sessionCheck = setInterval(async () => {
          try {
            const current = await deps.authenticate(token);
            if (!deps.authorizer.allows(current, PERMISSION)) opened.end('forbidden');
            // The user may have moved to another unit: the scope follows.
            else actor = current;
          } catch {
            opened.end('session_ended');
          }
        }, sessionCheckMs);
        heartbeat.unref();
        sessionCheck.unref();
        streams.add(opened);
        res.on('close', () => {
          clearInterval(heartbeat);
          clearInterval(sessionCheck);
          streams.delete(opened);
          unsubscribe();
        });
        return reply;
      },
    );
  };
}
