import { definePolicies } from '../../platform/auth/policy.ts';

/** 问责: the desks that oversee an area read the records; a leader decides them. */
export const accountabilityPolicies = definePolicies({
  'accountability.read': {
    roles: ['district_dispatcher', 'subdistrict_dispatcher', 'leader'],
    description: 'read the accountability records (问责) of the units in one’s area',
  },
  'accountability.decide': {
    roles: ['leader'],
    description: 'confirm or waive an accountability record, with a reason',
  },
});
