export { patrolPolicies } from './patrols.policy.ts';
export { createPatrolRepository } from './patrols.repository.ts';
export { patrolRoutes } from './patrols.routes.ts';
export { createPatrolService, type PatrolService, walkedM } from './patrols.service.ts';
