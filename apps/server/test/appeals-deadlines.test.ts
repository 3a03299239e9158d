import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * Deadlines (时限) on the official working-day calendar, with the clock injected. The State
 * Council's 2026 notice: 国庆 and 中秋 off 10-01 (Thu) to 10-07 (Wed); Sunday 09-20 and Saturday
 * 10-10 are 调休 make-up working days. Office hours 09:00–18:00, 9 working hours a day.
 */
let w: AppealWorld;
let appeal: Created;
let finishDays: number;

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const at = (chinaTime: string) => new Date(`${chinaTime}+08:00`).toISOString();

async function dueSoonIds(user: string): Promise<string[]> {
  const list = await w.h.app.inject({ url: '/api/v1/appeals?dueSoon=true', headers: w.as(user) });
  expect(list.statusCode).toBe(200);
  return list.json().items.map((a: { id: string }) => a.id);
}

describe('an appeal accepted the afternoon before National Day', () => {
  test('the calendar in use is the official one', () => {
    const calendar = w.h.services.calendar;
    expect(calendar.isWorkingDay('2026-09-30')).toBe(true);
    for (const day of ['2026-10-01', '2026-10-04', '2026-10-07', '2026-10-11'])
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, false]);
    for (const day of ['2026-10-08', '2026-10-09', '2026-10-10'])
      expect([day, calendar.isWorkingDay(day)]).toEqual([day, true]);
  });

  test('占道经营 (a 3-working-day matter) is submitted on Wednesday 09-30 at 15:00', async () => {
    const found = await w.h.app.inject({
      url: `/api/v1/categories?q=${encodeURIComponent('占道经营')}&leaf=true`,
      headers: w.as('district-dispatcher'),
    });
    const category = found.json().items.find((c: { name: string }) => c.name === '占道经营');
    expect(category).toBeDefined();
    finishDays = category.finishDays;
    expect(finishDays).toBe(3);
    expect(category.acceptDays).toBe(1);

    await w.setClock(at('2026-09-30T15:00:00'));
    const response = await w.submit({
      categoryCode: category.code,
      content: '菜市场门口商贩占用人行道摆摊，行人只能走机动车道',
    });
    expect(response.statusCode).toBe(201);
    appeal = response.json();
    // 1 working day = 3 h left on Wednesday + 6 h on Thursday 10-08, after the holiday.
    expect(response.json().acceptDueAt).toBe(at('2026-10-08T15:00:00'));
  });

  test('accepted at 16:00, it is due at 16:00 on Saturday 10-10, a 调休 working day', async () => {
    await w.setClock(at('2026-09-30T16:00:00'));
    const accepted = await w.must('district-dispatcher', appeal.id, 'accept');
    // 2 h on 09-30, 9 h on 10-08, 9 h on 10-09, the last 7 h on 10-10 → 27 h = 3 working days.
    expect(accepted.finishDueAt).toBe(at('2026-10-10T16:00:00'));
    expect(
      w.h.services.calendar.workingMinutesBetween(
        new Date(at('2026-09-30T16:00:00')),
        new Date(accepted.finishDueAt as string),
      ),
    ).toBe(finishDays * 9 * 60);
    const tracked = (await w.track(appeal.trackingCode)).json();
    expect(tracked.finishDueAt).toBe(at('2026-10-10T16:00:00'));
  });

  test('ten days before its deadline it is not “due soon”, by the injected clock', async () => {
    expect(await dueSoonIds('district-dispatcher')).not.toContain(appeal.id);
    await w.must('district-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.urban });
    await w.must('dept-handler', appeal.id, 'claim');
  });

  test('on Friday 10-09 at 17:00 it is due soon, in the list and in the handler’s inbox', async () => {
    await w.setClock(at('2026-10-09T17:00:00'));
    expect(await dueSoonIds('district-dispatcher')).toContain(appeal.id);
    const inbox = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('dept-handler') })).json();
    expect(inbox.dueSoon.map((a: { id: string }) => a.id)).toContain(appeal.id);
  });
});

describe('an extension (延期)', () => {
  test('nothing to approve before the handler asks', async () => {
    const response = await w.act('district-dispatcher', appeal.id, 'approve-extension');
    expect(response.statusCode).toBe(409);
  });

  test('the handler asks for 2 more working days before the deadline', async () => {
    await w.setClock(at('2026-10-09T17:30:00'));
    const requested = await w.must('dept-handler', appeal.id, 'request-extension', {
      workingDays: 2,
      reason: '摊主较多，需联合市场监管部门集中整治',
    });
    expect(requested.pendingExtension).toMatchObject({ workingDays: 2 });
    expect(requested.finishDueAt).toBe(at('2026-10-10T16:00:00'));
  });

  test('a second request while the first waits is 409', async () => {
    const again = await w.act('dept-handler', appeal.id, 'request-extension', {
      workingDays: 1,
      reason: '再延',
    });
    expect(again.statusCode).toBe(409);
    expect((await w.detail('dept-handler', appeal.id)).json().pendingExtension.workingDays).toBe(2);
  });

  test('approval moves the deadline 2 working days on, over the Sunday, to Tuesday 10-13 16:00', async () => {
    const approved = await w.must('district-dispatcher', appeal.id, 'approve-extension');
    // From Saturday 16:00: 2 h that day, Sunday 10-11 off, 9 h Monday, 7 h Tuesday.
    expect(approved.finishDueAt).toBe(at('2026-10-13T16:00:00'));
    expect(approved.extensionDays).toBe(2);
    expect(approved.pendingExtension).toBeNull();
    expect(await dueSoonIds('district-dispatcher')).not.toContain(appeal.id);
    const tracked = (await w.track(appeal.trackingCode)).json();
    expect(tracked.finishDueAt).toBe(at('2026-10-13T16:00:00'));
    expect(tracked.timeline.at(-1)).toMatchObject({ label: '办理时限延长', detail: '延长 2 个工作日' });
  });

  test('asked for once the deadline has passed, it is 422 extension_too_late', async () => {
    await w.setClock(at('2026-10-13T16:00:00'));
    const late = await w.act('dept-handler', appeal.id, 'request-extension', {
      workingDays: 1,
      reason: '还需一天',
    });
    expect(late.statusCode).toBe(422);
    expect(late.json().error).toMatchObject({
      code: 'extension_too_late',
      details: { finishDueAt: at('2026-10-13T16:00:00') },
    });
    await w.setClock(at('2026-10-13T15:59:00'));
    const justInTime = await w.act('dept-handler', appeal.id, 'request-extension', {
      workingDays: 1,
      reason: '还需一天',
    });
    expect(justInTime.statusCode).toBe(200);
  });

  test('a denied request leaves the deadline where it was', async () => {
    const denied = await w.must('district-dispatcher', appeal.id, 'deny-extension', { reason: '时间足够' });
    expect(denied.finishDueAt).toBe(at('2026-10-13T16:00:00'));
    expect(denied.pendingExtension).toBeNull();
    expect(denied.extensionDays).toBe(2);
  });
});
