import { afterAll, describe, expect, test } from 'vitest';
import { createAppealWorld } from './support/appeals.ts';

/*
 * 督办 and 催办 press whoever holds the work (issue #23 item 3): the server never offers them on
 * finished work nor to the unit holding it, and before a dispatch only to a leader — the desk takes
 * the next step itself. The console shows exactly `availableActions`; the action is refused alike.
 */
const world = await createAppealWorld([
  'district-dispatcher',
  'street-dispatcher',
  'dept-handler',
  'grid-worker',
  'leader',
]);
const { h } = world;
afterAll(() => h.close());

const actions = async (user: string, id: string) =>
  (await world.detail(user, id)).json().availableActions as string[];
const PRESS = ['supervise', 'remind'];

describe('supervision and reminders', () => {
  test('before a dispatch, a leader presses the desk; the desk itself is not offered it', async () => {
    const { id } = await world.driveTo('submitted');
    const desk = await actions('district-dispatcher', id);
    expect(desk).toContain('accept');
    expect(desk.filter((action) => PRESS.includes(action))).toEqual([]);
    const refused = await world.act('district-dispatcher', id, 'supervise', { note: '请尽快受理' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('take its next step');
    expect(await actions('leader', id)).toEqual(expect.arrayContaining(PRESS));
    await world.must('leader', id, 'supervise', { note: '请尽快受理' });
  });

  test('on work held by a department: the dispatcher above may press it', async () => {
    const { id } = await world.driveTo('claimed');
    expect(await actions('district-dispatcher', id)).toEqual(expect.arrayContaining(PRESS));
    await world.must('district-dispatcher', id, 'remind', {});
    const supervised = await world.must('district-dispatcher', id, 'supervise', { note: '本周内办结' });
    expect(supervised.supervised).toBe(true);
  });

  test('never by the unit that holds the work, though it sits in the area', async () => {
    const { id } = await world.driveTo('accepted');
    const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: world.as('street-dispatcher') })).json()
      .user;
    // The street desk gives the work to its own street office.
    await world.must('street-dispatcher', id, 'dispatch', { orgId: me.orgId });
    const own = await actions('street-dispatcher', id);
    expect(own.filter((action) => PRESS.includes(action))).toEqual([]);
    const refused = await world.act('street-dispatcher', id, 'remind', {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('your unit holds the work');
    // The district, above it, may.
    expect(await actions('district-dispatcher', id)).toEqual(expect.arrayContaining(PRESS));
  });

  test('not on finished work: a resolved or verified case is not pressed', async () => {
    for (const state of ['resolved', 'verified']) {
      const { id } = await world.driveTo(state);
      const offered = await actions('district-dispatcher', id);
      expect(
        offered.filter((action) => PRESS.includes(action)),
        state,
      ).toEqual([]);
      expect((await world.act('district-dispatcher', id, 'supervise', { note: '督办' })).statusCode).toBe(
        409,
      );
    }
  });
});
