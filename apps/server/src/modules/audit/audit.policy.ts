import { definePolicies } from '../../platform/auth/policy.ts';

export const auditPolicies = definePolicies({
  'audit.read': { roles: ['auditor'], description: 'read the journal of security and business events' },
  'audit.verify': { roles: ['auditor'], description: 'verify the journal’s hash chains' },
  // The security admin answers for accounts and sessions, so they read the same report (of their
  // subtree); the system admin, who configures, does not.
  'audit.report': {
    roles: ['auditor', 'security_admin'],
    description: 'the report of logins, failures, lockouts, exports and personal-data views',
  },
});
