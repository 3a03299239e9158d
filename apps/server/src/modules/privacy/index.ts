export { registerPrivacyCommands } from './privacy.cli.ts';
export { privacyPolicies } from './privacy.policy.ts';
export { privacyRoutes } from './privacy.routes.ts';
export { createPrivacyService, type PrivacyService } from './privacy.service.ts';
