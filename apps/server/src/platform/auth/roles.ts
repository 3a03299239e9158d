import { ROLES, type Role } from '@doorstep/contracts/vocabulary';

export { ROLES, type Role };

export const ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];
export const BUSINESS_ROLES: readonly Role[] = ROLES.filter((role) => !ADMIN_ROLES.includes(role));
export const ALL_ROLES: readonly Role[] = ROLES;
/**
 * Business roles that work on appeals. A legal adviser and a court liaison serve mediation only:
 * they reach dispute cases, never the district's appeals and the residents' data in them.
 */
export const APPEAL_ROLES: readonly Role[] = BUSINESS_ROLES.filter(
  (role) => role !== 'legal_adviser' && role !== 'court_liaison',
);

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
