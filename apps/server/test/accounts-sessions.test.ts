import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAdminAccount } from './support/accounts.ts';
import { bearer, createHarness, DEMO_PASSWORD, demoLoginBody, type Harness } from './support/harness.ts';

/**
 * One's sessions: listed with when, where from and on what; ended one by one. Nobody ends another
 * person's session by guessing or swapping its id, except the security admin over their subtree.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

async function loginFrom(username: string, userAgent: string) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: demoLoginBody(username, DEMO_PASSWORD, h.clock.now()),
    headers: { 'user-agent': userAgent },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().token as string;
}

const listOwn = (token: string) => h.app.inject({ url: '/api/v1/auth/sessions', headers: bearer(token) });
const revoke = (token: string, id: string) =>
  h.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${id}`, headers: bearer(token) });
const me = (token: string) => h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });

describe('one’s own sessions', () => {
  let phone: string;
  let desktop: string;

  beforeAll(async () => {
    phone = await loginFrom('grid-worker', 'Mozilla/5.0 (iPhone) 政务微信');
    h.clock.advance(60_000);
    desktop = await loginFrom('grid-worker', 'Mozilla/5.0 (Windows NT 10.0) Chrome/131');
  });

  test('lists every open session with created, last seen, address, user agent and which is this one', async () => {
    const response = await listOwn(desktop);
    expect(response.statusCode).toBe(200);
    const items = response.json().items;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      ip: '127.0.0.1',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/131',
      current: true,
      createdAt: h.clock.now().toISOString(),
    });
    expect(items[1]).toMatchObject({ userAgent: 'Mozilla/5.0 (iPhone) 政务微信', current: false });
    expect(typeof items[1].lastSeenAt).toBe('string');
    // The token never comes back, not even hashed.
    expect(response.body).not.toContain(phone);
  });

  test('ending the phone’s session from the desktop: the phone is logged out, the desktop is not', async () => {
    const phoneSession = (await listOwn(desktop)).json().items.find((s: { current: boolean }) => !s.current);
    expect((await revoke(desktop, phoneSession.id)).statusCode).toBe(204);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(desktop)).statusCode).toBe(200);
    expect((await listOwn(desktop)).json().items).toHaveLength(1);
    // Ended, it is gone: a second DELETE answers 404.
    expect((await revoke(desktop, phoneSession.id)).statusCode).toBe(404);
    const entry = (await h.services.journal.list(h.services.db, { stream: 'security', limit: 50 })).find(
      (e) => e.action === 'auth.session_revoked',
    );
    expect(entry?.data).toMatchObject({ result: 'ok', own: true, ip: '127.0.0.1' });
  });

  test('anonymous: 401; a malformed id: 400', async () => {
    expect((await h.app.inject({ url: '/api/v1/auth/sessions' })).statusCode).toBe(401);
    expect((await revoke(desktop, 'not-a-uuid')).statusCode).toBe(400);
  });
});

describe('another person’s session', () => {
  test('a user cannot end a colleague’s session by its id: 404 like an unknown id, and it stays open', async () => {
    const victim = await loginFrom('community-worker', 'victim-browser');
    const victimSession = (await listOwn(victim)).json().items[0].id;
    const attacker = await loginFrom('station-worker', 'attacker-browser');
    const refused = await revoke(attacker, victimSession);
    const unknown = await revoke(attacker, '00000000-0000-4000-8000-000000000000');
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe(unknown.json().error.code);
    expect((await me(victim)).statusCode).toBe(200);
    // The attempt is in the security journal.
    const entry = (await h.services.journal.list(h.services.db, { stream: 'security', limit: 50 })).find(
      (e) => e.action === 'auth.session_revoke_refused' && e.subjectId === victimSession,
    );
    expect(entry?.data).toMatchObject({ result: 'refused', ip: '127.0.0.1' });
    expect(entry?.actorId).toBe((await me(attacker)).json().user.id);
  });

  test('the security admin lists and ends a session of an account in their subtree', async () => {
    const worker = await loginFrom('dept-handler', 'lost-phone');
    const security = await h.login('security');
    const user = (await me(worker)).json().user;
    const listed = await h.app.inject({
      url: `/api/v1/users/${user.id}/sessions`,
      headers: bearer(security),
    });
    expect(listed.statusCode).toBe(200);
    const lost = listed.json().items.find((s: { userAgent: string }) => s.userAgent === 'lost-phone');
    expect(lost.current).toBe(false);
    expect((await revoke(security, lost.id)).statusCode).toBe(204);
    expect((await me(worker)).statusCode).toBe(401);
  });

  test('listing another account’s sessions needs users.manage: a dispatcher gets 403', async () => {
    const dispatcher = await h.login('district-dispatcher');
    const user = (await me(await h.login('leader'))).json().user;
    const response = await h.app.inject({
      url: `/api/v1/users/${user.id}/sessions`,
      headers: bearer(dispatcher),
    });
    expect(response.statusCode).toBe(403);
  });

  test('a subdistrict’s security admin cannot end a session of an account outside their subtree', async () => {
    const street = (await me(await h.login('street-dispatcher'))).json().user;
    const { password } = await createAdminAccount(h, {
      username: 'street-security',
      displayName: '街道安全管理员',
      orgId: street.orgId,
      roles: ['security_admin'],
    });
    const streetSecurity = await h.login('street-security', password);
    const leader = await loginFrom('leader', 'district-desk');
    const leaderSession = (await listOwn(leader))
      .json()
      .items.find((s: { current: boolean }) => s.current).id;
    expect((await revoke(streetSecurity, leaderSession)).statusCode).toBe(404);
    expect((await me(leader)).statusCode).toBe(200);
  });
});
