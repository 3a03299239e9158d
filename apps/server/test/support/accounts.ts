import { expect } from 'vitest';
import { bearer, type Harness } from './harness.ts';

/**
 * An administrator account (系统管理员, 安全管理员 or 审计员) the way the two-person rule makes one:
 * the security admin creates it, a second administrator (the system admin by default) approves it
 * and receives its first password. Returns the account's id and that password.
 */
export async function createAdminAccount(
  h: Harness,
  user: { username: string; displayName: string; orgId: number; roles: string[] },
  approver = 'admin',
): Promise<{ id: string; password: string }> {
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(await h.login('security')),
    payload: user,
  });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json().user.awaitingApproval).toBe(true);
  const id = created.json().user.id as string;
  const approved = await h.app.inject({
    method: 'POST',
    url: `/api/v1/users/${id}/approve`,
    headers: bearer(await h.login(approver)),
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return { id, password: approved.json().generatedPassword };
}
