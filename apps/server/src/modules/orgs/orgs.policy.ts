import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

export const orgPolicies = definePolicies({
  // The org tree is configuration every working role needs; the auditor reads the audit trail only.
  'orgs.read': {
    roles: [...BUSINESS_ROLES, 'system_admin', 'security_admin'],
    description: 'see the org units of one’s own subtree',
  },
  'orgs.manage': { roles: ['system_admin'], description: 'create and edit org units, import a district' },
});
