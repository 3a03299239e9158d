import pg from 'pg';
import { assertChannelName } from './db.ts';

type Handler = (payload: string) => void;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * LISTEN for one PostgreSQL Db. A listening session must stay on one connection for as long as it
 * listens, which a pool cannot promise (it hands clients out and reaps idle ones), so this keeps
 * one dedicated `pg.Client` per process and fans its notifications out to every handler. When the
 * connection drops (server restart, network), it reconnects with backoff and LISTENs again;
 * notifications sent while it was down are lost, as NOTIFY keeps none.
 */
export function createPgListener(connectionString: string) {
  const handlers = new Map<string, Set<Handler>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;
  let closed = false;

  const listenSql = (channel: string) => `LISTEN ${pg.escapeIdentifier(channel)}`;

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString, keepAlive: true });
    next.on('notification', (message) => {
      if (message.payload === undefined) return;
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload);
    });
    // Without an 'error' listener a dropped connection would crash the process.
    next.on('error', () => dropped(next));
    next.on('end', () => dropped(next));
    try {
      await next.connect();
      for (const channel of handlers.keys()) await next.query(listenSql(channel));
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      throw new Error('the database is closed');
    }
    return next;
  }

  function ensure(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    connecting ??= connect()
      .then((next) => {
        client = next;
        retryMs = FIRST_RETRY_MS;
        return next;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  function dropped(which: pg.Client) {
    if (client !== which) return;
    client = null;
    which.end().catch(() => {});
    if (handlers.size > 0) scheduleReconnect();
  }

  function scheduleReconnect() {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      ensure().catch(() => {
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        scheduleReconnect();
      });
    }, retryMs);
    retryTimer.unref();
  }

  return {
    async listen(channel: string, onMessage: Handler): Promise<() => Promise<void>> {
      assertChannelName(channel);
      if (closed) throw new Error('the database is closed');
      let set = handlers.get(channel);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onMessage);
      try {
        const connection = await ensure();
        // A connection made just now already LISTENs to every channel; a repeat is harmless.
        if (first) await connection.query(listenSql(channel));
      } catch (error) {
        set.delete(onMessage);
        if (set.size === 0) handlers.delete(channel);
        throw error;
      }
      const handlerSet = set;
      return async () => {
        handlerSet.delete(onMessage);
        if (handlerSet.size > 0 || handlers.get(channel) !== handlerSet) return;
        handlers.delete(channel);
        await client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
      };
    },

    async close(): Promise<void> {
      closed = true;
      clearTimeout(retryTimer);
      handlers.clear();
      const current = client ?? (await connecting?.catch(() => null)) ?? null;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
