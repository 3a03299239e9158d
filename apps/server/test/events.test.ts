import type { AddressInfo } from 'node:net';
import fastifyCookie from '@fastify/cookie';
import type { EventSourceMessage } from 'eventsource-parser/stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import { createEventBus, eventRoutes, type NewStaffEvent } from '../src/platform/events/index.ts';
import { registerErrorHandler } from '../src/platform/http/error-handler.ts';
import { registerGuard } from '../src/platform/http/guard.ts';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import { openStream } from './support/sse.ts';

/*
 * The staff console keeps GET /api/v1/events open and refetches what a notice names. A notice
 * goes only to staff whose subtree holds the appeal (or whose unit it was dispatched to), and
 * only once the change it announces has committed.
 */

let h: Harness;
let baseUrl: string;
const tokens: Record<string, string> = {};
const actors: Record<string, Actor> = {};

function urlOf(app: FastifyInstance) {
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  h = await createHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = urlOf(h.app);
  for (const username of ['street-dispatcher', 'street2-dispatcher', 'community-worker', 'dept-handler']) {
    tokens[username] = await h.login(username);
    actors[username] = await h.services.auth.authenticate(tokens[username]!);
  }
});
afterAll(() => h?.close());

const eventsUrl = () => `${baseUrl}/api/v1/events`;
const publish = (event: NewStaffEvent, db: Db = h.services.db, bus = h.services.events) =>
  db.transaction((tx) => bus.publish(tx, event));
const marker = (name: string) => (m: EventSourceMessage) => m.data.includes(`"appealId":"${name}"`);

