export { accountabilityPolicies } from './accountability.policy.ts';
export { accountabilityRoutes } from './accountability.routes.ts';
export {
  type AccountabilityEntry,
  type AccountabilityService,
  createAccountabilityService,
} from './accountability.service.ts';
