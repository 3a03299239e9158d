import { definePolicies } from '../../platform/auth/policy.ts';
import { ALL_ROLES } from '../../platform/auth/roles.ts';

export const identityPolicies = definePolicies({
  'session.self': {
    roles: ALL_ROLES,
    description: 'see and end one’s own session, change one’s own password',
  },
  'users.read': {
    roles: ['security_admin', 'district_dispatcher', 'subdistrict_dispatcher', 'community_staff', 'leader'],
    description: 'see the staff accounts of one’s own subtree (contact data masked)',
  },
  // 三权分立: only the security admin manages accounts and roles.
  'users.manage': {
    roles: ['security_admin'],
    description: 'create accounts, assign roles, unlock, reset passwords',
  },
  'users.approve': {
    // The second person of the two-person rule: another security admin, or the system admin.
    roles: ['security_admin', 'system_admin'],
    description: 'approve an administrator account another administrator created (never one’s own)',
  },
});
