import { afterAll, describe, expect, test } from 'vitest';
import { bearer, createHarness } from './support/harness.ts';

// The web shows pages by what the server's policy table grants (issue #18: the console's copied
// role lists are gone): /auth/me and the login reply carry the user's permissions.

const h = await createHarness();
afterAll(() => h.close());

async function permissionsOf(username: string): Promise<string[]> {
  const me = await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(await h.login(username)) });
  expect(me.statusCode).toBe(200);
  return me.json().user.permissions;
}

describe('the permissions a user’s roles grant', () => {
  test('a leader may open the wall and the supervision board, and configures nothing', async () => {
    const permissions = await permissionsOf('leader');
    expect(permissions).toEqual(
      expect.arrayContaining(['appeals.read', 'appeals.supervise', 'stats.screen']),
    );
    expect(permissions).not.toContain('orgs.manage');
    expect(permissions).toEqual([...permissions].sort());
  });

  test('a grid worker reads appeals but has no wall and no supervision board', async () => {
    const permissions = await permissionsOf('grid-worker');
    expect(permissions).toContain('appeals.read');
    expect(permissions).not.toContain('stats.screen');
    expect(permissions).not.toContain('appeals.supervise');
  });

  test('the system admin configures and reaches no business data (三权分立)', async () => {
    const permissions = await permissionsOf('admin');
    expect(permissions).toContain('orgs.manage');
    expect(permissions.filter((name) => /^(appeals|stats|events)\./.test(name))).toEqual([]);
  });

  test('each list is the policy table’s answer for the user’s roles', async () => {
    for (const username of ['district-dispatcher', 'dept-handler', 'auditor']) {
      const token = await h.login(username);
      const { user } = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json();
      expect(user.permissions).toEqual(h.services.authorizer.permissionsOf(user.roles));
    }
  });
});
