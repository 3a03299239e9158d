import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAdminAccount } from './support/accounts.ts';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { bearer, DEMO_PASSWORD, otpAt } from './support/harness.ts';

/**
 * The auditor's report over a window of the security journal: every login, failure, lockout,
 * one-time-code failure, session end, export and full view of personal data, each with who, from
 * where (IP, user agent) and with what result.
 */
let w: AppealWorld;
let from: string;
interface Item {
  action: string;
  actor: { id: string | null; username: string | null; orgId: number | null };
  ip: string | null;
  userAgent: string | null;
  result: string | null;
  subject: { type: string | null; id: string | null };
  detail: Record<string, unknown>;
}
type Sections = Record<string, { count: number; items: Item[]; truncated: boolean }>;
let report: Sections;
const UA = 'Mozilla/5.0 audit-report-test';

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  w.h.app.inject({ method: 'POST', url, payload, headers: { 'user-agent': UA, ...headers } });
const login = (payload: object) => post('/api/v1/auth/login', payload);
const get = (url: string, token?: string) =>
  w.h.app.inject({ url, headers: { 'user-agent': UA, ...(token ? bearer(token) : {}) } });
const reportUrl = (to = new Date(w.h.clock.now().getTime() + 60_000).toISOString()) =>
  `/api/v1/audit/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'auditor', 'security', 'admin', 'street-dispatcher']);
  w.h.clock.advance(60_000);
  from = w.h.clock.now().toISOString();
  w.h.clock.advance(1000);

  expect((await login({ username: 'leader', password: DEMO_PASSWORD })).statusCode).toBe(200);
  expect((await login({ username: 'leader', password: 'Wrong-Passw0rd' })).statusCode).toBe(401);
  expect((await login({ username: 'no-such-user', password: 'Wrong-Passw0rd' })).statusCode).toBe(401);
  for (let i = 0; i < 5; i++) await login({ username: 'mediator', password: 'Wrong-Passw0rd' });
  const wrongOtp = String((Number(otpAt(w.h.clock.now())) + 500_000) % 1_000_000).padStart(6, '0');
  expect((await login({ username: 'admin', password: DEMO_PASSWORD, otp: wrongOtp })).json().error.code).toBe(
    'otp_invalid',
  );
  const dispatcher = w.token('district-dispatcher');
  expect((await get('/api/v1/appeals/export', dispatcher)).statusCode).toBe(200);
  const appeal = await w.newAppeal({ contact: { name: '李四', phone: '13911112222' } });
  const revealed = await w.h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${appeal.id}/contact`,
    headers: { ...bearer(dispatcher), 'user-agent': UA },
    payload: { reason: '回访核实' },
  });
  expect(revealed.statusCode, revealed.body).toBe(200);

  const response = await get(reportUrl(), w.token('auditor'));
  expect(response.statusCode, response.body).toBe(200);
  report = response.json().sections;
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('the auditor’s report', () => {
  test('logins: counted and listed with actor, IP, user agent and result', () => {
    const leader = report.logins!.items.find((i) => i.actor.username === 'leader');
    expect(leader).toMatchObject({ ip: '127.0.0.1', userAgent: UA, result: 'ok', action: 'auth.login' });
    expect(report.logins!.count).toBe(report.logins!.items.length);
    // The report's own login (the auditor, before the window) is not in it.
    expect(report.logins!.items.some((i) => i.actor.username === 'auditor')).toBe(false);
  });

  test('failures: a wrong password, an unknown user (by the name tried), wrong one-time codes', () => {
    const failures = report.loginFailures!.items;
    expect(failures.find((i) => i.actor.username === 'leader')).toMatchObject({
      result: 'failed',
      detail: expect.objectContaining({ reason: 'wrong_password' }),
      userAgent: UA,
    });
    expect(failures.find((i) => i.detail.username === 'no-such-user')).toMatchObject({
      actor: { id: null, username: null, orgId: null },
      detail: expect.objectContaining({ reason: 'unknown_user' }),
    });
    expect(failures.filter((i) => i.actor.username === 'mediator')).toHaveLength(5);
    expect(report.loginFailures!.count).toBe(1 + 1 + 5 + 1);
    expect(report.otpFailures!.items).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ username: 'admin' }),
        result: 'failed',
        ip: '127.0.0.1',
      }),
    ]);
  });

  test('the lockout, the export and the full view of a resident’s contact', () => {
    expect(report.lockouts!.items).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ username: 'mediator' }), result: 'locked' }),
    ]);
    expect(report.exports!.items[0]).toMatchObject({
      action: 'appeals.exported',
      actor: { username: 'district-dispatcher' },
      ip: '127.0.0.1',
      userAgent: UA,
    });
    expect(report.personalDataViews!.items[0]).toMatchObject({
      actor: { username: 'district-dispatcher' },
      ip: '127.0.0.1',
      userAgent: UA,
      subject: { type: 'appeal' },
      detail: expect.objectContaining({ reason: '回访核实', fields: ['contact'] }),
    });
    // The report names who looked, never what they saw.
    expect(JSON.stringify(report)).not.toContain('13911112222');
  });

  test('a window before all of it is empty', async () => {
    const response = await get(
      `/api/v1/audit/report?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`,
      w.token('auditor'),
    );
    expect(Object.values(response.json().sections as Sections).map((s) => s.count)).toEqual(
      Object.keys(report).map(() => 0),
    );
  });
});

