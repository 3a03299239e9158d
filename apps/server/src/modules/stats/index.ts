export { FIGURES, RATES } from './stats.definitions.ts';
export { statsPolicies } from './stats.policy.ts';
export { statsRoutes } from './stats.routes.ts';
export { createStatsService, type StatsOrgs, type StatsService } from './stats.service.ts';
