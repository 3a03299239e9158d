import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/app.ts';
import { type ManualClock, manualClock } from '../../src/platform/clock.ts';
import type { Secrets } from '../../src/platform/secrets.ts';
import { seedDemo } from '../../src/seed/demo-seed.ts';
import { createServices, type ServiceSettings, type Services } from '../../src/services.ts';
import { DEMO_TOTP_SECRET, loginWithOtp } from './demo-otp.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export const DEMO_PASSWORD = 'Demo-Passw0rd!';

export const DEFAULT_SETTINGS: Omit<ServiceSettings, 'dataDir'> = {
  sessionIdleMinutes: 10,
  sessionMaxHours: 12,
  lockoutThreshold: 5,
  lockoutMinutes: 10,
};

/**
 * The suite's requests come from 127.0.0.1 (inject's address) and its appeals share one test phone
 * number: loopback is a trusted network and the per-phone limit is out of the way. Tests of the
 * limits themselves pass `app: { rateLimits: … }` without them.
 */
export const TEST_RATE_LIMITS: NonNullable<AppOptions['rateLimits']> = {
  trustedNetworks: ['127.0.0.0/8', '::1/128'],
  overrides: { 'intake-phone': { max: 100_000, windowMs: 60_000 } },
};

export interface Harness {
  testDb: TestDb;
  services: Services;
  clock: ManualClock;
  app: FastifyInstance;
  /**
   * Logs a demo user in over HTTP and returns the bearer token; sends the one-time code the admin
   * desks need (at the harness clock) and completes a first-login enrolment when asked.
   */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real database, the real services and the real HTTP app (through inject), with a manual clock
 * so idle timeouts and lockouts are tested without sleeping.
 */
export async function createHarness(
  options: {
    demo?: boolean;
    settings?: Partial<ServiceSettings>;
    app?: Partial<Omit<AppOptions, 'services'>>;
    /** Fixed keys instead of random ones (key rotation tests). */
    secrets?: Partial<Secrets>;
    /** A database prepared by the test (e.g. migrated to an older version); closed with the harness. */
    testDb?: TestDb;
    /** Seed the demo's mediation register and rooms (false for a schema older than 0024). */
    demoMediation?: boolean;
  } = {},
): Promise<Harness> {
  const testDb = options.testDb ?? (await createTestDb());
  // A real data folder for uploaded files, removed afterwards.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'doorstep-test-'));
  const clock = manualClock('2026-10-09T09:00:00+08:00');
  const services = createServices({
    db: testDb.db,
    clock,
    secrets: { sessionSecret: randomBytes(32).toString('hex'), dataKey: randomBytes(32), ...options.secrets },
    settings: { ...DEFAULT_SETTINGS, dataDir, ...options.settings },
  });
  if (options.demo ?? true)
    await seedDemo(services, {
      password: DEMO_PASSWORD,
      dataDir: '/nonexistent',
      totpSecret: DEMO_TOTP_SECRET,
      mediation: options.demoMediation,
    });
  const app = await buildApp({
    services,
    logger: process.env.DOORSTEP_TEST_LOG ? { level: 'error' } : false,
    rateLimits: TEST_RATE_LIMITS,
    ...options.app,
  });
  await app.ready();
  return {
    testDb,
    services,
    clock,
    app,
    async login(username, password = DEMO_PASSWORD) {
      const attempt = () =>
        loginWithOtp(
          async (payload) => {
            const reply = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
            return { status: reply.statusCode, json: () => reply.json() as { token: string } };
          },
          username,
          password,
          () => clock.now(),
        );
      let response = await attempt();
      // A one-time code is good once: a second login of the same desk at the same (frozen) test
      // time waits for the next 30-second step, as a person would.
      for (
        let i = 0;
        i < 2 && (response.body as { error?: { code?: string } }).error?.code === 'otp_invalid';
        i++
      ) {
        clock.advance(30_000);
        response = await attempt();
      }
      if (response.status !== 200)
        throw new Error(`login of ${username} failed: ${JSON.stringify(response.body)}`);
      const { token, user } = response.body as { token: string; user?: { mustChangePassword?: boolean } };
      // An account a test created carries a password "given by the security admin": it is changed
      // first (the server allows nothing else), then set back, so the test keeps its one password.
      if (user?.mustChangePassword) {
        const change = (currentPassword: string, newPassword: string) =>
          app.inject({
            method: 'POST',
            url: '/api/v1/auth/password',
            headers: bearer(token),
            payload: { currentPassword, newPassword },
          });
        const interim = `${password}-Interim-9`;
        for (const [from, to] of [
          [password, interim],
          [interim, password],
        ] as const) {
          const changed = await change(from, to);
          if (changed.statusCode !== 204)
            throw new Error(`first password change of ${username}: ${changed.body}`);
        }
      }
      return token;
    },
    async close() {
      await app.close();
      await testDb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

export { DEMO_OTP_USERS, DEMO_TOTP_SECRET, demoLoginBody, otpAt } from './demo-otp.ts';
