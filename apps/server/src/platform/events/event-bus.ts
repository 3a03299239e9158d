import type { StaffEvent } from '@doorstep/contracts';
import type { Db, Queryable } from '../../db/db.ts';
import type { Clock } from '../clock.ts';

// The notice's shape is part of the API contract (GET /api/v1/events).
export type { StaffEvent };

export type NewStaffEvent = Omit<StaffEvent, 'at'>;

export const EVENTS_CHANNEL = 'doorstep_events';
/** Told to every process when a session ends (logout): its open event streams close at once. */
export const SESSION_ENDED = 'session.ended';
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD_BYTES = 7900;
const TYPE_PATTERN = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;
const PATH_PATTERN = /^\/(\d+\/)*$/;

function isStaffEvent(value: unknown): value is StaffEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.type === 'string' &&
    typeof event.orgPath === 'string' &&
    typeof event.at === 'string' &&
    (event.appealId === undefined || typeof event.appealId === 'string') &&
    (event.disputeId === undefined || typeof event.disputeId === 'string') &&
    (event.sessionId === undefined || typeof event.sessionId === 'string') &&
    (event.assignedOrgIds === undefined ||
      (Array.isArray(event.assignedOrgIds) && event.assignedOrgIds.every(Number.isInteger)))
  );
}

/** Who hears of an event: its org unit lies in the listener's subtree, or names the listener's unit. */
export function eventVisibleTo(listener: { orgPath: string; orgId: number }, event: StaffEvent): boolean {
  return (
    event.orgPath.startsWith(listener.orgPath) || (event.assignedOrgIds?.includes(listener.orgId) ?? false)
  );
}

/**
 * Publish/subscribe over PostgreSQL NOTIFY on both databases. `publish` is `pg_notify` inside the
 * caller's transaction, so an event is delivered when the change it announces commits and never
 * if it rolls back — the database keeps that promise, not our code. On PostgreSQL every app
 * process hears it; on PGlite (one process) its own LISTEN gives the same commit semantics, which
 * an in-process emitter would only have with an after-commit hook we do not have.
 * Each process LISTENs once and fans events out to its subscribers (one per open stream).
 */
export function createEventBus(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const subscribers = new Set<(event: StaffEvent) => void>();
  let listening: Promise<() => Promise<void>> | null = null;

  function deliver(payload: string) {
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isStaffEvent(event)) return;
    for (const subscriber of subscribers) {
      try {
        subscriber(event);
      } catch {
        // One broken stream must not keep the event from the others.
      }
    }
  }

  return {
    async publish(tx: Queryable, input: NewStaffEvent): Promise<void> {
      if (!TYPE_PATTERN.test(input.type)) throw new Error(`invalid event type "${input.type}"`);
      if (!PATH_PATTERN.test(input.orgPath)) throw new Error(`invalid org path "${input.orgPath}"`);
      const event: StaffEvent = { ...input, at: clock.now().toISOString() };
      const payload = JSON.stringify(event);
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        throw new Error(`event ${input.type} is too large for NOTIFY; send ids, not records`);
      }
      await tx.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);
    },

    /** Calls `onEvent` for every event from now on, until the returned function is called. */
    async subscribe(onEvent: (event: StaffEvent) => void): Promise<() => void> {
      subscribers.add(onEvent);
      try {
        listening ??= db.listen(EVENTS_CHANNEL, deliver);
        await listening;
      } catch (error) {
        listening = null;
        subscribers.delete(onEvent);
        throw error;
      }
      return () => {
        subscribers.delete(onEvent);
      };
    },

    /** Open subscriptions in this process (one per live stream). */
    subscriberCount(): number {
      return subscribers.size;
    },

    /** Stops listening (before the database closes). */
    async close(): Promise<void> {
      subscribers.clear();
      const current = listening;
      listening = null;
      if (current) await (await current.catch(() => null))?.();
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
