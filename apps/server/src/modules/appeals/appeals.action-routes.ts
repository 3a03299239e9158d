import {
  ACTION_BODIES,
  ACTION_NAMES,
  ActionHeaders,
  ActionParams,
  ActionReply,
  AppealIdParams,
  ErrorResponse,
  errorReplies,
  SECURITY,
} from '@doorstep/contracts';
import { actOptionsOf } from '../../platform/http/action-call.ts';
import type { TypedApp } from '../../platform/http/fastify-types.ts';
import { actorOf } from '../../platform/http/guard.ts';
import { unknownAction } from '../../platform/workflow/index.ts';
import type { AppealService } from './appeals.service.ts';
import { appealMachine, transitions } from './appeals.transitions.ts';

/**
 * One route per action (`POST /api/v1/appeals/{id}/actions/dispatch`, …), each documenting its own
 * body, so a client generated from the OpenAPI document knows what every action takes. The service
 * checks the same schemas again: the CLI and the timer jobs act without HTTP.
 */
export function registerActionRoutes(app: TypedApp, appeals: AppealService) {
  const tags = ['appeal actions'];
  for (const name of ACTION_NAMES) {
    const rule = transitions[name];
    app.post(
      `/api/v1/appeals/:id/actions/${name}`,
      {
        config: { permission: 'appeals.act' },
        // Actions that take nothing (accept, claim, close…) are sent without a body: read as {}.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
        schema: {
          tags,
          security: SECURITY,
          operationId: `appeal_${name.replaceAll('-', '_')}`,
          summary: `${rule.label} (${name})`,
          description:
            `From ${rule.from.join(', ')}; roles ${rule.roles.join(', ')}; relation “${rule.who}”. ` +
            'Send If-Match with the version you saw, and an Idempotency-Key when the call may be resent. Answers the updated appeal.',
          params: AppealIdParams,
          headers: ActionHeaders,
          body: ACTION_BODIES[name],
          response: { 200: ActionReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        appeals.act(
          actorOf(request),
          request.params.id,
          name,
          request.body,
          actOptionsOf(request.headers, reply),
        ),
    );
  }

  // Any other name: 404 unknown_action with the list of real ones. Static
  // routes above win over this parametric one (find-my-way matches the most specific first).
  app.post(
    '/api/v1/appeals/:id/actions/:action',
    {
      config: { permission: 'appeals.act' },
      schema: {
        tags,
        security: SECURITY,
        summary: 'An action that does not exist: 404 unknown_action, listing the actions that do',
        params: ActionParams,
        response: { 404: ErrorResponse, ...errorReplies(400, 401, 403) },
      },
    },
    async (request) => {
      throw unknownAction(appealMachine, request.params.action);
    },
  );
}
