export { type ApiKeys, createApiKeys } from './open311.keys.ts';
export { OPEN311_PREFIX, open311Routes } from './open311.routes.ts';
export { createOpen311Service, type Open311Deps, type Open311Service } from './open311.service.ts';
