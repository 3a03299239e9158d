import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createResidentNotify,
  DELIVER_JOB,
  DELIVERY_ATTEMPTS,
  type MessageGateway,
  type OutboundMessage,
  SMS_BUDGET_REACHED,
} from '../src/platform/notify/index.ts';
import { bearer, createHarness, type Harness } from './support/harness.ts';

/*
 * The operator who runs the SMS gateway checks what residents were told. Messages are written by
 * the appeals module through `notifier.send` inside its own transactions; here we call it the same
 * way, in a transaction of our own.
 */
let h: Harness;
const tokens: Record<string, string> = {};
const USERS = ['admin', 'security', 'auditor', 'district-dispatcher'];
let appealId: string;
let trackingCode: string;
const PHONE = '139 1234 5678';

const as = (user: string) => bearer(tokens[user]!);

async function outbox(query: string, user = 'admin') {
  const response = await h.app.inject({ url: `/api/v1/outbox?${query}`, headers: as(user) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Our own messages to the test appeal (the appeals module may write others, e.g. on submission). */
async function ourMessages(template: string) {
  const page = await outbox(`appealId=${appealId}&limit=200`);
  return page.items.filter((m: { template: string }) => m.template === template);
}

/** The outbox of the harness's services, delivering through a gateway of the test's own. */
const notifyThrough = (gateway: MessageGateway, smsBudgetPerHour?: number) =>
  createResidentNotify({
    db: h.services.db,
    cipher: h.services.cipher,
    clock: h.clock,
    jobs: h.services.jobs,
    journal: h.services.journal,
    gateway,
    smsBudgetPerHour,
  });

async function relogin() {
  for (const user of USERS) tokens[user] = await h.login(user);
}

beforeAll(async () => {
  h = await createHarness();
  await relogin();
  const submitted = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: { channel: 'h5', content: '小区路灯坏了一个月了', contact: { name: '王五', phone: PHONE } },
  });
  expect(submitted.statusCode).toBe(201);
  appealId = submitted.json().id;
  trackingCode = submitted.json().trackingCode;
});
afterAll(() => h?.close());

describe('a message to a resident', () => {
  test('written in a transaction that rolls back leaves nothing behind', async () => {
    await expect(
      h.services.db.transaction(async (tx) => {
        await h.services.notifier.send(tx, {
          appealId,
          channel: 'sms',
          to: PHONE,
          template: 'appeal.resolved',
          params: { code: trackingCode, token: 'Q7MX-4KHD' },
        });
        throw new Error('the transition failed after the message was written');
      }),
    ).rejects.toThrow('the transition failed');
    expect(await ourMessages('appeal.resolved')).toEqual([]);
    const jobs = await h.services.db.many<{ payload: { messageId: string } }>(
      'SELECT payload FROM job WHERE kind = $1',
      [DELIVER_JOB],
    );
    const pending = await outbox('limit=200');
    // Every delivery job belongs to a message that exists: the rolled-back one left no job.
    expect(jobs.map((j) => j.payload.messageId).sort()).toEqual(
      pending.items.map((m: { id: string }) => m.id).sort(),
    );
  });

  test('committed: the operator sees the text with the number and the tracking code masked', async () => {
    await h.services.db.transaction((tx) =>
      h.services.notifier.send(tx, {
        appealId,
        channel: 'sms',
        to: PHONE,
        template: 'appeal.accepted',
        params: { code: trackingCode, due: '2026-10-14 18:00' },
      }),
    );
    const [message] = await ourMessages('appeal.accepted');
    const masked = `${trackingCode.slice(0, 4)}-****-**`;
    expect(message).toMatchObject({
      appealId,
      channel: 'sms',
      recipient: '139****5678',
      status: 'pending',
      sentAt: null,
      body: `【家门口】您反映的问题（查询码 ${masked}）已受理，我们将于 2026-10-14 18:00 前办结。`,
    });
    const listed = JSON.stringify(await outbox('limit=200'));
    expect(listed).not.toContain('13912345678');
    expect(listed).not.toContain(trackingCode);
  });

  test('is encrypted at rest, while the resident gets the full text', async () => {
    const [message] = await ourMessages('appeal.accepted');
    const row = await h.services.db.one<{ recipient_enc: string; recipient_masked: string; body: string }>(
      'SELECT recipient_enc, recipient_masked, body FROM outbox WHERE id = $1',
      [message.id],
    );
    expect(row!.recipient_enc).toMatch(/^v1:/);
    expect(row!.recipient_enc).not.toContain('5678');
    expect(h.services.cipher.decrypt(row!.recipient_enc)).toBe('13912345678');
    expect(row!.recipient_masked).toBe('139****5678');
    expect(row!.body).toContain(`查询码 ${trackingCode}）`);
  });

  test('the delivery job hands it to the gateway and marks it sent', async () => {
    const sentAt = h.clock.now().toISOString();
    const { failed } = await h.services.jobs.runDue(h.services.jobHandlers);
    expect(failed).toBe(0);
    const [message] = await ourMessages('appeal.accepted');
    expect(message).toMatchObject({ status: 'sent', sentAt, attempts: 1, lastError: null });
    expect((await outbox('status=pending')).items).toEqual([]);
  });

  test('a reason is sent as one clean line, without a doubled full stop', async () => {
    await h.services.db.transaction((tx) =>
      h.services.notifier.send(tx, {
        appealId,
        channel: 'sms',
        to: PHONE,
        template: 'appeal.rejected',
        params: { code: trackingCode, reason: '  属于物业服务范围，\n请联系 ABC 物业公司。 ' },
      }),
    );
    const [message] = await ourMessages('appeal.rejected');
    expect(message.body).toMatch(/原因：属于物业服务范围，请联系 ABC 物业公司。如有疑问请联系所在社区。$/);
  });

  test.each([
    ['an unknown template', 'appeal.lost', { code: 'X' }, /unknown resident message template/],
    ['a missing parameter', 'appeal.accepted', { code: 'X' }, /needs the parameter due/],
    ['an unknown parameter', 'appeal.resolved', { code: 'X', name: '王五' }, /has no parameter name/],
  ])(
    'with %s is a programming error that fails the caller’s transaction',
    async (_, template, params, error) => {
      const before = (await outbox(`appealId=${appealId}&limit=200`)).items.length;
      await expect(
        h.services.db.transaction((tx) =>
          h.services.notifier.send(tx, { appealId, channel: 'sms', to: PHONE, template, params }),
        ),
      ).rejects.toThrow(error);
      expect((await outbox(`appealId=${appealId}&limit=200`)).items).toHaveLength(before);
    },
  );
});

describe('a gateway that keeps refusing', () => {
  test('is retried with backoff, then the message is marked failed with the reason', async () => {
    // Earlier messages go out through the local gateway first.
    await h.services.jobs.runDue(h.services.jobHandlers);
    const offered: OutboundMessage[] = [];
    const refusing: MessageGateway = {
      name: 'test-sms',
      async deliver(message) {
        offered.push(message);
        throw new Error('isv.BUSINESS_LIMIT_CONTROL');
      },
    };
    const notify = notifyThrough(refusing);
    await h.services.db.transaction((tx) =>
      notify.notifier.send(tx, {
        appealId,
        channel: 'wechat',
        to: PHONE,
        template: 'appeal.resolved',
        params: { code: trackingCode, token: 'Q7MX-4KHD' },
      }),
    );
    for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt++) {
      const outcome = await h.services.jobs.runDue(notify.jobHandlers);
      // The last attempt records the failure on the message and ends the job.
      const last = attempt === DELIVERY_ATTEMPTS;
      expect(outcome, `attempt ${attempt}`).toEqual({ ran: last ? 1 : 0, failed: last ? 0 : 1 });
      // Nothing is due again until the backoff has passed.
      expect((await h.services.jobs.runDue(notify.jobHandlers)).failed).toBe(0);
      h.clock.advance(60 * 60_000);
    }
    expect(offered).toHaveLength(DELIVERY_ATTEMPTS);
    // The gateway is given the number in clear and our id as its reference.
    expect(offered[0]).toMatchObject({ to: '13912345678', template: 'appeal.resolved' });
    await relogin();
    const [message] = await ourMessages('appeal.resolved');
    expect(message).toMatchObject({
      id: offered[0]!.id,
      channel: 'wechat',
      status: 'failed',
      attempts: DELIVERY_ATTEMPTS,
      lastError: 'test-sms: isv.BUSINESS_LIMIT_CONTROL',
      sentAt: null,
    });
    // The operator sees no symbol of the resident's rating token, and only the head of the code.
    expect(message.body).toContain('评价码 ****-****');
    expect(message.body).not.toContain('Q7MX');
    expect((await outbox('status=failed')).items.map((m: { id: string }) => m.id)).toEqual([message.id]);
  });
});

