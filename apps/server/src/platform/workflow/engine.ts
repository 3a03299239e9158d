import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Value } from 'typebox/value';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../auth/actor.ts';
import type { Clock } from '../clock.ts';
import { AppError, errors } from '../errors.ts';
import type { NewStaffEvent } from '../events/event-bus.ts';
import type { Journal } from '../journal/index.ts';
import { isAction, type Machine, permits, unknownAction, type WorkflowRecord } from './machine.ts';
import { createReceiptRepository } from './receipts.repository.ts';

/** How one call of `act` is made: the version the caller saw, and its retry key. */
export interface ActOptions {
  expectedVersion?: number;
  /**
   * The client's Idempotency-Key. The same key again, for the same action on the same record with
   * the same body, answers without acting twice (and before the version check: the first attempt
   * changed the version); for anything else, 422 idempotency_key_reused.
   */
  idempotencyKey?: string;
  /** Told when the call was such a replay (the HTTP route says so in a header). */
  onReplay?: () => void;
}

/** What an action's effect decides: the change to save and what the journal keeps of it. */
export interface EffectResult<Patch> {
  patch: Patch;
  /** Journal data: no personal data, since the journal is kept for years. */
  data?: Record<string, unknown>;
}

export interface EffectContext<Rec, Prepared> {
  tx: Queryable;
  actor: Actor;
  record: Rec;
  now: Date;
  /** What `prepare` read before the transaction. */
  pre: Prepared;
}

/**
 * A module's side of the engine: how to read and save its records, what each action does, and
 * what it does after the change is saved (attachments, messages to the resident).
 */
export interface WorkflowSpec<
  A extends string,
  S extends string,
  Rel extends string,
  Rec extends WorkflowRecord<S>,
  Patch extends { status?: S },
  Prepared,
  Result extends EffectResult<Patch>,
> {
  machine: Machine<A, S, Rel, Rec>;
  db: Db;
  journal: Journal;
  clock: Clock;
  events: { publish(tx: Queryable, event: NewStaffEvent): Promise<void> };
  /**
   * Reads done before the transaction (a neighbour's lookups use their own handles, which must not
   * run inside ours); throws not-found when the actor cannot see the record.
   */
  prepare(actor: Actor, id: string, body: Record<string, unknown>): Promise<Prepared>;
  /** The record as this actor sees it, locked for the transaction; undefined when out of reach. */
  load(tx: Queryable, id: string, actor: Actor): Promise<Rec | undefined>;
  /** Saves the patch if the record is still at `version`; false when someone changed it first. */
  save(tx: Queryable, record: Rec, patch: Patch, now: Date): Promise<boolean>;
  effects: { [K in A]: (ctx: EffectContext<Rec, Prepared>, body: never) => Promise<Result> };
  /** Work that follows a saved change, in the same transaction; may add journal data. */
  applied?(
    ctx: EffectContext<Rec, Prepared> & { action: A },
    result: Result,
  ): Promise<Record<string, unknown> | undefined>;
  /** The change notice staff screens receive. */
  event(record: Rec, result: Result): NewStaffEvent;
}

const conflict = (subject: string, details: Record<string, unknown> = {}) =>
  new AppError(
    'version_conflict',
    409,
    `someone changed this ${subject} first; reload and try again`,
    details,
  );

/**
 * The engine every stateful module runs on. `act` checks the action, its body, the actor's role,
 * relation and the record's state and version, runs the module's effect, saves with the version
 * bumped, writes the journal entry and publishes the event — all in one transaction, so a change
 * is never saved without its journal entry, nor journaled without being saved.
 */
export function createWorkflow<
  A extends string,
  S extends string,
  Rel extends string,
  Rec extends WorkflowRecord<S>,
  Patch extends { status?: S },
  Prepared,
  Result extends EffectResult<Patch>,
