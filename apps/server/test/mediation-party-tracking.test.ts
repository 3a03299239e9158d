import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { createMediationWorld, type MediationWorld } from './support/disputes.ts';

/*
 * The parties' own way into their case (resident app, no login): the registration SMS carries a
 * 查询码; with it a party sees where the case stands, with nothing personal in it, and confirms the
 * agreement with the 确认码 of the second SMS. Wrong codes count against the case's waiting
 * parties, so the six digits cannot be guessed through this door either.
 */

let w: MediationWorld;
let caseId: string;
let trackingCode: string;
let community: number;
const NAMES = ['邻居张某某', '邻居王某某'];
const PHONES = ['13800002001', '13800002002'];

const track = (code: string) => w.h.app.inject({ url: `/api/v1/track/disputes/${code}` });
const confirm = (code: string, payload: unknown) =>
  w.h.app.inject({
    method: 'POST',
    url: `/api/v1/track/disputes/${code}/confirmation`,
    payload: payload as Record<string, unknown>,
  });
/** Accepted at the community and given to its registered mediator. */
const acceptAndAssign = async () => {
  await ok('community-worker', 'accept');
  const mediators = (
    await w.h.app.inject({ url: '/api/v1/mediators', headers: w.as('community-worker') })
  ).json().items;
  const mediator = mediators.find((m: { kind: string }) => m.kind === 'mediator');
  await ok('community-worker', 'assign', { mediatorId: mediator.userId });
};
const ok = async (user: string, action: string, body: unknown = {}) => {
  const reply = await w.act(user, caseId, action, body);
  expect(reply.statusCode, `${user} ${action}: ${reply.body}`).toBe(200);
  return reply.json();
};

