/** Staff roles. The three admin roles (三权分立) are exclusive: their holder has no other role. */
export const ROLES = [
  'grid_worker',
  'station_staff',
  'community_staff',
  'subdistrict_dispatcher',
  'district_dispatcher',
  'department_handler',
  'mediator',
  'leader',
  'system_admin',
  'security_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];
export const BUSINESS_ROLES: readonly Role[] = ROLES.filter((role) => !ADMIN_ROLES.includes(role));
export const ALL_ROLES: readonly Role[] = ROLES;

/** Returns why a set of roles may not be held together, or null. */
export function roleSetProblem(roles: readonly Role[]): string | null {
  if (roles.length === 0) return 'a user needs at least one role';
  if (new Set(roles).size !== roles.length) return 'roles are listed twice';
  const admin = roles.filter((role) => ADMIN_ROLES.includes(role));
  if (admin.length > 0 && roles.length > 1) {
    return `${admin.join(', ')} must be held alone (separation of system, security and audit duties)`;
  }
  return null;
}
