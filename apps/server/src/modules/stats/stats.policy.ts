import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

export const statsPolicies = definePolicies({
  // Figures are business data of one's own subtree; the three admin roles (三权分立) see none.
  'stats.read': {
    roles: [...BUSINESS_ROLES],
    description: 'see the figures and the three rates of one’s own subtree',
  },
});
