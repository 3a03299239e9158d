/** Mediation: dispute cases from the grid to the court (矛盾纠纷调解, 司法确认). */
export { type CourtGateway, type CourtPackage, createLocalCourtGateway } from './mediation.court.ts';
export { createMediationJobs } from './mediation.jobs.ts';
export { mediationPolicies } from './mediation.policy.ts';
export type { MediationDeps } from './mediation.ports.ts';
export { createCaseRecords } from './mediation.records.repository.ts';
export { mediationRoutes } from './mediation.routes.ts';
export { createMediationService, type MediationService } from './mediation.service.ts';
