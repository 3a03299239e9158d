import { definePolicies } from '../../platform/auth/policy.ts';

export const privacyPolicies = definePolicies({
  // PIPL art. 45: a person may obtain a copy of their data. The security admin, who answers for
  // personal data, produces it — with a stated reason, journaled — never the case desks.
  'people.export': {
    roles: ['security_admin'],
    description: 'export everything held about one person (by phone number), with a reason',
  },
});
