export { distanceM } from './orgs.geo.ts';
export { orgPolicies } from './orgs.policy.ts';
export { orgRoutes } from './orgs.routes.ts';
export { createOrgService, type OrgDirectory, type OrgService } from './orgs.service.ts';
export * from './orgs.types.ts';
