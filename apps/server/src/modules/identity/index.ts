export { type AuthService, createAuthService } from './auth.service.ts';
export { identityPolicies } from './identity.policy.ts';
export { identityRoutes } from './identity.routes.ts';
export { createUserService, type UserService } from './users.service.ts';