describe('GET /api/v1/events', () => {
  test('anonymous callers get 401 and no stream', async () => {
    const stream = await openStream(eventsUrl());
    expect(stream.status).toBe(401);
    expect(stream.contentType).toContain('application/json');
  });

  test('the 光明街道 dispatcher hears of an appeal in 光明社区 and not of one in 公明街道', async () => {
    const street1 = actors['street-dispatcher']!;
    const street2 = actors['street2-dispatcher']!;
    const community = actors['community-worker']!;
    expect(community.orgPath.startsWith(street1.orgPath)).toBe(true);

    const s1 = await openStream(eventsUrl(), bearer(tokens['street-dispatcher']!));
    const s2 = await openStream(eventsUrl(), bearer(tokens['street2-dispatcher']!));
    try {
      expect(s1.status).toBe(200);
      expect(s1.contentType).toBe('text/event-stream; charset=utf-8');
      expect(s1.retry).toBe(5000);
      // The other subdistrict's notice goes first: had it been forwarded, it would arrive first too.
      await publish({ type: 'appeal.created', orgPath: `${street2.orgPath}`, appealId: 'GM-2' });
      await publish({ type: 'appeal.created', orgPath: community.orgPath, appealId: 'GM-1' });
      await s1.waitFor(marker('GM-1'));
      await s2.waitFor(marker('GM-2'));
      expect(s1.notices()).toEqual([
        {
          type: 'appeal.created',
          orgPath: community.orgPath,
          appealId: 'GM-1',
          at: h.clock.now().toISOString(),
        },
      ]);
      expect(s2.notices().map((n) => n.appealId)).toEqual(['GM-2']);
    } finally {
      s1.close();
      s2.close();
    }
  });

  test('a department hears of the appeals dispatched to it, outside its own subtree', async () => {
    const dept = actors['dept-handler']!;
    const community = actors['community-worker']!;
    const stream = await openStream(eventsUrl(), bearer(tokens['dept-handler']!));
    try {
      await publish({ type: 'appeal.updated', orgPath: community.orgPath, appealId: 'not-ours' });
      await publish({
        type: 'appeal.updated',
        orgPath: community.orgPath,
        appealId: 'dispatched',
        assignedOrgIds: [dept.orgId],
      });
      await stream.waitFor(marker('dispatched'));
      expect(stream.notices().map((n) => n.appealId)).toEqual(['dispatched']);
    } finally {
      stream.close();
    }
  });

  test('a change that rolls back is never announced', async () => {
    const community = actors['community-worker']!;
    const stream = await openStream(eventsUrl(), bearer(tokens['community-worker']!));
    try {
      await expect(
        h.services.db.transaction(async (tx) => {
          await h.services.events.publish(tx, {
            type: 'appeal.created',
            orgPath: community.orgPath,
            appealId: 'ghost',
          });
          throw new Error('validation failed after the notice');
        }),
      ).rejects.toThrow();
      await publish({ type: 'appeal.created', orgPath: community.orgPath, appealId: 'real' });
      await stream.waitFor(marker('real'));
      expect(stream.notices().map((n) => n.appealId)).toEqual(['real']);
    } finally {
      stream.close();
    }
  });

  test('a client that goes away leaves no subscription behind', async () => {
    const settle = async (count: number) => {
      const deadline = Date.now() + 5000;
      while (h.services.events.subscriberCount() !== count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return h.services.events.subscriberCount();
    };
    // The earlier tests' streams are closing too.
    expect(await settle(0)).toBe(0);
    const stream = await openStream(eventsUrl(), bearer(tokens['street-dispatcher']!));
    expect(h.services.events.subscriberCount()).toBe(1);
    stream.close();
    expect(await settle(0)).toBe(0);
  });
});

/** The events route alone on a listening app of its own, with the timers a test needs. */
async function eventsApp(timers: {
  heartbeatMs?: number;
  sessionCheckMs?: number;
}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyCookie);
  registerGuard(app, { authenticate: h.services.auth.authenticate, authorizer: h.services.authorizer });
  registerErrorHandler(app);
  await app.register(
    eventRoutes({
      bus: h.services.events,
      authenticate: h.services.auth.authenticate,
      authorizer: h.services.authorizer,
      ...timers,
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

describe('a long-lived stream', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // The same route with short timers, so heartbeats and session checks happen within a test.
    app = await eventsApp({ heartbeatMs: 50, sessionCheckMs: 100 });
  });
  afterAll(() => app?.close());

  test('sends heartbeats and ends when the user logs out elsewhere', async () => {
    const token = await h.login('street-dispatcher');
    const stream = await openStream(`${urlOf(app)}/api/v1/events`, bearer(token));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stream.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
      const logout = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(token),
      });
      expect(logout.statusCode).toBeLessThan(300);
      const end = await stream.waitFor((m) => m.event === 'end', 3000);
      expect(JSON.parse(end.data)).toEqual({ reason: 'session_ended' });
      await stream.ended;
    } finally {
      stream.close();
    }
  });

  test('a logout ends the stream at once, not at the next session check (issue #19, finding 9)', async () => {
    // The production app's stream re-checks its session only every minute; the logout tells it.
    const slow = await eventsApp({ sessionCheckMs: 60 * 60_000 });
    const token = await h.login('street-dispatcher');
    const other = await h.login('street-dispatcher');
    const stream = await openStream(`${urlOf(slow)}/api/v1/events`, bearer(token));
    const kept = await openStream(`${urlOf(slow)}/api/v1/events`, bearer(other));
    try {
      await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
      const end = await stream.waitFor((m) => m.event === 'end', 3000);
      expect(JSON.parse(end.data)).toEqual({ reason: 'session_ended' });
      // The same user's other session keeps its stream.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(kept.messages.some((m) => m.event === 'end')).toBe(false);
    } finally {
      stream.close();
      kept.close();
      await slow.close();
    }
  });

  test('server shutdown ends open streams instead of waiting for them', async () => {
    const token = await h.login('street-dispatcher');
    const stream = await openStream(`${urlOf(app)}/api/v1/events`, bearer(token));
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    const end = await stream.waitFor((m) => m.event === 'end', 3000);
    expect(JSON.parse(end.data)).toEqual({ reason: 'server_shutdown' });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('several app processes on PostgreSQL', () => {
  test('a notice published by another process reaches the stream', async () => {
    const otherDb = await openPostgres(h.testDb.url!, { max: 2 });
    const otherBus = createEventBus({ db: otherDb, clock: h.clock });
    const stream = await openStream(eventsUrl(), bearer(tokens['street-dispatcher']!));
    try {
      const community = actors['community-worker']!;
      await publish(
        { type: 'appeal.created', orgPath: community.orgPath, appealId: 'from-node-2' },
        otherDb,
        otherBus,
      );
      await stream.waitFor(marker('from-node-2'));
    } finally {
      stream.close();
      await otherDb.close();
    }
  });

  test('after the listening connection drops, notices flow again once it reconnects', async () => {
    const stream = await openStream(eventsUrl(), bearer(tokens['street-dispatcher']!));
    try {
      const killed = await h.services.db.many<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
         WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(killed.length).toBeGreaterThan(0);
      const community = actors['community-worker']!;
      const deadline = Date.now() + 10_000;
      for (let i = 0; ; i++) {
        await publish({ type: 'appeal.updated', orgPath: community.orgPath, appealId: `after-drop-${i}` });
        const got = await stream.waitFor((m) => m.data.includes('after-drop-'), 200).catch(() => null);
        if (got) break;
        if (Date.now() > deadline) throw new Error('the listener did not reconnect within 10 s');
      }
    } finally {
      stream.close();
    }
  });
});
