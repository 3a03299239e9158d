import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

/**
 * Route-level gates of mediation. Which action each role may take on a case, in which state and
 * relation, is the case machine (mediation.transitions.ts); which cases a caller reaches is the
 * repository's scope (the holding unit's subtree, the case's mediator, a summoned unit, and for a
 * court liaison only cases filed with the court).
 */
export const mediationPolicies = definePolicies({
  'disputes.read': {
    roles: BUSINESS_ROLES,
    description: 'list and read the dispute cases of one’s area, mediation or summons',
  },
  'disputes.register': {
    roles: [
      'mediator',
      'legal_adviser',
      'grid_worker',
      'station_staff',
      'community_staff',
      'subdistrict_dispatcher',
      'district_dispatcher',
    ],
    description: 'register a dispute case, or refer an appeal of the dispute kind to mediation',
  },
  'disputes.act': {
    roles: BUSINESS_ROLES,
    description: 'take actions on dispute cases, as the case machine allows',
  },
  'disputes.stats': {
    roles: [
      'mediator',
      'legal_adviser',
      'community_staff',
      'subdistrict_dispatcher',
      'district_dispatcher',
      'leader',
    ],
    description: 'see the mediation figures (化解率, amounts, judicial confirmations) of one’s subtree',
  },
});
