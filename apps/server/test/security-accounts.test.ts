import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, DEMO_PASSWORD, type Harness, otpAt } from './support/harness.ts';

/**
 * Issue #19, finding 8 (accounts). A password the security admin hands out must be changed before
 * the account reads anything; a session cannot be used to guess the account's password.
 */
let h: Harness;
let security: string;
let orgId: number;
beforeAll(async () => {
  h = await createHarness();
  security = await h.login('security');
  orgId = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(security) })).json().user.orgId;
});
afterAll(() => h?.close());

const GIVEN = 'Given-by-Security-7';
async function newDispatcher(username: string) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(security),
    payload: { username, displayName: '新调度员', orgId, roles: ['district_dispatcher'], password: GIVEN },
  });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json().user.mustChangePassword).toBe(true);
  const login = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: GIVEN },
  });
  expect(login.statusCode, login.body).toBe(200);
  return login.json().token as string;
}

const get = (token: string, url: string) => h.app.inject({ url, headers: bearer(token) });
const changePassword = (token: string, currentPassword: string, newPassword: string) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/password',
    headers: bearer(token),
    payload: { currentPassword, newPassword },
  });

describe('a password given by the security admin', () => {
  test('lets the new account reach only its own session until it is changed', async () => {
    const token = await newDispatcher('new-dispatcher');
    for (const url of ['/api/v1/appeals', '/api/v1/inbox', '/api/v1/orgs', '/api/v1/stats']) {
      const refused = await get(token, url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().error.code).toBe('password_change_required');
    }
    // Filing on the hotline in its name is refused too: on a public route it is nobody.
    const hotline = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: bearer(token),
      payload: { channel: 'hotline', content: '市民来电反映路灯不亮' },
    });
    expect(hotline.statusCode).toBe(401);
    expect((await get(token, '/api/v1/auth/me')).json().user.mustChangePassword).toBe(true);

    expect((await changePassword(token, GIVEN, 'Own-Chosen-Passw0rd-5')).statusCode).toBe(204);
    expect((await get(token, '/api/v1/appeals')).statusCode).toBe(200);
    expect((await get(token, '/api/v1/auth/me')).json().user.mustChangePassword).toBe(false);
  });
});

describe('changing one’s password', () => {
  test('wrong current passwords lock the account and end the session, like wrong logins', async () => {
    const token = await newDispatcher('guessed-dispatcher');
    for (let i = 0; i < 4; i++) {
      const wrong = await changePassword(token, `Guess-Number-${i}x`, 'Whatever-Passw0rd-1');
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error.code).toBe('invalid_credentials');
    }
    const fifth = await changePassword(token, 'Guess-Number-5x', 'Whatever-Passw0rd-1');
    expect(fifth.statusCode).toBe(401);
    expect((await get(token, '/api/v1/auth/me')).statusCode).toBe(401);
    // Locked: even the right password does not log in now.
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'guessed-dispatcher', password: GIVEN },
    });
    expect(login.statusCode).toBe(401);
    const locks = await h.services.journal.list(h.services.db, {
      stream: 'security',
      action: 'auth.locked',
      limit: 5,
    });
    expect(locks.length).toBeGreaterThan(0);
  });
});

describe('replacing the one-time-code secret', () => {
  test('takes the password and a code from the secret in use, not the session alone', async () => {
    const token = await h.login('leader');
    const enrol = async () =>
      (await h.app.inject({ method: 'POST', url: '/api/v1/auth/otp', headers: bearer(token) })).json()
        .secret as string;
    const confirm = (payload: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/otp/confirm', headers: bearer(token), payload });
    // First enrolment: the session proves the new secret, as before.
    const first = await enrol();
    expect((await confirm({ otp: otpAt(h.clock.now(), first) })).statusCode).toBe(204);

    // A thief with the session starts a second one and proves only their own new secret.
    const thiefs = await enrol();
    const stolen = await confirm({ otp: otpAt(h.clock.now(), thiefs) });
    expect(stolen.statusCode).toBe(403);
    expect(stolen.json().error.code).toBe('reauthentication_required');
    const noCode = await confirm({ otp: otpAt(h.clock.now(), thiefs), password: DEMO_PASSWORD });
    expect(noCode.statusCode).toBe(403);
    // The owner, with password and a code from the secret in use, moves it to a new phone.
    const owners = await confirm({
      otp: otpAt(h.clock.now(), thiefs),
      password: DEMO_PASSWORD,
      currentOtp: otpAt(h.clock.now(), first),
    });
    expect(owners.statusCode, owners.body).toBe(204);
  });
});

describe('an administrator account needs a second administrator (two-person rule)', () => {
  test('the security admin alone cannot create one that works, choose its password or promote anyone', async () => {
    const body = { username: 'lone-auditor', displayName: '审计员', orgId, roles: ['auditor'] };
    const withPassword = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(security),
      payload: { ...body, password: 'Chosen-By-Creator-7' },
    });
    expect(withPassword.statusCode).toBe(422);
    expect(withPassword.json().error.code).toBe('password_set_at_approval');

    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(security),
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ user: { awaitingApproval: true }, generatedPassword: null });
    const id = created.json().user.id;
    // Waiting: nobody can log in as it, and a reset does not hand its creator a password.
    const reset = await h.app.inject({
      method: 'POST',
      url: `/api/v1/users/${id}/reset-password`,
      headers: bearer(security),
      payload: {},
    });
    expect(reset.statusCode).toBe(409);
    const own = await h.app.inject({
      method: 'POST',
      url: `/api/v1/users/${id}/approve`,
      headers: bearer(security),
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('second_approver_required');

    // Nor can an existing account be promoted to an administrator role.
    const leader = (await get(security, '/api/v1/users?role=leader')).json().items[0];
    const promoted = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${leader.id}`,
      headers: bearer(security),
      payload: { roles: ['auditor'] },
    });
    expect(promoted.statusCode).toBe(422);
    expect(promoted.json().error.code).toBe('admin_role_needs_approval');

    // The system admin approves and alone receives the first password, which then works.
    const approved = await h.app.inject({
      method: 'POST',
      url: `/api/v1/users/${id}/approve`,
      headers: bearer(await h.login('admin')),
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().user).toMatchObject({ awaitingApproval: false, mustChangePassword: true });
    const first = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'lone-auditor', password: approved.json().generatedPassword },
    });
    // The password is right: the next step is the auditor's own authenticator.
    expect(first.json().error.code).toBe('otp_enrolment_required');
    const events = await h.services.journal.list(h.services.db, {
      stream: 'security',
      action: 'user.approved',
      limit: 5,
    });
    expect(events[0]?.data).toMatchObject({ username: 'lone-auditor' });
  });
});
