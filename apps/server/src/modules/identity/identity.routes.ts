import {
  ApprovedUserReply,
  CreatedUserReply,
  errorReplies,
  LoginBody,
  LoginReply,
  NewUserBody,
  OtpConfirmBody,
  OtpSetupReply,
  PasswordChangeBody,
  PublicUserSchema,
  ResetPasswordBody,
  SECURITY,
  SessionIdParams,
  SessionList,
  UserIdParams,
  UserList,
  UserListQuery,
  UserPatchBody,
  UserSchema,
} from '@doorstep/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { actorOf, SESSION_COOKIE } from '../../platform/http/guard.ts';
import type { AuthService } from './auth.service.ts';
import type { SessionService } from './sessions.service.ts';
import type { UserService } from './users.service.ts';

/** Where a request came from, as the security journal records it. */
function requestMeta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null };
}

export function identityRoutes(deps: {
  auth: AuthService;
  users: UserService;
  sessions: SessionService;
  cookieSecure: boolean;
  /** The policy table's answer for a set of roles: replies tell the web what the user may reach. */
  permissionsOf(roles: readonly Role[]): string[];
}) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { auth, users, sessions } = deps;
    const tags = ['identity'];

    app.post(
      '/api/v1/auth/login',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Log in',
          body: LoginBody,
          description:
            'Accounts with the roles system_admin, security_admin or auditor must send `otp`, the ' +
            'current 6-digit code (RFC 6238: SHA-1, 30 s). Without it: 401 otp_required; a wrong ' +
            'one: 401 otp_invalid (counts towards the lockout). Such an account with no secret yet ' +
            'gets 403 otp_enrolment_required carrying a pending secret and otpauth:// URI; the same ' +
            'login with a code from that secret enrols it and opens the session.',
          response: { 200: LoginReply, ...errorReplies(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const result = await auth.login(request.body, requestMeta(request));
        reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'strict',
          // Behind an HTTPS proxy (a trusted one: its X-Forwarded-Proto) the cookie is Secure too.
          secure: deps.cookieSecure || request.protocol === 'https',
          path: '/',
          expires: result.expiresAt,
        });
        return {
          ...result,
          expiresAt: result.expiresAt.toISOString(),
          user: { ...result.user, permissions: deps.permissionsOf(result.user.roles) },
        };
      },
    );

    const self = { config: { permission: 'session.self' } };
    app.get(
      '/api/v1/auth/me',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          response: { 200: Type.Object({ user: PublicUserSchema }), ...errorReplies(401) },
        },
      },
      async (request) => {
        const user = await auth.me(actorOf(request));
        return { user: { ...user, permissions: deps.permissionsOf(user.roles) } };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      { ...self, schema: { tags, security: SECURITY, response: { 204: Type.Null(), ...errorReplies(401) } } },
      async (request, reply) => {
        await auth.logout(actorOf(request));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/password',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          body: PasswordChangeBody,
          response: { 204: Type.Null(), ...errorReplies(400, 401, 403, 422) },
        },
      },
      async (request, reply) => {
        await auth.changePassword(actorOf(request), request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/otp',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          summary: 'Start one-time-code enrolment',
          response: { 200: OtpSetupReply, ...errorReplies(401) },
        },
      },
      async (request) => auth.startOtpEnrolment(actorOf(request)),
    );

    app.post(
      '/api/v1/auth/otp/confirm',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          body: OtpConfirmBody,
          response: { 204: Type.Null(), ...errorReplies(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => {
        await auth.confirmOtpEnrolment(actorOf(request), request.body);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/sessions',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          summary: 'One’s own open sessions',
          response: { 200: SessionList, ...errorReplies(401) },
        },
      },
      async (request) => ({ items: await sessions.listOwn(actorOf(request)) }),
    );

    app.delete(
      '/api/v1/auth/sessions/:id',
      {
        ...self,
        schema: {
          tags,
          security: SECURITY,
          summary: 'End a session',
          description:
            'One’s own session; a security admin may also end a session of an account in their subtree. ' +
            'Any other id answers 404.',
          params: SessionIdParams,
          response: { 204: Type.Null(), ...errorReplies(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await sessions.revoke(actorOf(request), request.params.id, requestMeta(request));
        return reply.status(204).send(null);
      },
    );

    const read = { config: { permission: 'users.read' } };
    const manage = { config: { permission: 'users.manage' } };
    const userTags = ['users'];

    app.get(
      '/api/v1/users',
      {
        ...read,
        schema: {
          tags: userTags,
          security: SECURITY,
          querystring: UserListQuery,
          response: { 200: UserList, ...errorReplies(400, 401, 403) },
        },
      },
      async (request) => users.list(actorOf(request), request.query),
    );

    app.get(
      '/api/v1/users/:id',
      {
        ...read,
        schema: {
          tags: userTags,
          security: SECURITY,
          params: UserIdParams,
          response: { 200: UserSchema, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => users.get(actorOf(request), request.params.id),
    );

    app.post(
      '/api/v1/users',
      {
        ...manage,
        schema: {
          tags: userTags,
          security: SECURITY,
          body: NewUserBody,
          response: { 201: CreatedUserReply, ...errorReplies(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await users.create(actorOf(request), request.body)),
    );

    app.patch(
      '/api/v1/users/:id',
      {
        ...manage,
        schema: {
          tags: userTags,
          security: SECURITY,
          params: UserIdParams,
          body: UserPatchBody,
          response: { 200: UserSchema, ...errorReplies(400, 401, 403, 404, 422) },
        },
      },
      async (request) => users.update(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/v1/users/:id/sessions',
      {
        ...manage,
        schema: {
          tags: userTags,
          security: SECURITY,
          summary: 'An account’s open sessions (to end one, DELETE /api/v1/auth/sessions/{id})',
          params: UserIdParams,
          response: { 200: SessionList, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await sessions.listOf(actorOf(request), request.params.id) }),
    );

    app.post(
      '/api/v1/users/:id/unlock',
      {
        ...manage,
        schema: {
          tags: userTags,
          security: SECURITY,
          params: UserIdParams,
          response: { 200: UserSchema, ...errorReplies(400, 401, 403, 404) },
        },
      },
      async (request) => users.unlock(actorOf(request), request.params.id),
    );

    app.post(
      '/api/v1/users/:id/reset-password',
      {
        ...manage,
        schema: {
          tags: userTags,
          security: SECURITY,
          params: UserIdParams,
          body: ResetPasswordBody,
          response: { 200: CreatedUserReply, ...errorReplies(400, 401, 403, 404, 422) },
        },
      },
      async (request) =>
        users.resetPassword(actorOf(request), { id: request.params.id }, request.body?.password),
    );

    app.post(
      '/api/v1/users/:id/approve',
      {
        config: { permission: 'users.approve' },
        schema: {
          tags: userTags,
          security: SECURITY,
          summary:
            'Approve an administrator account (two-person rule); the reply carries its first password once',
          params: UserIdParams,
          response: { 200: ApprovedUserReply, ...errorReplies(400, 401, 403, 404, 409) },
        },
      },
      async (request) => users.approve(actorOf(request), request.params.id),
    );
  };
}
