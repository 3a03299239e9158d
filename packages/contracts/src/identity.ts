import { type Static, Type } from 'typebox';
import { StringEnum } from './common.ts';
import { ROLES } from './vocabulary.ts';

export const RoleSchema = StringEnum(ROLES, { description: 'A staff role' });

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    otp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  },
  { additionalProperties: false },
);

export const PublicUserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  orgId: Type.Integer(),
  orgName: Type.String(),
  mustChangePassword: Type.Boolean(),
  permissions: Type.Array(Type.String(), {
    description:
      'what the user’s roles allow, from the server’s policy table (appeals.read, orgs.manage, …): the web shows what these reach',
  }),
});

export const LoginReply = Type.Object({
  token: Type.String({ description: 'Bearer token; the same value is set as an httpOnly cookie' }),
  expiresAt: Type.String({ format: 'date-time' }),
  idleMinutes: Type.Integer(),
  user: PublicUserSchema,
});

export const PasswordChangeBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const OtpSetupReply = Type.Object({ secret: Type.String(), uri: Type.String() });
export const OtpConfirmBody = Type.Object(
  {
    otp: Type.String({ pattern: '^\\d{6}$', description: 'a code from the new secret' }),
    /** Replacing an active secret: the account's password and a code from the secret in use. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    currentOtp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  orgId: Type.Integer(),
  orgName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()], { description: 'masked, e.g. 138****1234' }),
  locked: Type.Boolean(),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  awaitingApproval: Type.Boolean({
    description: 'an administrator account waiting for a second administrator (POST /users/{id}/approve)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const UserListQuery = Type.Object(
  {
    orgId: Type.Optional(Type.Integer({ minimum: 1 })),
    role: Type.Optional(RoleSchema),
    after: Type.Optional(
      Type.String({ maxLength: 64, description: 'cursor: the last username of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({
  items: Type.Array(UserSchema),
  next: Type.Union([Type.String(), Type.Null()]),
});

const PhoneSchema = Type.String({ pattern: '^\\+?[0-9 -]{5,20}$' });

export const NewUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    orgId: Type.Integer({ minimum: 1 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 11 }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    phone: Type.Optional(PhoneSchema),
  },
  { additionalProperties: false },
);

export const ApprovedUserReply = Type.Object({
  user: UserSchema,
  generatedPassword: Type.String({
    description: 'the first password, shown once, for the approver to hand over',
  }),
});

export const CreatedUserReply = Type.Object({
  user: UserSchema,
  generatedPassword: Type.Union([Type.String(), Type.Null()], { description: 'shown once when generated' }),
});

export const UserPatchBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    orgId: Type.Optional(Type.Integer({ minimum: 1 })),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 11 })),
    disabled: Type.Optional(Type.Boolean()),
    phone: Type.Optional(Type.Union([PhoneSchema, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ResetPasswordBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'the session this request was made with' }),
});
export const SessionList = Type.Object({ items: Type.Array(SessionSchema) });
export const SessionIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export type SessionUser = Static<typeof PublicUserSchema>;
export type LoginInput = Static<typeof LoginBody>;
export type LoginResult = Static<typeof LoginReply>;
export type StaffUser = Static<typeof UserSchema>;
export type StaffSession = Static<typeof SessionSchema>;
