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
import { hit } from '../../platform/rate-limit/rate-limit.repository.ts';
import { createOtpEnrolment, createTotpCheck, totpFor } from './auth.otp.ts';
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

/**
 * Roles whose accounts must hold a second factor (等保 2.0 level 3: the administrators and the
 * auditor authenticate with two factors). Others may enrol one; then it is checked for them too.
 */
export const OTP_REQUIRED_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];

const invalidCredentials = () =>
  new AppError('invalid_credentials', 401, 'the username or password is wrong');

export function createAuthService(deps: {
  db: Db;
  journal: Journal;
  clock: Clock;
  cipher: FieldCipher;
  settings: AuthSettings;
  /** Announces a logout to every process, whose open event streams of that session then close. */
  sessionEnded?: (tx: Queryable, sessionId: string) => Promise<void>;
}) {
  const { db, journal, clock, cipher, settings } = deps;
  const repo = createIdentityRepository(db);
  const idleMs = settings.sessionIdleMinutes * MINUTE_MS;
  // Refreshing last_seen on every request would turn each read into a write; a coarse step is enough.
  const touchEveryMs = Math.min(60_000, idleMs / 10);
  const tokenHash = (token: string) => hmacHex(settings.sessionSecret, token);
  const { otpStep } = createTotpCheck({ cipher, clock });

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

  /**
   * The second factor at login. `enrol`: this login also activates the pending secret the user
   * just proved to hold. `enrolment_required`: a mandatory-OTP account with no secret yet; the
   * reply carries a pending secret to add to an authenticator app. `step` is the time step of the
   * code that proved `ok` or `enrol` (null when no code was needed), to be used up at login.
   */
  async function secondFactor(
    user: UserRow,
    otp: string | undefined,
  ): Promise<{ result: 'ok' | 'enrol' | 'missing' | 'wrong' | 'enrolment_required'; step: number | null }> {
    if (user.totpSecretEnc) {
      if (!otp) return { result: 'missing', step: null };
      const step = otpStep(user.totpSecretEnc, otp);
      // A code already used (seen over a shoulder, or in a proxy's log) is a wrong code.
      const fresh = step !== null && (user.totpLastStep === null || step > user.totpLastStep);
      return fresh ? { result: 'ok', step } : { result: 'wrong', step: null };
    }
    if (!user.roles.some((role) => OTP_REQUIRED_ROLES.includes(role))) return { result: 'ok', step: null };
    const pending = await repo.pendingOtp(user.id);
    if (!otp || !pending) return { result: 'enrolment_required', step: null };
    const step = otpStep(pending, otp);
    return step !== null ? { result: 'enrol', step } : { result: 'wrong', step: null };
  }

  /**
   * Counts a failed proof of the password or code against the account, journals it as `action`
   * with the count, and at the threshold locks the account and journals the lock: the one lockout
   * of logins and of password changes on a session.
   */
  async function countFailure(
    tx: Queryable,
    user: UserRow,
    now: Date,
    event: { action: string; data: Record<string, unknown> },
  ) {
    const lockUntil = new Date(now.getTime() + settings.lockoutMinutes * MINUTE_MS);
    const counted = await createIdentityRepository(tx).recordFailure(
      user.id,
      now,
      settings.lockoutThreshold,
      lockUntil,
    );
    const who = { id: user.id, orgId: user.orgId };
    await securityEvent(tx, event.action, who, { ...event.data, failures: counted?.failedLogins });
    if (counted?.lockedUntil) {
      await securityEvent(tx, 'auth.locked', who, {
        ...event.data,
        result: 'locked',
        until: counted.lockedUntil,
        failures: counted.failedLogins,
      });
    }
    return counted;
  }

  /** A pending secret for a mandatory-OTP account, kept across attempts so a scanned code stays valid. */
  async function enrolmentOffer(user: UserRow, meta: RequestMeta) {
    let pending = await repo.pendingOtp(user.id);
    if (!pending) {
      pending = cipher.encrypt(new OTPAuth.Secret({ size: 20 }).base32);
      await repo.setPendingOtp(user.id, pending);
    }
    const base32 = cipher.decrypt(pending);
    await db.transaction((tx) =>
      securityEvent(
        tx,
        'auth.otp_enrolment_started',
        { id: user.id, orgId: user.orgId },
        {
          ...metaData(meta),
          result: 'pending',
        },
      ),
    );
    return new AppError(
      'otp_enrolment_required',
      403,
      'this account must use a one-time code: add the secret to an authenticator app, then log in again with its code',
      {
        secret: base32,
        uri: totpFor(base32, user.username).toString(),
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      },
    );
  }

  return {
    ...createOtpEnrolment({ db, cipher, clock, securityEvent }),

    async login(input: { username: string; password: string; otp?: string }, meta: RequestMeta) {
      const now = clock.now();
      const user = await repo.findByUsername(input.username);
      // Unknown, locked and wrong answer alike — same status, body and work (one password hash
      // each) — so neither the reply nor its timing tells whether an account exists or is locked.
      if (!user) {
        await verifyPassword(await decoyHash(), input.password);
        // Unknown names count towards a lockout too, in the shared counters: the same writes, and
        // the auditor sees a name being sprayed as a lock like any other.
        const { current } = await hit(
          db,
          `login-unknown:${hmacHex(settings.sessionSecret, `login-unknown:${input.username.toLowerCase()}`).slice(0, 40)}`,
          now,
          settings.lockoutMinutes * MINUTE_MS,
        );
        await db.transaction(async (tx) => {
          await securityEvent(
            tx,
            'auth.login_failed',
            { id: null, orgId: null },
            { username: input.username, ...metaData(meta), result: 'failed', reason: 'unknown_user' },
          );
          if (current === settings.lockoutThreshold) {
            await securityEvent(
              tx,
              'auth.locked',
              { id: null, orgId: null },
              { username: input.username, ...metaData(meta), result: 'locked', failures: current },
            );
          }
        });
        throw invalidCredentials();
      }
      const who = { id: user.id, orgId: user.orgId };
      if (user.lockedUntil && user.lockedUntil > now) {
        await verifyPassword(user.passwordHash, input.password);
        await db.transaction((tx) =>
          securityEvent(tx, 'auth.login_failed', who, {
            ...metaData(meta),
            result: 'failed',
            reason: 'locked',
          }),
        );
        throw invalidCredentials();
      }
      // An administrator account waiting for its second approver cannot log in at all (its
      // password is random until then): the same answer as a wrong password.
      const passwordOk =
        (await verifyPassword(user.passwordHash, input.password)) && user.awaitingApprovalBy === null;
      const second = passwordOk && !user.disabledAt ? await secondFactor(user, input.otp) : null;
      const factor = second?.result ?? null;
      // Asking for the code (or for enrolment) after a right password is the normal second step,
      // not a failure; a wrong code is, and counts towards the lockout like a wrong password.
      if (factor === 'missing') {
        await db.transaction((tx) =>
          securityEvent(tx, 'auth.otp_required', who, { ...metaData(meta), result: 'refused' }),
        );
        throw new AppError('otp_required', 401, 'enter the one-time code from your authenticator app');
      }
      if (factor === 'enrolment_required') throw await enrolmentOffer(user, meta);
      const otpOk = factor === 'ok' || factor === 'enrol';
      if (!passwordOk || !otpOk || user.disabledAt) {
        const result = await db.transaction(async (tx) => {
          const reason = !passwordOk ? 'wrong_password' : user.disabledAt ? 'disabled' : 'wrong_otp';
          if (reason === 'wrong_otp') {
            await securityEvent(tx, 'auth.otp_failed', who, { ...metaData(meta), result: 'failed' });
          }
          return countFailure(tx, user, now, {
            action: 'auth.login_failed',
            data: { ...metaData(meta), result: 'failed', reason },
          });
        });
        if (result?.lockedUntil) throw invalidCredentials();
        if (passwordOk && !user.disabledAt && !otpOk)
          throw new AppError('otp_invalid', 401, 'the one-time code is wrong or expired');
        throw invalidCredentials();
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + settings.sessionMaxHours * 60 * MINUTE_MS);
      await db.transaction(async (tx) => {
        const txRepo = createIdentityRepository(tx);
        // The code is used up here, in the session's transaction: a concurrent login with the same
        // code finds the step taken.
        const step = second?.step ?? null;
        if (step !== null && !(await txRepo.useOtpStep(user.id, step))) {
          throw new AppError('otp_invalid', 401, 'the one-time code is wrong or expired');
        }
        await txRepo.clearFailures(user.id);
        if (factor === 'enrol') {
          await txRepo.activateOtp(user.id);
          await securityEvent(tx, 'auth.otp_enabled', who, {
            ...metaData(meta),
            result: 'ok',
            atLogin: true,
          });
        }
        const sessionId = await txRepo.insertSession({
          tokenHash: tokenHash(token),
          userId: user.id,
          now,
          expiresAt,
          ...meta,
        });
        await securityEvent(tx, 'auth.login', who, { ...metaData(meta), result: 'ok', sessionId });
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
        mustChangePassword: session.mustChangePassword,
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
        await deps.sessionEnded?.(tx, actor.sessionId!);
      });
    },

    async changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }) {
      const user = await repo.findByUsername(actor.username);
      if (!user) throw errors.unauthenticated();
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        // A stolen session must not become a way to guess the password: wrong guesses here count
        // towards the same lockout as at login, and the lock ends every session of the account.
        const now = clock.now();
        const counted = await db.transaction(async (tx) => {
          const result = await countFailure(tx, user, now, {
            action: 'auth.password_change_failed',
            data: {},
          });
          if (result?.lockedUntil) await createIdentityRepository(tx).endAllSessions(user.id, now, 'locked');
          return result;
        });
        if (counted?.lockedUntil)
          throw errors.unauthenticated('too many wrong passwords; the session has ended');
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
        await txRepo.clearFailures(user.id);
        // Other sessions may belong to whoever learned the old password.
        await txRepo.endAllSessions(user.id, now, 'password_changed', actor.sessionId);
        await securityEvent(tx, 'auth.password_changed', { id: user.id, orgId: user.orgId }, {});
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

/** Where a security event came from, as the audit report shows it. */
export function metaData(meta: RequestMeta) {
  return { ip: meta.ip, userAgent: meta.userAgent };
}
