import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Role } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { MINUTE_MS } from '../../platform/clock.ts';
import { type FieldCipher, hmacHex } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { passwordPolicyProblem } from '../../platform/password-policy.ts';
import { createIdentityRepository, type UserRow } from './identity.repository.ts';

export interface AuthSettings {
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  orgId: number;
  orgName: string;
  mustChangePassword: boolean;
}

export function toPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    orgId: user.orgId,
    orgName: user.orgName,
    mustChangePassword: user.mustChangePassword,
  };
}

const invalidCredentials = () =>
  new AppError('invalid_credentials', 401, 'the username or password is wrong');

export function createAuthService(deps: {
  db: Db;
  journal: Journal;
  clock: Clock;
  cipher: FieldCipher;
  settings: AuthSettings;
}) {
  const { db, journal, clock, cipher, settings } = deps;
  const repo = createIdentityRepository(db);
  const idleMs = settings.sessionIdleMinutes * MINUTE_MS;
  // Refreshing last_seen on every request would turn each read into a write; a coarse step is enough.
  const touchEveryMs = Math.min(60_000, idleMs / 10);
  const tokenHash = (token: string) => hmacHex(settings.sessionSecret, token);

  async function securityEvent(
    tx: Queryable,
    action: string,
    actor: { id: string | null; orgId: number | null },
    data: Record<string, unknown>,
  ) {
    await journal.append(tx, {
      stream: SECURITY_STREAM,
      action,
      actorId: actor.id,
      actorOrgId: actor.orgId,
      subjectType: 'user',
      subjectId: actor.id,
      data,
    });
  }

  function checkOtp(user: UserRow, otp: string | undefined): boolean {
    if (!user.totpSecretEnc) return true;
    if (!otp) return false;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(cipher.decrypt(user.totpSecretEnc)) });
    return totp.validate({ token: otp, timestamp: clock.now().getTime(), window: 1 }) !== null;
  }

  return {
    async login(input: { username: string; password: string; otp?: string }, meta: RequestMeta) {
      const now = clock.now();
      const user = await repo.findByUsername(input.username);
      if (!user) {
        await verifyPassword(await decoyHash(), input.password);
        await db.transaction((tx) =>
          securityEvent(
            tx,
            'auth.login_failed',
            { id: null, orgId: null },
            { username: input.username, ip: meta.ip, reason: 'unknown_user' },
          ),
        );
        throw invalidCredentials();
      }
      const who = { id: user.id, orgId: user.orgId };
      if (user.lockedUntil && user.lockedUntil > now) {
        throw accountLocked(user.lockedUntil, now);
      }
      const passwordOk = await verifyPassword(user.passwordHash, input.password);
      const otpOk = passwordOk && checkOtp(user, input.otp);
      if (!passwordOk || !otpOk || user.disabledAt) {
        const lockUntil = new Date(now.getTime() + settings.lockoutMinutes * MINUTE_MS);
        const result = await db.transaction(async (tx) => {
          const counted = await createIdentityRepository(tx).recordFailure(
            user.id,
            now,
            settings.lockoutThreshold,
            lockUntil,
          );
          const reason = !passwordOk ? 'wrong_password' : !otpOk ? 'wrong_otp' : 'disabled';
          await securityEvent(tx, 'auth.login_failed', who, {
            ip: meta.ip,
            reason,
            failures: counted?.failedLogins,
          });
          if (counted?.lockedUntil) {
            await securityEvent(tx, 'auth.locked', who, {
              until: counted.lockedUntil,
              failures: counted.failedLogins,
            });
          }
          return counted;
        });
        if (result?.lockedUntil) throw accountLocked(result.lockedUntil, now);
        if (passwordOk && !otpOk)
          throw new AppError('otp_required', 401, 'a valid one-time code is required');
        throw invalidCredentials();
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + settings.sessionMaxHours * 60 * MINUTE_MS);
      await db.transaction(async (tx) => {
        const txRepo = createIdentityRepository(tx);
        await txRepo.clearFailures(user.id);
        const sessionId = await txRepo.insertSession({
          tokenHash: tokenHash(token),
          userId: user.id,
          now,
          expiresAt,
          ...meta,
        });
        await securityEvent(tx, 'auth.login', who, { ip: meta.ip, sessionId });
      });
      return { token, expiresAt, idleMinutes: settings.sessionIdleMinutes, user: toPublicUser(user) };
    },

    /** Turns a bearer token into an Actor, ending sessions that idled or outlived their lifetime. */
    async authenticate(token: string, options: { touch?: boolean } = {}): Promise<Actor> {
      const now = clock.now();
      const session = await repo.findSession(tokenHash(token));
      if (!session || session.endedAt)
        throw errors.unauthenticated('the session has ended; please log in again');
      const idleExpired = now.getTime() - session.lastSeenAt.getTime() > idleMs;
      const absoluteExpired = now >= session.expiresAt;
      if (idleExpired || absoluteExpired || session.disabledAt) {
        const reason = session.disabledAt ? 'disabled' : idleExpired ? 'idle' : 'expired';
        await repo.endSession(session.sessionId, now, reason);
        throw new AppError('session_expired', 401, 'the session has ended; please log in again', { reason });
      }
      // Background re-checks (an open event stream) must not count as activity, or it never idles out.
      if (options.touch !== false && now.getTime() - session.lastSeenAt.getTime() >= touchEveryMs) {
        await repo.touchSession(session.sessionId, now);
      }
      return {
        userId: session.id,
        username: session.username,
        displayName: session.displayName,
        roles: session.roles,
        orgId: session.orgId,
        orgName: session.orgName,
        orgLevel: session.orgLevel,
        orgPath: session.orgPath,
        sessionId: session.sessionId,
      };
    },

    async me(actor: Actor) {
      const user = actor.userId ? await repo.findByUsername(actor.username) : undefined;
      if (!user) throw errors.unauthenticated();
      return toPublicUser(user);
    },

    async logout(actor: Actor) {
      if (!actor.sessionId) return;
      const now = clock.now();
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).endSession(actor.sessionId!, now, 'logout');
        await securityEvent(
          tx,
          'auth.logout',
          { id: actor.userId, orgId: actor.orgId },
          { sessionId: actor.sessionId },
        );
      });
    },

    async changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }) {
      const user = await repo.findByUsername(actor.username);
      if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new AppError('invalid_credentials', 403, 'the current password is wrong');
      }
      const problem = passwordPolicyProblem(input.newPassword);
      if (problem) throw errors.unprocessable('weak_password', `the new password is too weak: ${problem}`);
      if (input.newPassword === input.currentPassword) {
        throw errors.unprocessable('weak_password', 'the new password must differ from the current one');
      }
      const hash = await hashPassword(input.newPassword);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const txRepo = createIdentityRepository(tx);
        await txRepo.setPassword(user.id, hash, false, now);
        // Other sessions may belong to whoever learned the old password.
        await txRepo.endAllSessions(user.id, now, 'password_changed', actor.sessionId);
        await securityEvent(tx, 'auth.password_changed', { id: user.id, orgId: user.orgId }, {});
      });
    },

    /** TOTP enrolment: a pending secret becomes active once the user proves they hold it. */
    async startOtpEnrolment(actor: Actor) {
      const user = await repo.findByUsername(actor.username);
      if (!user) throw errors.unauthenticated();
      const secret = new OTPAuth.Secret({ size: 20 });
      await repo.setPendingOtp(user.id, cipher.encrypt(secret.base32));
      const totp = new OTPAuth.TOTP({ issuer: 'Doorstep', label: user.username, secret });
      return { secret: secret.base32, uri: totp.toString() };
    },

    async confirmOtpEnrolment(actor: Actor, otp: string) {
      const user = await repo.findByUsername(actor.username);
      const pending = user ? await repo.pendingOtp(user.id) : null;
      if (!user || !pending) throw errors.conflict('no one-time-code enrolment is in progress');
      const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(cipher.decrypt(pending)) });
      if (totp.validate({ token: otp, timestamp: clock.now().getTime(), window: 1 }) === null) {
        throw errors.unprocessable('wrong_otp', 'the one-time code does not match');
      }
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).activateOtp(user.id);
        await securityEvent(tx, 'auth.otp_enabled', { id: user.id, orgId: user.orgId }, {});
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

function accountLocked(until: Date, now: Date) {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('account_locked', 429, 'too many failed logins; the account is locked for a while', {
    retryAfterSeconds,
    lockedUntil: until.toISOString(),
  });
}
