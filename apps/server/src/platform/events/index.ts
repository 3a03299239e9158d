export {
  createEventBus,
  EVENTS_CHANNEL,
  type EventBus,
  eventVisibleTo,
  type NewStaffEvent,
  SESSION_ENDED,
  type StaffEvent,
} from './event-bus.ts';
export { eventPolicies } from './events.policy.ts';
export { type EventRoutesDeps, eventRoutes } from './events.routes.ts';
