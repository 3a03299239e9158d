import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * 问责 (issue #24 item 5): work that goes past its finish deadline, and work returned a second
 * time, leave a record per unit; a leader confirms or waives it with a reason, once.
 */
let w: AppealWorld;
const ids = { overdue: '', returned: '' };

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'street2-dispatcher', 'dept-handler', 'leader']);
  await w.setClock('2026-10-12T01:00:00.000Z'); // Monday 09:00 China time
  // Overdue: 城管 claims a manhole case and lets its finish deadline (1 working day) pass.
  const late = await w.driveTo('claimed');
  ids.overdue = late.id;
  await w.setClock('2026-10-14T02:00:00.000Z');
  await w.h.services.jobs.runDue(w.h.services.jobHandlers);
  // Returned twice: 城管 sends the same work back two times.
  const bounced = await w.driveTo('dispatched');
  ids.returned = bounced.id;
  await w.must('dept-handler', bounced.id, 'return', { reason: '不属于本部门职责' });
  await w.must('district-dispatcher', bounced.id, 'dispatch', { orgId: w.dept.urban });
  await w.must('dept-handler', bounced.id, 'return', { reason: '仍不属于本部门职责' });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

type Item = {
  id: string;
  kind: string;
  appeal: { id: string };
  unit: { name: string };
  hoursLate: number | null;
  returnCount: number | null;
  supervised: boolean;
  status: string;
  reason: string | null;
  decidedBy: string | null;
};
const list = async (user: string, query = '') =>
  (await w.h.app.inject({ url: `/api/v1/accountability${query}`, headers: w.as(user) })).json()
    .items as Item[];
const decide = (user: string, id: string, payload: object) =>
  w.h.app.inject({
    method: 'POST',
    url: `/api/v1/accountability/${id}/decision`,
    headers: w.as(user),
    payload,
  });

describe('问责 records', () => {
  test('overdue work leaves a record against the unit, with how late and the supervision', async () => {
    const items = await list('leader', '?status=open');
    const overdue = items.find((i) => i.appeal.id === ids.overdue && i.kind === 'overdue');
    expect(overdue).toMatchObject({
      unit: { name: expect.stringContaining('城市管理') },
      supervised: true,
      status: 'open',
    });
    expect(overdue!.hoursLate).toBeGreaterThan(0);
  });

  test('the second return leaves a record against the unit returning it; the first does not', async () => {
    const items = await list('leader');
    const returned = items.filter((i) => i.appeal.id === ids.returned && i.kind === 'returned');
    expect(returned).toHaveLength(1);
    expect(returned[0]).toMatchObject({
      returnCount: 2,
      unit: { name: expect.stringContaining('城市管理') },
    });
  });

  test('the leader confirms one and waives the other, each with a reason, once', async () => {
    const items = await list('leader', '?status=open');
    const overdue = items.find((i) => i.appeal.id === ids.overdue)!;
    const returned = items.find((i) => i.appeal.id === ids.returned)!;
    const confirmed = await decide('leader', overdue.id, {
      decision: 'confirm',
      reason: '超期两天未办结，督办后仍未处理',
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({
      status: 'confirmed',
      decidedBy: '区领导 吴军',
      reason: expect.stringContaining('超期'),
    });
    const waived = await decide('leader', returned.id, {
      decision: 'waive',
      reason: '职责确有争议，已另行协调',
    });
    expect(waived.json().status).toBe('waived');
    expect((await decide('leader', overdue.id, { decision: 'waive', reason: '改变主意' })).statusCode).toBe(
      409,
    );
    expect(await list('leader', '?status=open')).toEqual([]);
    const detail = (await w.detail('district-dispatcher', ids.overdue)).json();
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['appeal.accountability_recorded', 'appeal.accountability_confirmed']),
    );
  });

  test('a decision needs a reason: 400', async () => {
    const any = (await list('leader'))[0]!;
    expect((await decide('leader', any.id, { decision: 'confirm' })).statusCode).toBe(400);
    expect((await decide('leader', any.id, { decision: 'confirm', reason: '' })).statusCode).toBe(400);
  });

  test('a dispatcher reads but does not decide; a handler does not read; another subdistrict sees nothing', async () => {
    const any = (await list('leader'))[0]!;
    expect((await list('district-dispatcher')).length).toBeGreaterThan(0);
    expect(
      (await decide('district-dispatcher', any.id, { decision: 'confirm', reason: '试图决定' })).statusCode,
    ).toBe(403);
    expect(
      (await w.h.app.inject({ url: '/api/v1/accountability', headers: w.as('dept-handler') })).statusCode,
    ).toBe(403);
    expect(await list('street2-dispatcher')).toEqual([]);
  });
});