describe('the hourly SMS budget (issue #19, finding 5: SMS pumping)', () => {
  test('past the budget, messages wait instead of going out, and the auditor is told once', async () => {
    // Earlier messages go out through the local gateway first.
    await h.services.jobs.runDue(h.services.jobHandlers);
    h.clock.advance(2 * 60 * 60_000);
    const delivered: OutboundMessage[] = [];
    const gateway: MessageGateway = {
      name: 'test-sms',
      async deliver(message) {
        delivered.push(message);
        return { ref: `ref-${delivered.length}` };
      },
    };
    const notify = notifyThrough(gateway, 3);
    // A flood naming five different numbers: the per-phone limit does not bound this; the budget does.
    const numbers = ['13900000001', '13900000002', '13900000003', '13900000004', '13900000005'];
    await h.services.db.transaction(async (tx) => {
      for (const to of numbers)
        await notify.notifier.send(tx, {
          appealId,
          channel: 'sms',
          to,
          template: 'appeal.accepted',
          params: { code: trackingCode, due: '10月14日 18:00' },
        });
    });
    const budgetEvents = () =>
      h.services.journal.list(h.services.db, { stream: 'security', action: SMS_BUDGET_REACHED, limit: 10 });
    const before = (await budgetEvents()).length;
    await h.services.jobs.runDue(notify.jobHandlers);
    expect(delivered.map((m) => m.to)).toEqual(numbers.slice(0, 3));
    await relogin();
    const waiting = (await outbox(`appealId=${appealId}&status=pending&limit=200`)).items;
    expect(waiting).toHaveLength(2);
    const events = await budgetEvents();
    expect(events.length - before).toBe(1);
    expect(events[0]!.data).toMatchObject({ budgetPerHour: 3, sentLastHour: 3 });

    // Ten minutes on, still within the hour: they wait again, and no second alert is written.
    h.clock.advance(11 * 60_000);
    await h.services.jobs.runDue(notify.jobHandlers);
    expect(delivered).toHaveLength(3);
    expect((await budgetEvents()).length - before).toBe(1);

    // Once the hour has passed they go out; nothing was lost.
    h.clock.advance(60 * 60_000);
    await h.services.jobs.runDue(notify.jobHandlers);
    await relogin();
    expect(delivered.map((m) => m.to).sort()).toEqual(numbers);
    expect((await outbox(`appealId=${appealId}&status=pending&limit=200`)).items).toHaveLength(0);
  });
});

describe('the outbox list', () => {
  test('pages newest first', async () => {
    const all = (await outbox('limit=200')).items;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await outbox('limit=2');
    expect(first.items).toEqual(all.slice(0, 2));
    const second = await outbox(`limit=200&cursor=${first.next}`);
    expect(second.items).toEqual(all.slice(2));
    expect(second.next).toBeNull();
  });

  test('is for the system admin, who runs the gateway, and no one else', async () => {
    for (const user of ['security', 'auditor', 'district-dispatcher']) {
      const response = await h.app.inject({ url: '/api/v1/outbox', headers: as(user) });
      expect(response.statusCode, user).toBe(403);
      expect(response.json().error.details.permission).toBe('outbox.read');
    }
    expect((await h.app.inject({ url: '/api/v1/outbox' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/outbox?status=lost', headers: as('admin') })).statusCode).toBe(
      400,
    );
    expect(
      (await h.app.inject({ url: '/api/v1/outbox?cursor=bm9wZQ', headers: as('admin') })).statusCode,
    ).toBe(400);
  });
});
