import { definePolicies } from '../../platform/auth/policy.ts';
import { APPEAL_ROLES } from '../../platform/auth/roles.ts';

/**
 * Route-level gates. Which action each role may take, in which state and relation to the appeal,
 * is the transition table (appeals.transitions.ts); the admin roles (三权分立) see no appeals, nor do the mediation-only roles (APPEAL_ROLES).
 */
export const appealPolicies = definePolicies({
  'appeals.read': {
    roles: APPEAL_ROLES,
    description: 'list and read the appeals of one’s area or assignments',
  },
  'appeals.export': {
    roles: [
      'district_dispatcher',
      'subdistrict_dispatcher',
      'community_staff',
      'department_handler',
      'leader',
    ],
    description: 'download the appeal list of one’s area as a spreadsheet (journaled)',
  },
  // A view, not a route: the console's supervision board (督办) of overdue work by unit, for those
  // who oversee an area. The appeals behind it are read with appeals.read.
  'appeals.supervise': {
    roles: ['district_dispatcher', 'subdistrict_dispatcher', 'leader', 'community_staff'],
    description: 'see the supervision board: overdue work of one’s area, by unit',
  },
  // A critical appeal calls the nearest walkers on patrol; they answer (我去) and say when they arrive.
  'appeals.alerts': {
    roles: ['grid_worker', 'station_staff', 'community_staff'],
    description: 'answer the alert of a critical appeal near one’s patrol, and record the arrival',
  },
  'appeals.act': {
    roles: APPEAL_ROLES,
    description: 'take actions on appeals, as the transition table allows',
  },
});
