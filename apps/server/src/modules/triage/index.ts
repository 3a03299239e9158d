/** Triage: the domain model, routes and duplicates for a text and a place; the classifier under it. */
export { createHotspotAlerts, SWEEP_JOB } from './triage.alerts.ts';
export { TRIAGE_DEFAULTS } from './triage.defaults.ts';
export { createDomainModel, DOMAIN_COMPETENCES, DOMAIN_MODEL_FILE } from './triage.domain.ts';
export { MIN_ITEM_EXAMPLES } from './triage.items.ts';
export { triagePolicies } from './triage.policy.ts';
export type { TriageDeps } from './triage.ports.ts';
export { triageRoutes } from './triage.routes.ts';
export { createTriageService, DUPLICATE_MIN_SIMILARITY, type TriageService } from './triage.service.ts';
