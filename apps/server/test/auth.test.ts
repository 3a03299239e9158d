import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, DEMO_PASSWORD, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const MINUTE = 60_000;

async function attempt(username: string, password: string) {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}

describe('logging in', () => {
  test('district-dispatcher logs in with the demo password and gets a token, a cookie and their unit', async () => {
    const response = await attempt('district-dispatcher', DEMO_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(body.user).toMatchObject({
      username: 'district-dispatcher',
      roles: ['district_dispatcher'],
      orgName: '光明区',
    });
    expect(typeof body.user.orgId).toBe('number');
    const cookie = response.cookies.find((c) => c.name === 'doorstep_session');
    expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Strict' });
    const me = await h.app.inject({ url: '/api/v1/auth/me', cookies: { doorstep_session: body.token } });
    expect(me.json().user.username).toBe('district-dispatcher');
  });

  test('a wrong password and an unknown user get the same 401 answer', async () => {
    const wrong = await attempt('leader', 'Not-the-passw0rd');
    const unknown = await attempt('nobody-here', 'Not-the-passw0rd');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  test('after 5 failures in a row the account is locked for 10 minutes, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('mediator', 'wrong-Passw0rd')).statusCode).toBe(401);
    h.clock.advance(9 * MINUTE);
    const stillLocked = await attempt('mediator', DEMO_PASSWORD);
    expect(stillLocked.statusCode).toBe(401);
    h.clock.advance(1 * MINUTE + 1000);
    expect((await attempt('mediator', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  test('a locked account, an unknown name and a wrong password answer alike (issue #19, finding 9)', async () => {
    for (let i = 0; i < 5; i++) await attempt('community-worker', 'wrong-Passw0rd');
    const locked = await attempt('community-worker', DEMO_PASSWORD);
    for (let i = 0; i < 5; i++) await attempt('no-such-desk', 'wrong-Passw0rd');
    const unknown = await attempt('no-such-desk', 'wrong-Passw0rd');
    const wrong = await attempt('leader', 'wrong-Passw0rd');
    for (const reply of [locked, unknown, wrong]) {
      expect(reply.statusCode).toBe(401);
      expect(reply.headers['retry-after']).toBeUndefined();
      expect(reply.json()).toEqual(wrong.json());
    }
    // The unknown name was locked too, as the auditor sees it.
    const locks = await h.services.journal.list(h.services.db, {
      stream: 'security',
      action: 'auth.locked',
      limit: 50,
    });
    expect(locks.map((e) => e.data.username ?? null)).toContain('no-such-desk');
  });

  test('a success resets the count, so failures must come in a row to lock', async () => {
    for (let i = 0; i < 4; i++) await attempt('station-worker', 'wrong-Passw0rd');
    expect((await attempt('station-worker', DEMO_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await attempt('station-worker', 'wrong-Passw0rd')).statusCode).toBe(401);
    expect((await attempt('station-worker', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  test('logins, failures and the lockout are written to the security journal', async () => {
    const actions = (await h.services.journal.list(h.services.db, { stream: 'security', limit: 500 })).map(
      (e) => e.action,
    );
    expect(actions).toContain('auth.login');
    expect(actions).toContain('auth.login_failed');
    expect(actions).toContain('auth.locked');
  });

  test('the login body is validated after authentication rules: missing fields give 400 with details', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.details.issues.length).toBeGreaterThan(0);
  });
});

describe('sessions', () => {
  test('a session idle for more than 10 minutes ends; activity keeps it alive', async () => {
    const token = await h.login('leader');
    h.clock.advance(9 * MINUTE);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    h.clock.advance(9 * MINUTE);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    h.clock.advance(10 * MINUTE + 1000);
    const expired = await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error).toMatchObject({ code: 'session_expired', details: { reason: 'idle' } });
    // An ended session stays ended even if the clock were to allow it again.
    h.clock.advance(-5 * MINUTE);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    h.clock.advance(5 * MINUTE);
  });

  test('a session has an absolute lifetime of 12 hours however busy it is', async () => {
    const token = await h.login('leader');
    for (let step = 0; step < 80; step++) {
      h.clock.advance(9 * MINUTE + 59_000);
      const response = await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
      if (response.statusCode !== 200) {
        expect(response.json().error.details.reason).toBe('expired');
        expect(step).toBeGreaterThanOrEqual(72);
        return;
      }
    }
    throw new Error('the session outlived its absolute lifetime');
  });

  test('logout ends the session', async () => {
    const token = await h.login('leader');
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode,
    ).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  test('changing the password ends the other sessions and the old password stops working', async () => {
    const first = await h.login('grid-worker');
    const second = await h.login('grid-worker');
    const weak = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(second),
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.code).toBe('weak_password');
    const changed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(second),
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'New-Grid-Passw0rd' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(first) })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(second) })).statusCode).toBe(200);
    expect((await attempt('grid-worker', DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await attempt('grid-worker', 'New-Grid-Passw0rd')).statusCode).toBe(200);
  });

  test('a forged or missing token gets 401 on a staff route whatever its parameters', async () => {
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer('forged-token') })).statusCode).toBe(
      401,
    );
    const anonymous = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { nonsense: true },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
    const badId = await h.app.inject({ url: '/api/v1/orgs/not-a-number' });
    expect(badId.statusCode).toBe(401);
  });
});