>(spec: WorkflowSpec<A, S, Rel, Rec, Patch, Prepared, Result>) {
  const { machine, journal, clock } = spec;

  /** The body checked against the action's schema: the HTTP route checks it too, the CLI and jobs do not. */
  function bodyOf(action: A, body: unknown): Record<string, unknown> {
    const schema = machine.bodies[action];
    const input = body ?? {};
    if (!Value.Check(schema, input)) {
      const issues = [...Value.Errors(schema, input)]
        .slice(0, 10)
        .map((e) => ({ path: e.instancePath || '/', message: e.message }));
      throw errors.validation(`the body of “${action}” is not valid`, { issues });
    }
    return input as Record<string, unknown>;
  }

  return {
    /**
     * Applies one action to one record; answers the record's id, and whether this was a replay of
     * an earlier call with the same Idempotency-Key (then nothing was done).
     */
    async act(
      actor: Actor,
      id: string,
      action: string,
      body: unknown,
      options: ActOptions = {},
    ): Promise<{ id: string; replayed: boolean }> {
      const { expectedVersion } = options;
      // Keys belong to people: the platform's own jobs (no user) never resend.
      const idempotencyKey = actor.userId ? options.idempotencyKey : undefined;
      const userId = actor.userId ?? '';
      if (!isAction(machine, action)) throw unknownAction(machine, action);
      const input = bodyOf(action, body);
      const receipt = idempotencyKey
        ? {
            subjectType: machine.subject,
            subjectId: id,
            action,
            bodyHash: createHash('sha256')
              .update(canonicalize(input) ?? '')
              .digest('hex'),
          }
        : undefined;
      /** True when this key already did this very thing; throws when it did something else. */
      const isReplay = async (q: Queryable) => {
        if (!idempotencyKey || !receipt) return false;
        const earlier = await createReceiptRepository(q).find(userId, idempotencyKey);
        if (!earlier) return false;
        const same = (Object.keys(receipt) as (keyof typeof receipt)[]).every(
          (k) => earlier[k] === receipt[k],
        );
        if (same) return true;
        throw new AppError(
          'idempotency_key_reused',
          422,
          'this Idempotency-Key was used for a different action or body',
          { action: earlier.action },
        );
      };
      const replayed = () => {
        options.onReplay?.();
        return { id, replayed: true };
      };
      // Before anything else: the first attempt may have taken the record out of reach (退单).
      if (await isReplay(spec.db)) return replayed();
      const pre = await spec.prepare(actor, id, input);
      return spec.db.transaction(async (tx) => {
        const record = await spec.load(tx, id, actor);
        if (!record) throw errors.notFound(`the ${machine.subject}`, { id });
        // Again once the record is locked: a racing duplicate waited for the first and sees its receipt.
        if (await isReplay(tx)) return replayed();
        const refused = permits(machine, actor, record, action);
        if (refused) throw refused;
        if (expectedVersion !== undefined && expectedVersion !== record.version) {
          throw conflict(machine.subject, { expected: expectedVersion, current: record.version });
        }
        const now = clock.now();
        const ctx = { tx, actor, record, now, pre };
        const effect = spec.effects[action] as (c: typeof ctx, b: unknown) => Promise<Result>;
        const result = await effect(ctx, input);
        if (!(await spec.save(tx, record, result.patch, now))) throw conflict(machine.subject);
        const extra = (await spec.applied?.({ ...ctx, action }, result)) ?? {};
        await journal.append(tx, {
          stream: `${machine.subject}:${record.id}`,
          action: `${machine.subject}.${action}`,
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: machine.subject,
          subjectId: record.id,
          data: { from: record.status, to: result.patch.status ?? record.status, ...result.data, ...extra },
        });
        await spec.events.publish(tx, spec.event(record, result));
        if (idempotencyKey && receipt) {
          await createReceiptRepository(tx).record(userId, idempotencyKey, receipt, now);
        }
        return { id: record.id, replayed: false };
      });
    },
  };
}

/**
 * Takes an action, then reads the record back for the caller. An action can take the record out
 * of the caller's reach (a unit returning its work, a case escalated to the next tier): the caller
 * then gets `outOfReach()` — the record's new state without the detail — instead of a 404.
 */
export async function actThenRead<T, U>(
  act: () => Promise<unknown>,
  read: () => Promise<T>,
  outOfReach: () => Promise<U>,
): Promise<T | U> {
  await act();
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof AppError) || error.httpStatus !== 404) throw error;
    return outOfReach();
  }
}
