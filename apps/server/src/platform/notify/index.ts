/** Messages to residents (platform/notify): the only entry point other code imports. */
export {
  createLocalGateway,
  type MessageGateway,
  type OutboundMessage,
  type ResidentChannel,
  type ResidentMessage,
  type ResidentNotifier,
} from './notifier.ts';
export { outboxPolicies } from './outbox.policy.ts';
export { outboxRoutes } from './outbox.routes.ts';
export {
  createResidentNotify,
  DEFAULT_SMS_BUDGET_PER_HOUR,
  DELIVER_JOB,
  DELIVERY_ATTEMPTS,
  type OutboxEntryView,
  type OutboxService,
  type ResidentNotify,
  SMS_BUDGET_REACHED,
} from './outbox.ts';
export { RESIDENT_TEMPLATES, type ResidentTemplate, renderTemplate } from './templates.ts';
