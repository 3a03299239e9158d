import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
const tokens: Record<string, string> = {};
let districtId: number;
let leaderId: string;

beforeAll(async () => {
  h = await createHarness();
  for (const username of ['admin', 'security', 'auditor', 'district-dispatcher'])
    tokens[username] = await h.login(username);
  const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokens.admin!) })).json();
  districtId = me.user.orgId;
  const users = (
    await h.app.inject({ url: '/api/v1/users?role=leader', headers: bearer(tokens.security!) })
  ).json();
  leaderId = users.items[0].id;
});
afterAll(() => h?.close());

const call = (username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: bearer(tokens[username]!), ...(payload ? { payload } : {}) });

const newUser = (username: string) => ({
  username,
  displayName: '测试用户',
  orgId: districtId,
  roles: ['leader'],
  password: 'Strong-Passw0rd!',
});
const newOrg = (code: string) => ({ code, name: '测试部门', level: 'department', parentId: districtId });

describe('the system admin manages configuration only', () => {
  test('may create an org unit', async () => {
    const response = await call('admin', 'POST', '/api/v1/orgs', newOrg('GM-TEST-1'));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      code: 'GM-TEST-1',
      level: 'department',
      parent: { id: districtId },
    });
  });
  test('is denied accounts, roles and the audit trail', async () => {
    expect((await call('admin', 'POST', '/api/v1/users', newUser('by-admin'))).statusCode).toBe(403);
    expect((await call('admin', 'GET', '/api/v1/users')).statusCode).toBe(403);
    expect((await call('admin', 'GET', '/api/v1/audit/verify')).statusCode).toBe(403);
    expect((await call('admin', 'GET', '/api/v1/audit/entries')).statusCode).toBe(403);
  });
});

describe('the security admin manages accounts and roles only', () => {
  test('may create a user, change roles, reset a password, and unlock', async () => {
    const created = await call('security', 'POST', '/api/v1/users', newUser('new-leader'));
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({
      username: 'new-leader',
      roles: ['leader'],
      mustChangePassword: true,
    });
    expect(created.json().generatedPassword).toBeNull();
    const id = created.json().user.id;
    const changed = await call('security', 'PATCH', `/api/v1/users/${id}`, {
      roles: ['district_dispatcher'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().roles).toEqual(['district_dispatcher']);
    const reset = await call('security', 'POST', `/api/v1/users/${id}/reset-password`, {});
    expect(reset.statusCode).toBe(200);
    expect(reset.json().generatedPassword).toMatch(/.{10,}/);
    expect((await call('security', 'POST', `/api/v1/users/${id}/unlock`)).statusCode).toBe(200);
  });
  test('is denied org configuration and the audit trail', async () => {
    expect((await call('security', 'POST', '/api/v1/orgs', newOrg('GM-TEST-2'))).statusCode).toBe(403);
    expect((await call('security', 'PATCH', `/api/v1/orgs/${districtId}`, { name: '改名' })).statusCode).toBe(
      403,
    );
    expect((await call('security', 'GET', '/api/v1/audit/verify')).statusCode).toBe(403);
  });
  test('cannot give one person two admin duties, nor change their own roles', async () => {
    const mixed = await call('security', 'POST', '/api/v1/users', {
      ...newUser('mixed'),
      roles: ['auditor', 'security_admin'],
    });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().error.code).toBe('invalid_roles');
    const mixedBusiness = await call('security', 'PATCH', `/api/v1/users/${leaderId}`, {
      roles: ['leader', 'system_admin'],
    });
    expect(mixedBusiness.statusCode).toBe(422);
    const me = (await call('security', 'GET', '/api/v1/auth/me')).json().user;
    const self = await call('security', 'PATCH', `/api/v1/users/${me.id}`, { roles: ['auditor'] });
    expect(self.statusCode).toBe(403);
  });
  test('a changed role ends the user’s sessions at once', async () => {
    const token = await h.login('district-dispatcher');
    const target = (await call('security', 'GET', '/api/v1/users?role=district_dispatcher'))
      .json()
      .items.find((u: { username: string }) => u.username === 'district-dispatcher');
    await call('security', 'PATCH', `/api/v1/users/${target.id}`, {
      roles: ['district_dispatcher', 'leader'],
    });
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(401);
  });
});

describe('the auditor reads the audit trail and nothing else', () => {
  test('may verify the journal and read its entries, including the role change above', async () => {
    const verify = await call('auditor', 'GET', '/api/v1/audit/verify');
    expect(verify.statusCode).toBe(200);
    expect(verify.json().status).toBe('ok');
    const entries = (await call('auditor', 'GET', '/api/v1/audit/entries?action=user.roles_changed')).json();
    expect(entries.items.length).toBeGreaterThan(0);
    expect(entries.items[0].data.roles).toBeDefined();
  });
  test('is denied users, org units and org configuration', async () => {
    expect((await call('auditor', 'GET', '/api/v1/users')).statusCode).toBe(403);
    expect((await call('auditor', 'GET', '/api/v1/orgs/tree')).statusCode).toBe(403);
    expect((await call('auditor', 'GET', `/api/v1/orgs/${districtId}`)).statusCode).toBe(403);
    expect((await call('auditor', 'POST', '/api/v1/orgs', newOrg('GM-TEST-3'))).statusCode).toBe(403);
    expect((await call('auditor', 'POST', '/api/v1/users', newUser('by-auditor'))).statusCode).toBe(403);
  });
});

describe('business roles', () => {
  test('a dispatcher may not manage accounts, configuration or the audit trail', async () => {
    const token = await h.login('street-dispatcher');
    const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
      h.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    expect((await as('POST', '/api/v1/users', newUser('by-dispatcher'))).statusCode).toBe(403);
    expect((await as('POST', '/api/v1/orgs', newOrg('GM-TEST-4'))).statusCode).toBe(403);
    expect((await as('GET', '/api/v1/audit/verify')).statusCode).toBe(403);
  });
});
