import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { actorOf, SESSION_COOKIE } from '../../platform/http/guard.ts';
import { errorReplies, SECURITY } from '../../platform/http/schemas.ts';
import type { AuthService } from './auth.service.ts';
import {
  CreatedUserReply,
  LoginBody,
  LoginReply,
  NewUserBody,
  OtpConfirmBody,
  OtpSetupReply,
  PasswordChangeBody,
  PublicUserSchema,
  ResetPasswordBody,
  UserIdParams,
  UserList,
  UserListQuery,
  UserPatchBody,
  UserSchema,
} from './identity.schema.ts';
import type { UserService } from './users.service.ts';

export function identityRoutes(deps: { auth: AuthService; users: UserService; cookieSecure: boolean }) {
  return async (plugin: FastifyInstance) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { auth, users } = deps;
    const tags = ['identity'];

    app.post(
      '/api/v1/auth/login',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Log in',
          body: LoginBody,
          response: { 200: LoginReply, ...errorReplies(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const result = await auth.login(request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        });
        reply.setCookie(SESSION_COOKIE, result.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.cookieSecure,
          path: '/',
          expires: result.expiresAt,
        });
        return { ...result, expiresAt: result.expiresAt.toISOString() };
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
      async (request) => ({ user: await auth.me(actorOf(request)) }),
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
          response: { 204: Type.Null(), ...errorReplies(400, 401, 409, 422) },
        },
      },
      async (request, reply) => {
        await auth.confirmOtpEnrolment(actorOf(request), request.body.otp);
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
  };
}
