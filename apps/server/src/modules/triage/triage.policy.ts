import { definePolicies } from '../../platform/auth/policy.ts';

/** Who may ask for a triage: the desks that take appeals in or dispatch them. */
export const triagePolicies = definePolicies({
  'triage.use': {
    roles: [
      'grid_worker',
      'station_staff',
      'community_staff',
      'subdistrict_dispatcher',
      'district_dispatcher',
      'mediator',
    ],
    description: 'ask for the domain, the units and the possible duplicates of a text and a place',
  },
  'hotspots.read': {
    roles: ['community_staff', 'subdistrict_dispatcher', 'district_dispatcher', 'leader'],
    description: 'see where matters cluster in one’s subtree, and employers named in repeated wage appeals',
  },
});
