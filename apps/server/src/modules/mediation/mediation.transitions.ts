import {
  DISPUTE_ACTION_BODIES,
  type DisputeActionName,
  type DisputeStatus,
  type Role,
} from '@doorstep/contracts';
import type { Machine, Rule } from '../../platform/workflow/index.ts';
import type { DisputeRecord } from './mediation.types.ts';

/**
 * Who may do what to a dispute case, in which state: the one table the service, the console's
 * buttons and the policy tests read (convention 9).
 *
 * `who` — the relation the actor must have to the case besides a role:
 * - `area`: the holding unit is inside the actor's subtree (the committee, the centre, dispatchers);
 * - `mediating`: the actor is the case's mediator;
 * - `staff`: either of the two;
 * - `summoned`: the actor's unit was summoned by a whistle on the case (报到), or the actor mediates
 *   it (the mediator records a party who came);
 * - `involved`: any part in the case (notes);
 * - `court`: the case was filed with the court (the court liaison records the ruling).
 */
export type Relation = 'area' | 'mediating' | 'staff' | 'summoned' | 'involved' | 'court';

type Transition = Rule<DisputeStatus, Relation>;

const DISPATCHERS: Role[] = ['district_dispatcher', 'subdistrict_dispatcher'];
/** Who takes a case in at a desk: the committee's mediators and the area's staff. */
const DESK: Role[] = ['mediator', 'community_staff', 'station_staff', 'grid_worker', ...DISPATCHERS];
const MEDIATION_STAFF: Role[] = ['mediator', 'legal_adviser'];
/** States in which the case is still being worked on. */
const OPEN: DisputeStatus[] = ['registered', 'accepted', 'in_mediation'];
const LIVE: DisputeStatus[] = [
  ...OPEN,
  'agreed',
  'confirmation_requested',
  'confirmed',
  'confirmation_rejected',
  'fulfilled',
  'failed',
];

export const disputeTransitions = {
  accept: { from: ['registered'], to: 'accepted', roles: DESK, who: 'area', label: '受理' },
  assign: {
    from: ['registered', 'accepted', 'in_mediation'],
    to: null,
    roles: ['mediator', 'community_staff', ...DISPATCHERS],
    who: 'area',
    label: '指派调解员',
  },
  'schedule-session': {
    from: ['accepted', 'in_mediation'],
    to: 'in_mediation',
    roles: MEDIATION_STAFF,
    who: 'mediating',
    label: '安排调解',
  },
  'record-session': {
    from: ['in_mediation'],
    to: null,
    roles: MEDIATION_STAFF,
    who: 'mediating',
    label: '记录调解',
  },
  escalate: {
    from: OPEN,
    to: 'registered',
    roles: ['mediator', 'community_staff', 'grid_worker', 'station_staff', 'subdistrict_dispatcher'],
    who: 'staff',
    label: '上报上一级',
  },
  whistle: {
    from: ['accepted', 'in_mediation'],
    to: null,
    roles: ['mediator', 'grid_worker', 'station_staff', 'community_staff', ...DISPATCHERS, 'leader'],
    who: 'staff',
    label: '吹哨',
  },
  'report-in': {
    from: OPEN,
    to: null,
    roles: ['department_handler', 'community_staff', 'station_staff', 'grid_worker', 'mediator'],
    who: 'summoned',
    label: '报到',
  },
  agree: { from: ['in_mediation'], to: 'agreed', roles: ['mediator'], who: 'mediating', label: '达成协议' },
  'confirm-agreement': {
    from: ['agreed'],
    to: null,
    roles: MEDIATION_STAFF,
    who: 'mediating',
    label: '当事人确认协议',
  },
  'request-confirmation': {
    from: ['agreed'],
    to: 'confirmation_requested',
    roles: MEDIATION_STAFF,
    who: 'mediating',
    label: '申请司法确认',
  },
  'record-ruling': {
    from: ['confirmation_requested'],
    to: 'computed',
    roles: ['court_liaison'],
    who: 'court',
    label: '登记法院裁定',
  },
  'record-payment': {
    from: ['agreed', 'confirmed', 'confirmation_rejected'],
    to: 'computed',
    roles: MEDIATION_STAFF,
    who: 'mediating',
    label: '登记履行',
  },
  fail: {
    from: ['accepted', 'in_mediation'],
    to: 'failed',
    roles: ['mediator'],
    who: 'mediating',
    label: '调解不成',
  },
  extend: {
    from: ['in_mediation'],
    to: null,
    roles: ['mediator'],
    who: 'mediating',
    label: '延长调解期限',
  },
  note: {
    from: LIVE,
    to: null,
    roles: [...DESK, 'legal_adviser', 'department_handler', 'leader'],
    who: 'involved',
    label: '备注',
  },
  close: {
    from: ['fulfilled', 'failed', 'confirmation_rejected'],
    to: 'closed',
    roles: ['mediator', 'community_staff', ...DISPATCHERS],
    who: 'staff',
    label: '结案',
  },
} as const satisfies Record<DisputeActionName, Transition>;

/** The case machine, declared for platform/workflow. */
export const disputeMachine: Machine<DisputeActionName, DisputeStatus, Relation, DisputeRecord> = {
  subject: 'dispute',
  noun: 'a dispute case',
  transitions: disputeTransitions,
  bodies: DISPUTE_ACTION_BODIES,
  relations: (c) => ({
    area: c.inArea,
    mediating: c.isMediator,
    staff: c.inArea || c.isMediator,
    summoned: c.isSummoned || c.isMediator,
    involved: c.inArea || c.isMediator || c.isSummoned,
    court: c.courtReference !== null && c.inArea,
  }),
  refusals: {
    area: 'the case is held outside your area',
    mediating: 'you are not this case’s mediator',
    staff: 'the case is held outside your area',
    summoned: 'your unit was not summoned to this case',
    involved: 'you have no part in this case',
    court: 'the case was not filed with the court',
  },
};
