import { definePolicies } from '../../platform/auth/policy.ts';

/** Who walks a grid, and who watches the walks (the wall, the community's desk). */
export const patrolPolicies = definePolicies({
  'patrols.walk': {
    roles: ['grid_worker', 'station_staff', 'community_staff'],
    description: 'start, track and finish one’s own patrol of a grid',
  },
  'patrols.read': {
    roles: ['community_staff', 'subdistrict_dispatcher', 'district_dispatcher', 'leader'],
    description: 'see the day’s patrols of one’s area: tracks and the walkers’ last positions',
  },
});
