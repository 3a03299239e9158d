import { definePolicies } from '../auth/policy.ts';
import { BUSINESS_ROLES } from '../auth/roles.ts';

export const eventPolicies = definePolicies({
  // Realtime notices about appeals are business data: the three admin roles do not receive them.
  'events.read': {
    roles: [...BUSINESS_ROLES],
    description: 'receive live change notices of one’s own subtree',
  },
});
