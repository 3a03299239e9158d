import type { Role } from '../../platform/auth/roles.ts';
import type { AppealStatus } from './appeals.types.ts';

/**
 * Who may do what to an appeal, in which state — the one table the service, the console's buttons,
 * the policy tests and the docs all read (convention 9). `to: null` keeps the state (notes,
 * reminders, escalation); `to: 'computed'` means the effect decides (e.g. verify passed or not).
 *
 * `who` says which relation the actor must have to the appeal besides a role:
 * - `area`: the appeal's area is inside the actor's subtree (dispatchers, community and grid staff);
 * - `assigned`: the actor's unit (or a co-handler unit) was given the work;
 * - `summoned`: the actor's unit was summoned by an open coordination notice;
 * - `involved`: any of the three (notes: the department doing the work is outside the area).
 */
export type Relation = 'area' | 'assigned' | 'summoned' | 'involved';

export interface Transition {
  from: readonly AppealStatus[];
  to: AppealStatus | null | 'computed';
  roles: readonly Role[];
  who: Relation;
  /** Shown in the console and the public timeline. */
  label: string;
}

const DISPATCHERS: Role[] = ['district_dispatcher', 'subdistrict_dispatcher'];
const AREA_DESK: Role[] = [...DISPATCHERS, 'community_staff', 'station_staff'];
const HANDLERS: Role[] = [
  'department_handler',
  'community_staff',
  'station_staff',
  'grid_worker',
  'mediator',
];
const OPEN: AppealStatus[] = [
  'submitted',
  'accepted',
  'dispatched',
  'claimed',
  'in_progress',
  'resolved',
  'verified',
  'returned',
  'reopened',
];

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
    roles: [...AREA_DESK, ...HANDLERS, 'leader'],
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
  merge: {
    from: ['submitted', 'accepted', 'returned'],
    to: 'merged',
    roles: [...DISPATCHERS, 'community_staff'],
    who: 'area',
    label: '合并',
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
    from: ['accepted', 'dispatched', 'claimed', 'in_progress', 'returned', 'reopened'],
    to: null,
    roles: ['grid_worker', 'station_staff', 'community_staff', ...DISPATCHERS, 'leader'],
    who: 'area',
    label: '吹哨',
  },
  'report-in': { from: OPEN, to: null, roles: HANDLERS, who: 'summoned', label: '报到' },
  supervise: { from: OPEN, to: null, roles: [...DISPATCHERS, 'leader'], who: 'area', label: '督办' },
  remind: { from: OPEN, to: null, roles: [...DISPATCHERS, 'leader'], who: 'area', label: '催办' },
} as const satisfies Record<string, Transition>;

export type ActionName = keyof typeof transitions;
export const ACTION_NAMES = Object.keys(transitions) as ActionName[];
