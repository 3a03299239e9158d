import { definePolicies } from '../../platform/auth/policy.ts';

/** The desks that receive visitors in a hall (一窗受理), and who reads what they registered. */
export const HALL_DESKS = [
  'hall_clerk',
  'community_staff',
  'station_staff',
  'subdistrict_dispatcher',
  'district_dispatcher',
] as const;

export const visitPolicies = definePolicies({
  'visits.create': {
    roles: [...HALL_DESKS],
    description: 'register a visit at a reception hall and take its appeal in',
  },
  // A view, not a route: the reception pages in the console's menu (来访接待, 大厅叫号屏), for the
  // desks that sit in a hall. A district dispatcher may register a visit through the API but is
  // not shown a hall's pages.
  'visits.desk': {
    roles: ['hall_clerk', 'community_staff', 'station_staff', 'subdistrict_dispatcher'],
    description: 'see the reception desk and the hall queue screen in the console',
  },
  'visits.read': {
    roles: [...HALL_DESKS, 'leader'],
    description: 'read the visits registered in one’s area, and print a receipt one registered',
  },
});
