import { definePolicies } from '../../platform/auth/policy.ts';

export const auditPolicies = definePolicies({
  'audit.read': { roles: ['auditor'], description: 'read the journal of security and business events' },
  'audit.verify': { roles: ['auditor'], description: 'verify the journal’s hash chains' },
});
