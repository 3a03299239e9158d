import {
  ACTION_BODIES,
  ACTION_NAMES,
  type ActionName,
  type AppealStatus,
  HANDLING_STATUSES,
  LIVE_STATUSES,
  OPEN_STATUSES,
  type Role,
} from '@doorstep/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Machine, Rule } from '../../platform/workflow/index.ts';
import type { AppealAccess } from './appeals.repository.ts';
import type { AppealRow } from './appeals.types.ts';

/**
 * Who may do what to an appeal, in which state — the one table the service, the console's buttons,
 * the policy tests and the docs all read (convention 9). `to: null` keeps the state (notes,
 * reminders, escalation); `to: 'computed'` means the effect decides (e.g. verify passed or not).
 *
 * `who` says which relation the actor must have to the appeal besides a role:
 * - `area`: the appeal's area is inside the actor's subtree (dispatchers, community and grid staff);
 * - `assigned`: the actor's unit (or a co-handler unit) was given the work;
 * - `summoned`: the actor's unit was summoned by an open coordination notice;
 * - `involved`: any of the three (notes: the department doing the work is outside the area);
 * - `overseeing`: in the area and not of the unit given the work (督办, 催办);
 * - `unmarked`: in the area and not yet marked 复杂疑难 (marked once; the deadline moves once).
 */
export type Relation = 'area' | 'assigned' | 'summoned' | 'involved' | 'overseeing' | 'unmarked';

export type Transition = Rule<AppealStatus, Relation>;

const DISPATCHERS: Role[] = ['district_dispatcher', 'subdistrict_dispatcher'];
const AREA_DESK: Role[] = [...DISPATCHERS, 'community_staff', 'station_staff'];
const HANDLERS: Role[] = [
  'department_handler',
  'community_staff',
  'station_staff',
  'grid_worker',
  'mediator',
];
/** Notes and summons apply until the appeal is final. */
const OPEN = LIVE_STATUSES;
/** Given to a unit and not yet resolved: a unit other than the desk holds the work. */
const HELD: readonly AppealStatus[] = ['dispatched', 'claimed', 'in_progress'];
/** The desks of a unit that hands work to its own people (指派): not the field roles themselves. */
const UNIT_DESKS: Role[] = ['department_handler', 'community_staff', 'station_staff'];

function pressedByLeaderBeforeDispatch(actor: Actor, status: AppealStatus): string | null {
  if (HELD.includes(status) || actor.roles.includes('leader')) return null;
  return 'the case is with the desk: take its next step rather than press it (督办 and 催办 are for work given to a unit)';
}

export const transitions = {
  accept: { from: ['submitted'], to: 'accepted', roles: AREA_DESK, who: 'area', label: '受理' },
  reject: { from: ['submitted'], to: 'rejected', roles: AREA_DESK, who: 'area', label: '不予受理' },
  dispatch: {
    from: ['accepted', 'returned', 'reopened'],
    to: 'dispatched',
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'area',
    label: '派单',
  },
  assign: { from: HELD, to: null, roles: UNIT_DESKS, who: 'assigned', label: '指派' },
  claim: { from: ['dispatched'], to: 'claimed', roles: HANDLERS, who: 'assigned', label: '签收' },
  return: {
    from: ['dispatched', 'claimed'],
    to: 'returned',
    roles: HANDLERS,
    who: 'assigned',
    label: '退单',
  },
  start: { from: ['claimed'], to: 'in_progress', roles: HANDLERS, who: 'assigned', label: '开始处置' },
  note: {
    from: OPEN,
    to: null,
    // The hall clerk notes a visitor's return about their case (再次来访询问).
    roles: [...AREA_DESK, ...HANDLERS, 'hall_clerk', 'leader'],
    who: 'involved',
    label: '备注',
  },
  resolve: {
    from: ['claimed', 'in_progress'],
    to: 'resolved',
    roles: HANDLERS,
    who: 'assigned',
    label: '办结',
  },
  verify: {
    from: ['resolved'],
    to: 'computed',
    roles: [...DISPATCHERS, 'community_staff', 'station_staff', 'grid_worker'],
    who: 'area',
    label: '复核',
  },
  close: {
    from: ['verified', 'reopened'],
    to: 'closed',
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'area',
    label: '结案',
  },
  reopen: { from: ['closed'], to: 'reopened', roles: DISPATCHERS, who: 'area', label: '重新打开' },
  recategorize: {
    from: ['submitted', 'accepted', 'returned', 'reopened'],
    to: null,
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'area',
    label: '改类',
  },
  merge: {
    from: ['submitted', 'accepted', 'returned'],
    to: 'merged',
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'area',
    label: '合并',
  },
  'mark-complex': {
    from: ['accepted', 'dispatched', 'claimed', 'in_progress', 'returned', 'reopened'],
    to: null,
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'unmarked',
    label: '标记复杂疑难',
  },
  'request-extension': {
    from: ['claimed', 'in_progress'],
    to: null,
    roles: HANDLERS,
    who: 'assigned',
    label: '申请延期',
  },
  'approve-extension': {
    from: ['claimed', 'in_progress'],
    to: null,
    roles: DISPATCHERS,
    who: 'area',
    label: '批准延期',
  },
  'deny-extension': {
    from: ['claimed', 'in_progress'],
    to: null,
    roles: DISPATCHERS,
    who: 'area',
    label: '驳回延期',
  },
  whistle: {
    from: HANDLING_STATUSES,
    to: null,
    roles: ['grid_worker', 'station_staff', 'community_staff', ...DISPATCHERS, 'leader'],
    who: 'area',
    label: '吹哨',
  },
  'report-in': { from: OPEN, to: null, roles: HANDLERS, who: 'summoned', label: '报到' },
  // 督办 and 催办 press whoever holds the work: never finished work, never by the unit holding it,
  // and before a dispatch only a leader (the desk would press itself).
  supervise: {
    from: OPEN_STATUSES,
    to: null,
    roles: [...DISPATCHERS, 'leader'],
    who: 'overseeing',
    label: '督办',
    guard: pressedByLeaderBeforeDispatch,
  },
  remind: {
    from: OPEN_STATUSES,
    to: null,
    roles: [...DISPATCHERS, 'leader'],
    who: 'overseeing',
    label: '催办',
    guard: pressedByLeaderBeforeDispatch,
  },
} as const satisfies Record<ActionName, Transition>;

// The contract lists the actions (one route and one body schema each); this table gives each its rule.
export { ACTION_NAMES, type ActionName };

/** The appeal as the workflow engine moves it: the row, and the actor's relations to it. */
export type AppealRecord = AppealRow & AppealAccess;

/** The appeal machine, declared for platform/workflow. */
export const appealMachine: Machine<ActionName, AppealStatus, Relation, AppealRecord> = {
  subject: 'appeal',
  noun: 'an appeal',
  transitions,
  bodies: ACTION_BODIES,
  relations: (row) => ({
    area: row.inArea,
    assigned: row.isAssigned,
    summoned: row.isSummoned,
    involved: row.inArea || row.isAssigned || row.isSummoned,
    overseeing: row.inArea && !row.holdsWork,
    unmarked: row.inArea && row.complexAt === null,
  }),
  refusals: {
    area: 'the appeal is outside your area',
    assigned: 'the work is not assigned to your unit',
    summoned: 'your unit was not summoned',
    involved: 'you have no part in this appeal',
    overseeing: 'your unit holds the work: supervision and reminders are for the units above it',
    unmarked: 'the appeal is outside your area, or already marked complex',
  },
};
