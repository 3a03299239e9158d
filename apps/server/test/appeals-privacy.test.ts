import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * 信访工作条例 art. 46(5): a resident complains about 城管 itself. Nobody at 城管 may learn who
 * complained, so the case is never given to 城管 (issue #19: the text and place often say who); a
 * unit that sees it anyway — the community a complaint is about sees its own area — sees no
 * reporter. The dispatcher may, with a stated reason that is journaled. And the resident's contact
 * never sits in the database in clear text.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld([
    'district-dispatcher',
    'dept-handler',
    'auditor',
    'grid-worker',
    'community-worker',
  ]);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const NAME = '王秀英';
const PHONE = '13955557788';
/** Every way the reporter could show through: full, masked, or as the name's first character. */
const TRACES = [NAME, '王*', PHONE, '139****7788', '7788'];

function expectNoReporter(body: string) {
  for (const trace of TRACES) expect(body, `the body shows ${trace}`).not.toContain(trace);
}

describe('a complaint about 城管 is never given to 城管 (art. 46(5))', () => {
  let appeal: Created;

  beforeAll(async () => {
    appeal = await w.newAppeal({
      content: '城管执法人员在菜市场门口粗暴执法，推倒老人的菜摊',
      contact: { name: NAME, phone: PHONE },
      accusedOrgId: w.dept.urban,
    });
    await w.must('district-dispatcher', appeal.id, 'accept');
  });

  test('dispatching it to 城管, or with 城管 as co-handler, is refused with 409 accused_unit', async () => {
    for (const body of [{ orgId: w.dept.urban }, { orgId: w.dept.housing, coHandlerIds: [w.dept.urban] }]) {
      const refused = await w.act('district-dispatcher', appeal.id, 'dispatch', body);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'accused_unit', details: { orgId: w.dept.urban } });
    }
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail.status).toBe('accepted');
    await w.must('district-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.housing });
  });

  test('nor can a whistle summon 城管 to it', async () => {
    const refused = await w.act('district-dispatcher', appeal.id, 'whistle', {
      reason: '需要城管配合',
      summonOrgIds: [w.dept.urban],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('accused_unit');
    expect((await w.detail('district-dispatcher', appeal.id)).json().notices).toEqual([]);
  });

  test('城管 never sees it: the same 404 as for no appeal, and nothing in its inbox or list', async () => {
    const detail = await w.detail('dept-handler', appeal.id);
    expect(detail.statusCode).toBe(404);
    const inbox = await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('dept-handler') });
    expect(inbox.body).not.toContain(appeal.id);
    const list = await w.h.app.inject({ url: '/api/v1/appeals', headers: w.as('dept-handler') });
    expect(list.body).not.toContain(appeal.id);
    expectNoReporter(inbox.body + list.body);
  });

  test('the district dispatcher sees it masked, and in full only with a reason', async () => {
    const masked = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(masked.contact).toEqual({ name: '王**', phone: '139****7788', hidden: false });

    const noReason = await w.reveal('district-dispatcher', appeal.id);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('reason_required');

    const full = await w.reveal('district-dispatcher', appeal.id, '回访核实处理结果');
    expect(full.statusCode).toBe(200);
    expect(full.json().contact).toEqual({ name: NAME, phone: PHONE, hidden: false });
  });

  test('a link cannot reveal it: the old GET with ?reveal is refused and journals nothing', async () => {
    // What an <img src="…?reveal=contact&reason=…"> planted in a page would make a browser send.
    const viaLink = await w.detail('district-dispatcher', appeal.id, '?reveal=contact&reason=图片里的链接');
    expect(viaLink.statusCode).toBe(400);
    expectNoReporter(viaLink.body);
    const views = await w.h.app.inject({
      url: '/api/v1/audit/entries?action=personal_data.viewed',
      headers: w.as('auditor'),
    });
    expect(views.body).not.toContain('图片里的链接');
  });

  test('the auditor sees who looked, at which appeal and why', async () => {
    const me = (await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('district-dispatcher') })).json()
      .user;
    const views = await w.h.app.inject({
      url: '/api/v1/audit/entries?action=personal_data.viewed',
      headers: w.as('auditor'),
    });
    const entries = views.json().items.filter((e: { subjectId: string }) => e.subjectId === appeal.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: me.id,
      subjectType: 'appeal',
      data: { fields: ['contact'], reason: '回访核实处理结果' },
    });
    // The audit trail records the look, not what was seen.
    expect(views.body).not.toContain(PHONE);
  });

  test('contact data is stored encrypted: the raw row holds neither the digits nor the name', async () => {
    const row = await w.h.testDb.db.one<{
      contact_phone_enc: string;
      contact_name_enc: string;
      phone_hmac: string;
    }>('SELECT contact_phone_enc, contact_name_enc, phone_hmac FROM appeal WHERE id = $1', [appeal.id]);
    expect(row?.contact_phone_enc).toBeTruthy();
    for (const column of Object.values(row!)) {
      expect(column).not.toContain(PHONE);
      expect(column).not.toContain('7788');
      expect(column).not.toContain(NAME);
    }
    const journal = await w.h.testDb.db.many<{ data: unknown }>(
      'SELECT data FROM journal WHERE subject_id = $1',
      [appeal.id],
    );
    expect(journal.length).toBeGreaterThan(3);
    expect(JSON.stringify(journal)).not.toContain(PHONE);
  });

  test('the same 城管 handler does see the (masked) reporter of an appeal that is not about 城管', async () => {
    const ordinary = await w.driveTo('dispatched');
    const detail = (await w.detail('dept-handler', ordinary.id)).json();
    expect(detail.contact).toEqual({ name: '张*', phone: '138****1234', hidden: false });
  });
});

