import * as OTPAuth from 'otpauth';

/**
 * The base32 TOTP secret the test and browser-test servers give the demo seed
 * (DOORSTEP_DEMO_TOTP_SECRET): admin, security and auditor must log in with its codes.
 */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Demo desks the seed enrols with DEMO_TOTP_SECRET (the roles in OTP_REQUIRED_ROLES). */
export const DEMO_OTP_USERS: readonly string[] = ['admin', 'security', 'auditor'];

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a secret at a moment, as an authenticator app shows it. */
export function otpAt(at: Date, secret = DEMO_TOTP_SECRET): string {
  return new OTPAuth.TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  }).generate({ timestamp: at.getTime() });
}

/** A login body for a demo user: with the current code for the desks that need one. */
export function demoLoginBody(
  username: string,
  password: string,
  at: Date = new Date(),
): Record<string, string> {
  return DEMO_OTP_USERS.includes(username) ? { username, password, otp: otpAt(at) } : { username, password };
}

/**
 * Logs in through any transport, completing a first-login enrolment when the server asks for it
 * (an account with a mandatory-OTP role and no secret yet answers 403 otp_enrolment_required with
 * a pending secret; the same login with that secret's code enrols and opens the session).
 */
export async function loginWithOtp<R>(
  post: (body: Record<string, string>) => Promise<{ status: number; json: () => R | Promise<R> }>,
  username: string,
  password: string,
  at: () => Date = () => new Date(),
): Promise<{ status: number; body: R }> {
  const first = await post(demoLoginBody(username, password, at()));
  const body = (await first.json()) as R & { error?: { code?: string; details?: { secret?: string } } };
  const secret = body.error?.code === 'otp_enrolment_required' ? body.error.details?.secret : undefined;
  if (!secret) return { status: first.status, body };
  const second = await post({ username, password, otp: otpAt(at(), secret) });
  return { status: second.status, body: (await second.json()) as R };
}