describe('who may read it', () => {
  test('the security admin may; the system admin and a dispatcher may not (403); nobody anonymous (401)', async () => {
    expect((await get(reportUrl(), w.token('security'))).statusCode).toBe(200);
    expect((await get(reportUrl(), w.token('admin'))).statusCode).toBe(403);
    expect((await get(reportUrl(), w.token('district-dispatcher'))).statusCode).toBe(403);
    expect((await get(reportUrl())).statusCode).toBe(401);
  });

  test('a subdistrict’s security admin sees only the events of their own staff', async () => {
    const street = (await get('/api/v1/auth/me', w.token('street-dispatcher'))).json().user;
    const { password } = await createAdminAccount(w.h, {
      username: 'street-sec',
      displayName: '街道安全员',
      orgId: street.orgId,
      roles: ['security_admin'],
    });
    await w.h.login('street-dispatcher');
    const token = await w.h.login('street-sec', password);
    const sections = (await get(reportUrl(), token)).json().sections as Sections;
    const names = new Set(Object.values(sections).flatMap((s) => s.items.map((i) => i.actor.username)));
    expect(names.has('street-dispatcher')).toBe(true);
    // The mediator works in a 光明 community, so they are this admin's staff; the district desks are not.
    expect(names.has('mediator')).toBe(true);
    for (const outside of ['leader', 'district-dispatcher', 'admin', null]) {
      expect([outside, names.has(outside)]).toEqual([outside, false]);
    }
  });

  test('without a window: the last 7 days up to now', async () => {
    const response = await get('/api/v1/audit/report', w.token('auditor'));
    expect(response.statusCode).toBe(200);
    expect(response.json().to).toBe(w.h.clock.now().toISOString());
    expect(response.json().sections.logins.count).toBeGreaterThanOrEqual(report.logins!.count);
  });

  test('bad windows are 400 with the error model', async () => {
    const auditor = w.token('auditor');
    for (const url of [
      `/api/v1/audit/report?from=${from}&to=${from}`,
      '/api/v1/audit/report?from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z',
      '/api/v1/audit/report?from=yesterday&to=today',
    ]) {
      const response = await get(url, auditor);
      expect([url, response.statusCode]).toEqual([url, 400]);
      expect(response.json().error.code).toEqual(expect.any(String));
    }
  });
});

describe('retention: audit records outlive 6 months', () => {
  test('an entry seven months old cannot be deleted, nor the journal truncated, and the chain still verifies', async () => {
    const db = w.h.services.db;
    const now = w.h.clock.now();
    w.h.clock.set(new Date(now.getTime() - 213 * 86_400_000));
    expect((await login({ username: 'leader', password: DEMO_PASSWORD })).statusCode).toBe(200);
    w.h.clock.set(now);
    const sixMonthsAgo = new Date(now.getTime() - 183 * 86_400_000);
    const old = await db.one<{ count: number }>('SELECT count(*)::int AS count FROM journal WHERE at < $1', [
      sixMonthsAgo,
    ]);
    expect(old?.count).toBeGreaterThan(0);
    await expect(db.query('DELETE FROM journal WHERE at < $1', [sixMonthsAgo])).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('TRUNCATE journal')).rejects.toThrow(/append-only/);
    await expect(db.query("UPDATE journal SET data = '{}'::jsonb WHERE stream = 'security'")).rejects.toThrow(
      /append-only/,
    );
    const after = await db.one<{ count: number }>(
      'SELECT count(*)::int AS count FROM journal WHERE at < $1',
      [sixMonthsAgo],
    );
    expect(after?.count).toBe(old?.count);
    const verified = await get('/api/v1/audit/verify', w.token('auditor'));
    expect(verified.json().status).toBe('ok');
  });
});
