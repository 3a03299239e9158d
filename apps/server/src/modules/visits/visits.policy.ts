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
  'visits.read': {
    roles: [...HALL_DESKS, 'leader'],
    description: 'read the visits registered in one’s area, and print a receipt one registered',
  },
});
