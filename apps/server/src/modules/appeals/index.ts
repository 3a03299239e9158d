export { createAppealJobs } from './appeals.jobs.ts';
export { appealPolicies } from './appeals.policy.ts';
export type { AppealDeps, CategoryInfo } from './appeals.ports.ts';
export { appealRoutes } from './appeals.routes.ts';
export { type AppealService, createAppealService } from './appeals.service.ts';
export { ACTION_NAMES, type ActionName, transitions } from './appeals.transitions.ts';
export { newTrackingCode, normaliseTrackingCode } from './tracking-code.ts';
