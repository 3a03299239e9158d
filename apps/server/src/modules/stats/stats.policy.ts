import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

export const statsPolicies = definePolicies({
  // Figures are business data of one's own subtree; the three admin roles (三权分立) see none.
  'stats.read': {
    roles: [...BUSINESS_ROLES],
    description: 'see the figures and the three rates of one’s own subtree',
  },
  // A view, not a route: the command-centre wall (its data is read with stats.read and appeals.read).
  'stats.screen': {
    roles: ['district_dispatcher', 'subdistrict_dispatcher', 'leader'],
    description: 'open the command-centre big screen of one’s subtree',
  },
});
