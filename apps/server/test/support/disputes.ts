import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { bearer, createHarness, DEMO_PASSWORD, type Harness } from './harness.ts';

/** The mediation desks of the demo (README.md) a dispute test logs in. */
export const MEDIATION_DESKS = [
  'community-worker',
  'mediator',
  'legal-adviser',
  'court-liaison',
  'street-dispatcher',
  'street2-dispatcher',
  'dept-handler',
  'district-dispatcher',
] as const;

export interface MediationWorld {
  h: Harness;
  as(user: string): Record<string, string>;
  /** An org unit's id by a part of its name (光明区人力资源局 …). */
  orgId(name: string): Promise<number>;
  /** Adds a staff account (a unit the demo has no desk for) and logs it in. */
  addUser(username: string, role: Role, orgId: number): Promise<string>;
  act(user: string, id: string, action: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Logs every desk in again (after the test clock jumped past the sessions' idle timeout). */
  relogin(): Promise<void>;
  detail(user: string, id: string): Promise<LightMyRequestResponse>;
  register(user: string, body: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** The confirmation codes the parties received by SMS (the local gateway's outbox), by phone. */
  codesSent(disputeId: string): Promise<Map<string, string>>;
}

export async function createMediationWorld(): Promise<MediationWorld> {
  const h = await createHarness();
  const tokens: Record<string, string> = {};
  for (const user of MEDIATION_DESKS) tokens[user] = await h.login(user);
  const as = (user: string) => bearer(tokens[user]!);
  const orgId = async (name: string) => {
    const found = await h.testDb.db.one<{ id: number }>(
      'SELECT id FROM org_unit WHERE name LIKE $1 ORDER BY length(path), id LIMIT 1',
      [`%${name}%`],
    );
    if (!found) throw new Error(`no unit named like ${name}`);
    return found.id;
  };
  return {
    h,
    as,
    orgId,
    async addUser(username, role, unitId) {
      await h.services.users.create(systemActor(['security_admin']), {
        username,
        displayName: username,
        orgId: unitId,
        roles: [role],
        password: DEMO_PASSWORD,
        mustChangePassword: false,
      });
      tokens[username] = await h.login(username);
      return tokens[username];
    },
    async relogin() {
      for (const user of Object.keys(tokens)) tokens[user] = await h.login(user);
    },
    act: (user, id, action, body = {}) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/disputes/${id}/actions/${action}`,
        headers: as(user),
        payload: body as Record<string, unknown>,
      }),
    detail: (user, id) => h.app.inject({ url: `/api/v1/disputes/${id}`, headers: as(user) }),
    register: (user, body) =>
      h.app.inject({ method: 'POST', url: '/api/v1/disputes', headers: as(user), payload: body }),
    async codesSent(disputeId) {
      const rows = await h.testDb.db.many<{ recipientEnc: string; body: string }>(
        `SELECT recipient_enc AS "recipientEnc", body FROM outbox
          WHERE dispute_id = $1 AND template = 'dispute.confirm_code' ORDER BY created_at`,
        [disputeId],
      );
      const codes = new Map<string, string>();
      for (const row of rows) {
        const code = /确认码 (\d{6})/.exec(row.body)?.[1];
        expect(code, row.body).toBeDefined();
        codes.set(h.services.cipher.decrypt(row.recipientEnc), code!);
      }
      return codes;
    },
  };
}

/** The seed's wage case: 12 workers against their employer for CNY 310,000 (Guangming, 000_…). */
export function wageCase(orgId: number) {
  const workers = Array.from({ length: 12 }, (_, i) => ({
    role: 'applicant',
    kind: 'person',
    name: `工人${'甲乙丙丁戊己庚辛壬癸子丑'[i]}某`,
    phone: `1380000${String(1000 + i)}`,
    idNumber: `4403061990010${String(1000 + i)}X`,
  }));
  return {
    kind: 'wage',
    summary: '某电子厂拖欠12名工人三个月工资共计31万元，工人在厂门口聚集讨薪',
    parties: [
      ...workers,
      {
        role: 'respondent',
        kind: 'organisation',
        name: '深圳市光明某电子有限公司',
        phone: '13900009999',
        creditCode: '91440300MA5F0XXX1B'.replace(/X/g, '2'),
      },
    ],
    amountClaimed: 310000,
    peopleInvolved: 12,
    orgId,
  };
}
