import type { TSchema } from 'typebox';
import type { Actor } from '../auth/actor.ts';
import type { Role } from '../auth/roles.ts';
import { AppError } from '../errors.ts';

/**
 * One action of a state machine, declared as data: the states it starts from, the state it leads
 * to (`null` keeps the state: notes, reminders; `computed`: the effect decides, e.g. verify), the
 * roles that may take it and the relation the actor must have to the record besides a role.
 */
export interface Rule<State extends string, Relation extends string> {
  from: readonly State[];
  to: State | null | 'computed';
  roles: readonly Role[];
  who: Relation;
  /** Shown in the console and the public timeline. */
  label: string;
  /**
   * A last condition on who and when, for what the table cannot say (督办 before a dispatch is for
   * a leader, not for the desk that takes the next step itself): the refusal's message, or null.
   */
  guard?: (actor: Actor, status: State) => string | null;
}

/** What the engine needs of any record it moves: its id, its state and its optimistic version. */
export interface WorkflowRecord<State extends string> {
  id: string;
  status: State;
  version: number;
}

/**
 * A module's machine: its transition table, each action's body schema, and how an actor relates
 * to one of its records. The engine reads only this; the rules stay in the module.
 */
export interface Machine<
  Action extends string,
  State extends string,
  Relation extends string,
  Rec extends WorkflowRecord<State>,
> {
  /** Journal streams are `<subject>:<id>`, actions `<subject>.<action>`, subjectType `<subject>`. */
  subject: string;
  /** For messages: “your role may not dispatch an appeal”. */
  noun: string;
  transitions: { readonly [A in Action]: Rule<State, Relation> };
  bodies: { readonly [A in Action]: TSchema };
  /** Which relations the actor has to the record (the record was loaded for this actor). */
  relations(record: Rec): Record<Relation, boolean>;
  /** Why an action is refused when the relation is missing: “the appeal is outside your area”. */
  refusals: Record<Relation, string>;
}

export type ActionOf<M> = M extends Machine<infer A, string, string, never> ? A : never;

/** Whether any of the roles may take the action at all, whatever the record (inboxes, menus). */
export function roleMayTake<A extends string>(
  machine: { transitions: { readonly [K in A]: { roles: readonly Role[] } } },
  roles: readonly Role[],
  action: A,
): boolean {
  const allowed = machine.transitions[action].roles;
  return roles.some((role) => allowed.includes(role));
}

/** The answer to a name that is no action of the machine: 404, listing the actions that are. */
export function unknownAction(machine: { transitions: object }, action: string): AppError {
  return new AppError('unknown_action', 404, `there is no action “${action}”`, {
    actions: Object.keys(machine.transitions),
  });
}

/** Why an actor may not take an action now: their role, the record's state, their relation to it, or the rule's guard. */
type Refusal = 'role' | 'state' | 'relation' | 'guard';

function refusalOf<A extends string, S extends string, Rel extends string, Rec extends WorkflowRecord<S>>(
  machine: Machine<A, S, Rel, Rec>,
  actor: Actor,
  record: Rec,
  action: A,
): Refusal | null {
  const rule = machine.transitions[action];
  if (!roleMayTake(machine, actor.roles, action)) return 'role';
  // The state before the relation: a record nobody is assigned to cannot be claimed by anyone,
  // and “not in this state” is the true answer. The caller already sees the record (it was found
  // through one of their relations), so its state tells them nothing new.
  if (!rule.from.includes(record.status)) return 'state';
  if (!machine.relations(record)[rule.who]) return 'relation';
  if (rule.guard?.(actor, record.status)) return 'guard';
  return null;
}

/** Null when the actor may take the action on the record now; else the refusal to answer with. */
export function permits<
  A extends string,
  S extends string,
  Rel extends string,
  Rec extends WorkflowRecord<S>,
>(machine: Machine<A, S, Rel, Rec>, actor: Actor, record: Rec, action: A): AppError | null {
  const rule = machine.transitions[action];
  switch (refusalOf(machine, actor, record, action)) {
    case null:
      return null;
    case 'role':
      return new AppError('action_not_allowed', 403, `your role may not ${action} ${machine.noun}`, {
        action,
      });
    case 'state':
      return new AppError(
        'illegal_transition',
        409,
        `${machine.noun} that is ${record.status} cannot be given “${action}”`,
        { action, status: record.status, allowedFrom: rule.from },
      );
    case 'relation':
      return new AppError('action_not_allowed', 403, machine.refusals[rule.who], { action });
    case 'guard':
      return new AppError('action_not_allowed', 403, rule.guard!(actor, record.status)!, { action });
  }
}

/**
 * Exactly the actions the actor may take on the record now, in the table's order. It asks for the
 * reason only, never builds the refusal: an error (with its stack trace) per action not offered
 * was 3 % of the server's CPU in the detail benchmark (bench/README.md).
 */
export function availableActions<
  A extends string,
  S extends string,
  Rel extends string,
  Rec extends WorkflowRecord<S>,
>(machine: Machine<A, S, Rel, Rec>, actor: Actor, record: Rec): A[] {
  return (Object.keys(machine.transitions) as A[]).filter(
    (action) => refusalOf(machine, actor, record, action) === null,
  );
}

/** True when the machine has an action of this name (an own key, never a prototype's). */
export function isAction<A extends string>(
  machine: { transitions: { readonly [K in A]: unknown } },
  name: string,
): name is A {
  return Object.hasOwn(machine.transitions, name);
}
