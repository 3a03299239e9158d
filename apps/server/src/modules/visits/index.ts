export { HALL_DESKS, visitPolicies } from './visits.policy.ts';
export { createHallQueue, type HallQueue } from './visits.queue.ts';
export { visitRoutes } from './visits.routes.ts';
export { createVisitService, type VisitService } from './visits.service.ts';
