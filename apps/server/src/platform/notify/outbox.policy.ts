import { definePolicies } from '../auth/policy.ts';

export const outboxPolicies = definePolicies({
  // The system admin runs the message gateway, so they check what went out and what failed;
  // recipients are masked and tracking codes hidden (templates.ts `secret`).
  'outbox.read': {
    roles: ['system_admin'],
    description: 'see the messages sent to residents (recipients masked) and their delivery state',
  },
});