beforeAll(async () => {
  w = await createMediationWorld();
  community = await w.orgId('光明社区');
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe.sequential('a party follows and confirms its case with the codes of its SMS', () => {
  test('each party with a phone gets the case number and the 查询码 by SMS', async () => {
    const reply = await w.register('community-worker', {
      kind: 'neighbour',
      summary: '楼上漏水导致楼下天花板受损，双方就维修费用协商未果',
      parties: [
        { role: 'applicant', kind: 'person', name: NAMES[0], phone: PHONES[0] },
        { role: 'respondent', kind: 'person', name: NAMES[1], phone: PHONES[1] },
      ],
      amountClaimed: 3200,
      orgId: community,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    caseId = reply.json().id;
    const sent = await w.h.testDb.db.many<{ recipientEnc: string; body: string }>(
      `SELECT recipient_enc AS "recipientEnc", body FROM outbox
        WHERE dispute_id = $1 AND template = 'dispute.registered' ORDER BY created_at`,
      [caseId],
    );
    expect(sent.map((r) => w.h.services.cipher.decrypt(r.recipientEnc)).sort()).toEqual(PHONES);
    const codes = sent.map((r) => /查询码 ([0-9A-Z-]+)/.exec(r.body)?.[1]);
    expect(new Set(codes).size).toBe(1);
    trackingCode = codes[0]!;
    expect(trackingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(sent[0]!.body).toContain(reply.json().caseNumber);
  });

  test('the 查询码 shows the case without anything personal; any layout of it works', async () => {
    const reply = await track(trackingCode.toLowerCase().replace(/-/g, ''));
    expect(reply.statusCode, reply.body).toBe(200);
    const view = reply.json();
    expect(view).toMatchObject({
      trackingCode,
      kind: 'neighbour',
      status: 'registered',
      statusLabel: '已登记',
      orgName: '光明社区人民调解委员会',
      agreement: null,
      canConfirm: false,
    });
    expect(view.timeline.map((e: { label: string }) => e.label)).toEqual(['纠纷已登记']);
    for (const secret of [...NAMES, ...PHONES, '3200', '漏水']) expect(reply.body).not.toContain(secret);
  });

  test('an unknown code is a 404, a malformed one a 400', async () => {
    const unknown = trackingCode.startsWith('A') ? `B${trackingCode.slice(1)}` : `A${trackingCode.slice(1)}`;
    const missing = await track(unknown);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await track('not-a-code!')).statusCode).toBe(400);
    expect((await confirm(trackingCode, { code: '12ab56' })).statusCode).toBe(400);
  });

  test('the party sees the session it is called to, then the agreement waiting for it', async () => {
    await acceptAndAssign();
    await ok('mediator', 'schedule-session', {
      startsAt: '2026-10-12T15:00:00+08:00',
      place: '光明社区人民调解室',
      online: false,
    });
    const before = (await track(trackingCode)).json();
    expect(before.status).toBe('in_mediation');
    expect(before.nextSession).toEqual({
      startsAt: new Date('2026-10-12T15:00:00+08:00').toISOString(),
      place: '光明社区人民调解室',
      online: false,
    });
    // Confirming before there is an agreement is a conflict, whatever the code.
    expect((await confirm(trackingCode, { code: '123456' })).statusCode).toBe(409);

    const { sessions } = (await w.detail('mediator', caseId)).json();
    await ok('mediator', 'record-session', {
      sessionId: sessions[0].id,
      outcome: 'agreed',
      notes: '双方同意',
    });
    await ok('mediator', 'agree', { terms: '王某某于十日内支付维修费2000元。', payments: [] });
    const after = (await track(trackingCode)).json();
    expect(after).toMatchObject({
      status: 'agreed',
      nextSession: null,
      canConfirm: true,
      agreement: { confirmedParties: 0, parties: 2, effectiveAt: null },
    });
    expect(JSON.stringify(after)).not.toContain('维修费');
  });

  test('a wrong 确认码 is refused and counted; each party’s own code confirms; the last makes it effective', async () => {
    const codes = await w.codesSent(caseId);
    const right = [codes.get(PHONES[0]!)!, codes.get(PHONES[1]!)!];
    const wrong = ['000000', '999999', '555555'].find((c) => !right.includes(c))!;
    const refused = await confirm(trackingCode, { code: wrong });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('wrong_code');
    const attempts = await w.h.testDb.db.many<{ n: number }>(
      'SELECT confirm_attempts AS n FROM dispute_party WHERE dispute_id = $1',
      [caseId],
    );
    expect(attempts.map((a) => a.n)).toEqual([1, 1]);

    const first = await confirm(trackingCode, { code: right[0] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().agreement).toMatchObject({ confirmedParties: 1, effectiveAt: null });
    // A used code does not confirm twice.
    expect((await confirm(trackingCode, { code: right[0] })).statusCode).toBe(422);

    const second = (await confirm(trackingCode, { code: right[1] })).json();
    expect(second.agreement.confirmedParties).toBe(2);
    expect(second.agreement.effectiveAt).not.toBeNull();
    expect(second.canConfirm).toBe(false);
    expect(second.timeline.map((e: { label: string }) => e.label)).toContain('一方当事人已确认协议');

    // The mediator's case page shows both confirmations as the resident app's, in the journal too.
    const detail = (await w.detail('mediator', caseId)).json();
    expect(detail.parties.every((p: { confirmedAt: string | null }) => p.confirmedAt)).toBe(true);
    const journal = await w.h.testDb.db.many<{ data: { channel: string } }>(
      `SELECT data FROM journal WHERE stream = $1 AND action = 'dispute.confirm-agreement'`,
      [`dispute:${caseId}`],
    );
    expect(journal.map((j) => j.data.channel)).toEqual(['resident', 'resident']);
  });

  test('guessing ends: after five wrong codes no code confirms', async () => {
    const reply = await w.register('community-worker', {
      kind: 'neighbour',
      summary: '噪音扰民纠纷',
      parties: [
        { role: 'applicant', kind: 'person', name: '甲', phone: '13800002011' },
        { role: 'respondent', kind: 'person', name: '乙', phone: '13800002012' },
      ],
      orgId: community,
    });
    caseId = reply.json().id;
    const sent = await w.h.testDb.db.one<{ body: string }>(
      `SELECT body FROM outbox WHERE dispute_id = $1 AND template = 'dispute.registered' LIMIT 1`,
      [caseId],
    );
    const code = /查询码 ([0-9A-Z-]+)/.exec(sent!.body)![1]!;
    await acceptAndAssign();
    await ok('mediator', 'schedule-session', {
      startsAt: '2026-10-13T09:00:00+08:00',
      place: '调解室',
      online: false,
    });
    const { sessions } = (await w.detail('mediator', caseId)).json();
    await ok('mediator', 'record-session', { sessionId: sessions[0].id, outcome: 'agreed', notes: '同意' });
    await ok('mediator', 'agree', { terms: '晚十点后不再装修。', payments: [] });
    const right = [...(await w.codesSent(caseId)).values()];
    const wrong = Array.from({ length: 10 }, (_, i) => String(100000 + i)).filter((c) => !right.includes(c));
    for (let i = 0; i < 5; i++) expect((await confirm(code, { code: wrong[i] })).statusCode).toBe(422);
    const locked = await confirm(code, { code: right[0] });
    expect(locked.statusCode).toBe(422);
    expect((await track(code)).json().canConfirm).toBe(false);
  });
});