describe('a complaint about the community, which sees the appeals of its area (art. 46(5))', () => {
  let appeal: Created;

  beforeAll(async () => {
    const community = (
      await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('community-worker') })
    ).json().user.orgId;
    appeal = await w.newAppeal({
      content: '社区工作人员办事推诿，三次上门都没人处理',
      contact: { name: NAME, phone: PHONE },
      accusedOrgId: community,
    });
  });

  test('the community finds it in its list and inbox with the reporter withheld', async () => {
    const list = await w.h.app.inject({ url: '/api/v1/appeals', headers: w.as('community-worker') });
    const mine = list.json().items.find((a: { id: string }) => a.id === appeal.id);
    expect(mine.contact).toEqual({ name: '（依规隐去）', phone: '（依规隐去）', hidden: true });
    const detail = await w.detail('community-worker', appeal.id);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().contact.hidden).toBe(true);
    const inbox = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('community-worker') })).json();
    const inInbox = Object.values(inbox)
      .flat()
      .filter((item) => (item as { id?: string }).id === appeal.id);
    expect(inInbox.length).toBeGreaterThan(0);
    // Only this appeal's entries: the same resident's other appeals are not about the community.
    expectNoReporter(JSON.stringify(mine) + detail.body + JSON.stringify(inInbox));
  });

  test('asking to reveal the contact, even with a reason, is refused and not journaled', async () => {
    const response = await w.reveal('community-worker', appeal.id, '需要回访当事人');
    expect(response.statusCode).toBe(403);
    expectNoReporter(response.body);
    const views = await w.h.app.inject({
      url: '/api/v1/audit/entries?action=personal_data.viewed',
      headers: w.as('auditor'),
    });
    expect(views.body).not.toContain(appeal.id);
  });

  test('nor can the case be dispatched to the community or below it', async () => {
    await w.must('district-dispatcher', appeal.id, 'accept');
    const community = (await w.detail('district-dispatcher', appeal.id)).json().area;
    const refused = await w.act('district-dispatcher', appeal.id, 'dispatch', { orgId: community.id });
    // The appeal's area is a grid of the community: every unit from the community down is refused.
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'accused_unit']);
  });
});

describe('an anonymous appeal (匿名)', () => {
  test('keeps no contact at all, even when the form sent one', async () => {
    const appeal = await w.newAppeal({ anonymous: true, contact: { name: NAME, phone: PHONE } });
    const row = await w.h.testDb.db.one<Record<string, unknown>>(
      'SELECT contact_name_enc, contact_phone_enc, phone_hmac FROM appeal WHERE id = $1',
      [appeal.id],
    );
    expect(row).toEqual({ contact_name_enc: null, contact_phone_enc: null, phone_hmac: null });
    const detail = await w.reveal('district-dispatcher', appeal.id, '核实来电身份');
    expect(detail.json(), detail.body).toMatchObject({ anonymous: true, contact: null });
    expectNoReporter(detail.body);
  });
});

describe('what anyone holding the tracking code sees', () => {
  const INTERNAL = [
    '派单备注：投诉人情绪激动',
    '内部备注：已与涉事商户沟通',
    '退单理由：属于住建职责',
    '复核备注：现场仍有积水',
    '吹哨理由：需要交警配合',
    '督办意见：本周内必须办结',
    '延期理由：等待施工队',
    '驳回延期：时间足够',
  ];
  let appeal: Created;

  beforeAll(async () => {
    appeal = await w.newAppeal({ contact: { name: NAME, phone: PHONE } });
    const id = appeal.id;
    const d = 'district-dispatcher';
    await w.must(d, id, 'accept');
    await w.must(d, id, 'dispatch', { orgId: w.dept.urban, note: INTERNAL[0] });
    await w.must('dept-handler', id, 'note', { text: INTERNAL[1] });
    await w.must('dept-handler', id, 'return', { reason: INTERNAL[2] });
    await w.must(d, id, 'dispatch', { orgId: w.dept.urban });
    await w.must('dept-handler', id, 'claim');
    await w.must(d, id, 'whistle', { reason: INTERNAL[4], summonOrgIds: [w.dept.housing] });
    await w.must(d, id, 'supervise', { note: INTERNAL[5] });
    await w.must('dept-handler', id, 'request-extension', { workingDays: 1, reason: INTERNAL[6] });
    await w.must(d, id, 'deny-extension', { reason: INTERNAL[7] });
    await w.must('dept-handler', id, 'resolve', { summary: '已疏通排水口' });
    await w.must('grid-worker', id, 'verify', { passed: false, note: INTERNAL[3] });
  });

  test('the staff timeline keeps every internal note', async () => {
    const staff = await w.detail('district-dispatcher', appeal.id);
    for (const text of INTERNAL) expect(staff.body).toContain(text);
  });

  test('the public timeline shows the steps in plain words, without notes, reasons or contact', async () => {
    const tracked = await w.track(appeal.trackingCode);
    expect(tracked.statusCode).toBe(200);
    for (const text of [...INTERNAL, ...TRACES, '张三']) expect(tracked.body).not.toContain(text);
    expect(tracked.json().timeline.map((s: { label: string }) => s.label)).toEqual([
      '已提交',
      '已受理',
      '已派单',
      '已派单',
      '处理中',
      '吹哨协调',
      '已办结',
      '重新处置',
    ]);
    expect(tracked.json().timeline[6].detail).toBe('已疏通排水口');
  });
});
