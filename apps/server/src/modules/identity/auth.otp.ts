import * as OTPAuth from 'otpauth';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { createIdentityRepository } from './identity.repository.ts';

/*
 * One-time codes (TOTP, RFC 6238) apart from the login that checks them: the code check itself,
 * and enrolling, installing or replacing an account's secret.
 */

const OTP_PERIOD_SECONDS = 30;

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export function totpFor(base32: string, label?: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: 'Doorstep',
    ...(label ? { label } : {}),
    algorithm: 'SHA1',
    digits: 6,
    period: OTP_PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(base32),
  });
}

/** Checks codes against an encrypted secret at the injected clock's time. */
export function createTotpCheck(deps: { cipher: FieldCipher; clock: Clock }) {
  const { cipher, clock } = deps;
  /**
   * The time step a code belongs to, or null when it matches none. One step either side of now: a
   * phone clock a little off still works.
   */
  function otpStep(secretEnc: string, otp: string): number | null {
    const now = clock.now().getTime();
    const delta = totpFor(cipher.decrypt(secretEnc)).validate({ token: otp, timestamp: now, window: 1 });
    return delta === null ? null : Math.floor(now / 1000 / OTP_PERIOD_SECONDS) + delta;
  }

  function otpMatches(secretEnc: string, otp: string): boolean {
    return otpStep(secretEnc, otp) !== null;
  }
  return { otpStep, otpMatches };
}

type SecurityEvent = (
  tx: Queryable,
  action: string,
  actor: { id: string | null; orgId: number | null },
  data: Record<string, unknown>,
) => Promise<void>;

/** Enrolment of a secret: started and confirmed by its user, or installed by an operator. */
export function createOtpEnrolment(deps: {
  db: Db;
  cipher: FieldCipher;
  clock: Clock;
  securityEvent: SecurityEvent;
}) {
  const { db, cipher, securityEvent } = deps;
  const repo = createIdentityRepository(db);
  const { otpMatches } = createTotpCheck(deps);
  return {
    /**
     * Installs a known TOTP secret for an account, with no proof of holding it: for the demo seed
     * (DOORSTEP_DEMO_TOTP_SECRET) and operators, never reachable over HTTP. Journaled.
     */
    async installOtpSecret(username: string, base32: string, by: string) {
      const user = await repo.findByUsername(username);
      if (!user) throw errors.notFound('the user', { username });
      OTPAuth.Secret.fromBase32(base32);
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).setOtpSecret(user.id, cipher.encrypt(base32));
        await securityEvent(tx, 'auth.otp_enabled', { id: user.id, orgId: user.orgId }, { by, result: 'ok' });
      });
    },

    /** TOTP enrolment: a pending secret becomes active once the user proves they hold it. */
    async startOtpEnrolment(actor: Actor) {
      const user = await repo.findByUsername(actor.username);
      if (!user) throw errors.unauthenticated();
      const secret = new OTPAuth.Secret({ size: 20 });
      await repo.setPendingOtp(user.id, cipher.encrypt(secret.base32));
      return { secret: secret.base32, uri: totpFor(secret.base32, user.username).toString() };
    },

    /**
     * Activates the pending secret. Replacing a secret already in use also takes the password and
     * a code from that secret: a stolen session alone cannot move the second factor to a phone of
     * the thief's.
     */
    async confirmOtpEnrolment(actor: Actor, input: { otp: string; password?: string; currentOtp?: string }) {
      const { otp } = input;
      const user = await repo.findByUsername(actor.username);
      const pending = user ? await repo.pendingOtp(user.id) : null;
      if (!user || !pending) throw errors.conflict('no one-time-code enrolment is in progress');
      if (user.totpSecretEnc) {
        const passwordOk = input.password ? await verifyPassword(user.passwordHash, input.password) : false;
        const currentOk = input.currentOtp ? otpMatches(user.totpSecretEnc, input.currentOtp) : false;
        if (!passwordOk || !currentOk) {
          await db.transaction((tx) =>
            securityEvent(
              tx,
              'auth.otp_replace_refused',
              { id: user.id, orgId: user.orgId },
              { result: 'refused' },
            ),
          );
          throw new AppError(
            'reauthentication_required',
            403,
            'replacing the one-time-code secret takes the password and a code from the secret in use',
          );
        }
      }
      if (!otpMatches(pending, otp)) {
        throw errors.unprocessable('wrong_otp', 'the one-time code does not match');
      }
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).activateOtp(user.id);
        await securityEvent(tx, 'auth.otp_enabled', { id: user.id, orgId: user.orgId }, {});
      });
    },
  };
}
