import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

export const catalogPolicies = definePolicies({
  // Every working role picks categories; the system admin configures them. The security admin and
  // the auditor have no business with the catalogue (separation of duties).
  'catalog.read': {
    roles: [...BUSINESS_ROLES, 'system_admin'],
    description: 'see the whole catalogue of matters, inactive items and area assignments included',
  },
  'catalog.manage': {
    roles: ['system_admin'],
    description: 'create and edit catalogue entries and their per-area responsible departments',
  },
});
