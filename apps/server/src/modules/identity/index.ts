export { totpFor } from './auth.otp.ts';
export { type AuthService, createAuthService, OTP_REQUIRED_ROLES } from './auth.service.ts';
export { identityPolicies } from './identity.policy.ts';
export { identityRoutes } from './identity.routes.ts';
export { createSessionService, type SessionService } from './sessions.service.ts';
export { createUserService, type UserService } from './users.service.ts';
