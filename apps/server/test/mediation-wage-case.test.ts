import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { createMediationWorld, type MediationWorld, wageCase } from './support/disputes.ts';

/*
 * The seed's wage case, end to end over HTTP (issue #21's acceptance): 12 workers against their
 * employer for CNY 310,000, registered at the community hall → the community whistles and the
 * labour bureau and the employer report in → an agreement with two payments → every party confirms
 * by the SMS code it received → judicial confirmation requested and confirmed by the court → both
 * payments recorded → closed; the figures show it resolved with its amounts; the journal verifies.
 */

let w: MediationWorld;
let caseId: string;
let community: number;
let labour: number;
const input = () => wageCase(community);

beforeAll(async () => {
  w = await createMediationWorld();
  community = await w.orgId('光明社区');
  labour = await w.orgId('人力资源局');
  await w.addUser('labour-officer', 'department_handler', labour);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const ok = async (user: string, action: string, body: unknown = {}) => {
  const reply = await w.act(user, caseId, action, body);
  expect(reply.statusCode, `${user} ${action}: ${reply.body}`).toBe(200);
  return reply.json();
};

describe.sequential('the wage case, from the community hall to the court', () => {
  test('registered at the community hall with a gap-free case number', async () => {
    const reply = await w.register('community-worker', input());
    expect(reply.statusCode, reply.body).toBe(201);
    const created = reply.json();
    expect(created).toMatchObject({ status: 'registered', tier: 2 });
    expect(created.caseNumber).toBe('光明-调-2026-000001');
    caseId = created.id;

    const detail = (await w.detail('community-worker', caseId)).json();
    expect(detail.parties).toHaveLength(13);
    // Lists and details never show a person's name, phone or ID number whole.
    expect(detail.parties[0].name).toMatch(/^工\*+$/);
    expect(detail.parties[0].phone).toBe('138****1000');
    expect(detail.parties[0].idNumber).toMatch(/^4403\*+\d{3}X$/);
    expect(detail.parties[12]).toMatchObject({ kind: 'organisation', name: '深圳市光明某电子有限公司' });
    expect(detail.availableActions).toContain('accept');
    const stored = await w.h.testDb.db.one<{ nameEnc: string }>(
      'SELECT name_enc AS "nameEnc" FROM dispute_party WHERE dispute_id = $1 AND position = 0',
      [caseId],
    );
    expect(stored!.nameEnc).toMatch(/^v1:/);
  });

  test('accepted and given to the community’s registered mediator', async () => {
    const accepted = await ok('community-worker', 'accept');
    expect(accepted.status).toBe('accepted');
    expect(accepted.mediateDueAt).not.toBeNull();
    const mediators = (
      await w.h.app.inject({ url: '/api/v1/mediators', headers: w.as('community-worker') })
    ).json().items;
    const mediator = mediators.find((m: { kind: string }) => m.kind === 'mediator');
    expect(mediator.certificateNumber).toBeTruthy();
    const assigned = await ok('community-worker', 'assign', { mediatorId: mediator.userId });
    expect(assigned.mediatorName).toContain('孙华');
  });

  test('a session is scheduled in the community’s room, the community whistles, both report in', async () => {
    const rooms = (await w.h.app.inject({ url: '/api/v1/mediation-rooms', headers: w.as('mediator') })).json()
      .items;
    const room = rooms.find((r: { online: boolean; orgId: number }) => !r.online && r.orgId === community);
    const scheduled = await ok('mediator', 'schedule-session', {
      startsAt: '2026-10-10T09:30:00+08:00',
      place: room.name,
      online: false,
      roomId: room.id,
      participants: ['工人代表', '公司法定代表人', '人力资源局劳动监察大队'],
    });
    expect(scheduled.status).toBe('in_mediation');
    // The room is taken for that slot.
    const clash = await w.act('mediator', caseId, 'schedule-session', {
      startsAt: '2026-10-10T10:00:00+08:00',
      place: room.name,
      online: false,
      roomId: room.id,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('room_booked');

    const whistled = await ok('community-worker', 'whistle', {
      reason: '欠薪涉及12人，需人力资源局到场',
      summonOrgIds: [labour],
    });
    expect(whistled.notices[0].number).toMatch(/^光明-协调-2026-\d{6}$/);
    expect(whistled.notices[0].summons[0].reportedAt).toBeNull();

    // The labour bureau finds the summons in its inbox, reaches the case through it, and answers it.
    const inbox = async () =>
      (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('labour-officer') })).json().summons;
    expect(await inbox()).toEqual([
      expect.objectContaining({
        subjectType: 'dispute',
        subjectId: caseId,
        reference: '光明-调-2026-000001',
      }),
    ]);
    expect((await w.detail('labour-officer', caseId)).statusCode).toBe(200);
    const reported = await ok('labour-officer', 'report-in', { note: '劳动监察大队已到场' });
    expect(reported.notices[0].summons[0].reportedAt).not.toBeNull();
    expect(await inbox()).toEqual([]);
    // The summoned bureau sees the parties masked, and no session notes.
    expect(reported.parties[0].name).toMatch(/\*/);

    const employer = reported.parties.find((p: { role: string }) => p.role === 'respondent');
    const came = await ok('mediator', 'report-in', { partyId: employer.id, note: '公司法定代表人到场' });
    expect(came.parties.find((p: { id: string }) => p.id === employer.id).reportedInAt).not.toBeNull();
  });

  test('the session ends in an agreement with two payments; each party gets its SMS code', async () => {
    const { sessions } = (await w.detail('mediator', caseId)).json();
    await ok('mediator', 'record-session', {
      sessionId: sessions[0].id,
      outcome: 'agreed',
      notes: '公司承认欠薪，同意分两期支付',
      attendance: ['工人代表', '公司法定代表人'],
    });
    const labourView = (await w.detail('labour-officer', caseId)).json();
    expect(labourView.sessions[0].notes).toBeNull();
    expect((await w.detail('mediator', caseId)).json().sessions[0].notes).toContain('分两期');

    const agreed = await ok('mediator', 'agree', {
      terms: '一、公司于2026年10月20日前支付工资20万元；二、于2026年11月20日前支付余款11万元。',
      payments: [
        { amount: 110000, dueDate: '2026-11-20' },
        { amount: 200000, dueDate: '2026-10-20' },
      ],
    });
    expect(agreed.status).toBe('agreed');
    expect(agreed.agreement.totalAmount).toBe(310000);
    expect(agreed.agreement.payments.map((p: { amount: number }) => p.amount)).toEqual([200000, 110000]);
    const codes = await w.codesSent(caseId);
    expect(codes.size).toBe(13);
  });

  test('every party confirms with its own code; a wrong code counts and is refused', async () => {
    const codes = await w.codesSent(caseId);
    const { parties } = (await w.detail('mediator', caseId)).json();
    const phones = input().parties.map((p) => p.phone);
    const first = parties[0];
    const wrong = codes.get(phones[1]!) === '000000' ? '000001' : '000000';
    const refused = await w.act('mediator', caseId, 'confirm-agreement', { partyId: first.id, code: wrong });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'wrong_code', details: { attemptsLeft: 4 } });
    const again = await w.act('mediator', caseId, 'confirm-agreement', { partyId: first.id, code: wrong });
    expect(again.json().error.details.attemptsLeft).toBe(3);
    // Another party's code is not this party's.
    const borrowed = await w.act('mediator', caseId, 'confirm-agreement', {
      partyId: first.id,
      code: codes.get(phones[1]!),
    });
    expect(borrowed.json().error?.code).toBe('wrong_code');

    // Too early for the court: not every party has confirmed.
    expect((await w.act('mediator', caseId, 'request-confirmation')).statusCode).toBe(409);

    let last: { agreement: { effectiveAt: string | null } } | undefined;
    for (const [index, party] of parties.entries()) {
      last = await ok('mediator', 'confirm-agreement', {
        partyId: party.id,
        code: codes.get(phones[index]!),
      });
    }
    expect(last!.agreement.effectiveAt).not.toBeNull();
    const twice = await w.act('mediator', caseId, 'confirm-agreement', {
      partyId: first.id,
      code: codes.get(phones[0]!),
    });
    expect(twice.statusCode).toBe(409);
  });

  test('judicial confirmation is requested and the court liaison records the ruling', async () => {
    // Before the filing the court liaison, though at the district, does not see the case.
    expect((await w.detail('court-liaison', caseId)).statusCode).toBe(404);
    const requested = await ok('mediator', 'request-confirmation');
    expect(requested.status).toBe('confirmation_requested');
    expect(requested.court.reference).toMatch(/^SQ-2026-\d{8}$/);
    const filing = await w.h.testDb.db.one<{ package: { parties: { name: string }[] } }>(
      'SELECT package FROM court_filing WHERE dispute_id = $1',
      [caseId],
    );
    expect(filing!.package.parties).toHaveLength(13);
    expect(filing!.package.parties[0]!.name).toBe('工人甲某');

    const listed = await w.h.app.inject({ url: '/api/v1/disputes', headers: w.as('court-liaison') });
    expect(listed.statusCode, listed.body).toBe(200);
    const list = listed.json();
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect(
      (await w.act('mediator', caseId, 'record-ruling', { ruling: 'confirmed', rulingNumber: 'x' }))
        .statusCode,
    ).toBe(403);
    const ruled = await ok('court-liaison', 'record-ruling', {
      ruling: 'confirmed',
      rulingNumber: '（2026）粤0311民特123号',
    });
    expect(ruled.status).toBe('confirmed');
    expect(ruled.court).toMatchObject({ ruling: 'confirmed', rulingNumber: '（2026）粤0311民特123号' });
  });

  test('both payments are recorded, the case is fulfilled and closed', async () => {
    const over = await w.act('mediator', caseId, 'record-payment', {
      amount: 200000.01,
      paidAt: '2026-10-09T08:00:00+08:00',
    });
    expect(over.json().error.code).toBe('overpayment');
    const first = await ok('mediator', 'record-payment', {
      amount: 200000,
      paidAt: '2026-10-09T08:00:00+08:00',
    });
    expect(first.status).toBe('confirmed');
    expect(first.agreement.paidAmount).toBe(200000);
    const second = await ok('mediator', 'record-payment', {
      amount: 110000,
      paidAt: '2026-10-09T08:30:00+08:00',
    });
    expect(second.status).toBe('fulfilled');
    const closed = await ok('mediator', 'close');
    expect(closed.status).toBe('closed');
    expect(closed.availableActions).toEqual([]);
  });

  test('the agreement prints as a PDF for the mediation staff, not for a summoned unit', async () => {
    const pdf = await w.h.app.inject({
      url: `/api/v1/disputes/${caseId}/agreement.pdf`,
      headers: w.as('mediator'),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = bytes.toString('latin1');
    // The Chinese text is set in an embedded subset of Noto Sans SC, so it prints without local fonts.
    expect(text).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(text).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansHans-Bold/);
    // The document names its case (the title is UTF-16BE in the PDF's info dictionary).
    const title = Buffer.from(`\ufeff人民调解协议书 光明-调-2026-000001`, 'utf16le').swap16();
    expect(bytes.includes(title) || text.includes(title.toString('hex'))).toBe(true);
    expect(
      (
        await w.h.app.inject({
          url: `/api/v1/disputes/${caseId}/agreement.pdf`,
          headers: w.as('labour-officer'),
        })
      ).statusCode,
    ).toBe(403);
    const viewed = await w.h.testDb.db.one<{ n: number }>(
      "SELECT count(*)::int AS n FROM journal WHERE stream = 'security' AND action = 'personal_data.viewed' AND subject_id = $1",
      [caseId],
    );
    expect(viewed!.n).toBe(1);
  });

  test('the figures show the case resolved with its amounts, and the journal verifies', async () => {
    const reply = await w.h.app.inject({ url: '/api/v1/stats/disputes', headers: w.as('community-worker') });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json()).toMatchObject({
      received: 1,
      resolved: 1,
      failed: 0,
      open: 0,
      resolutionRate: 1,
      amountAgreed: 310000,
      amountPaid: 310000,
      peopleInvolved: 12,
      confirmations: { requested: 1, confirmed: 1, rejected: 0 },
    });
    // Another subdistrict's figures do not hold it.
    const other = await w.h.app.inject({
      url: '/api/v1/stats/disputes',
      headers: w.as('street2-dispatcher'),
    });
    expect(other.json().received).toBe(0);

    const { timeline } = (await w.detail('mediator', caseId)).json();
    const actions = timeline.map((e: { action: string }) => e.action);
    for (const action of [
      'dispute.register',
      'dispute.whistle',
      'dispute.report-in',
      'dispute.agree',
      'dispute.record-ruling',
      'dispute.close',
    ]) {
      expect(actions).toContain(action);
    }
    // Personal data stays out of the journal, which is kept for years.
    expect(JSON.stringify(timeline)).not.toContain('工人甲某');
    expect(JSON.stringify(timeline)).not.toContain('13800001000');
    expect(await w.h.services.journal.verify(w.h.testDb.db)).toMatchObject({ status: 'ok' });
  });
});
