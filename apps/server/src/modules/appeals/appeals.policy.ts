import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

/**
 * Route-level gates. Which action each role may take, in which state and relation to the appeal,
 * is the transition table (appeals.transitions.ts); the admin roles (三权分立) see no appeals.
 */
export const appealPolicies = definePolicies({
  'appeals.read': {
    roles: BUSINESS_ROLES,
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
  'appeals.act': {
    roles: BUSINESS_ROLES,
    description: 'take actions on appeals, as the transition table allows',
  },
});
