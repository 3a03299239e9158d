import { afterAll, describe, expect, test } from 'vitest';
import { createAppealWorld } from './support/appeals.ts';

// The dispatch dialog's choices come from the server (issue #18 item 6, issue #22 item 2): the
// catalogue's responsibility rules, where dispatchers sent the category lately, then the units of
// the appeal's place from triage. A dispatch elsewhere than the first suggestion is a correction.

const world = await createAppealWorld();
const { h } = world;
afterAll(() => h.close());

const suggestions = (user: string, id: string) =>
  h.app.inject({ url: `/api/v1/appeals/${id}/suggestions`, headers: world.as(user) });

describe('GET /api/v1/appeals/{id}/suggestions', () => {
  test('a missing manhole cover goes to 城管 first, with the reason the rule gives', async () => {
    const { id } = await world.newAppeal();
    const response = await suggestions('street-dispatcher', id);
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items[0]).toMatchObject({ org: { id: world.dept.urban }, rule: 'competence' });
    expect(items[0].reason).toMatch(/^按事项目录：井盖缺失/);
  });

  test('where dispatchers sent the category lately is offered, with how often, after the rules', async () => {
    for (let i = 0; i < 2; i++) {
      const { id } = await world.newAppeal();
      await world.must('district-dispatcher', id, 'accept');
      const dispatched = await world.must('district-dispatcher', id, 'dispatch', {
        orgId: world.dept.housing,
      });
      // The first suggestion was 城管: choosing 住建 is journaled as a routing correction.
      const entry = (dispatched.timeline as { action: string; data: Record<string, unknown> }[]).find(
        (e) => e.action === 'appeal.dispatch',
      );
      expect(entry?.data).toMatchObject({
        orgId: world.dept.housing,
        suggestedOrgId: world.dept.urban,
        correction: true,
      });
    }
    const { id } = await world.newAppeal();
    const { items } = (await suggestions('street-dispatcher', id)).json();
    expect(items[0]).toMatchObject({ org: { id: world.dept.urban }, rule: 'competence' });
    expect(items[1]).toMatchObject({
      org: { id: world.dept.housing },
      rule: 'history',
      reason: '近 90 天同类事项派往此单位 2 次',
    });
    // Following the first suggestion is no correction.
    await world.must('district-dispatcher', id, 'accept');
    const followed = await world.must('district-dispatcher', id, 'dispatch', { orgId: world.dept.urban });
    const entry = (followed.timeline as { action: string; data: Record<string, unknown> }[]).find(
      (e) => e.action === 'appeal.dispatch',
    );
    expect(entry?.data).toMatchObject({ suggestedOrgId: world.dept.urban, correction: false });
  });

  test('an assignment for the appeal’s area comes before the catalogue’s department', async () => {
    const { id } = await world.newAppeal();
    const detail = (await world.detail('district-dispatcher', id)).json();
    const category = (
      await h.app.inject({
        url: `/api/v1/categories/${detail.category.id}`,
        headers: world.as('district-dispatcher'),
      })
    ).json();
    const area = detail.area.id;
    const put = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/categories/${category.id}/responsibilities`,
      headers: await h.login('admin').then((token) => ({ authorization: `Bearer ${token}` })),
      payload: { items: [{ areaOrgId: area, departmentOrgId: world.dept.housing }] },
    });
    expect(put.statusCode, put.body).toBeLessThan(300);
    const { items } = (await suggestions('street-dispatcher', id)).json();
    expect(
      items.slice(0, 2).map((item: { org: { id: number }; rule: string }) => [item.org.id, item.rule]),
    ).toEqual([
      [world.dept.housing, 'area_override'],
      [world.dept.urban, 'competence'],
    ]);
    expect(items[0].reason).toContain(detail.area.name);
  });

  test('the unit the appeal complains about is never suggested (art. 46(5))', async () => {
    const { id } = await world.newAppeal({ accusedOrgId: world.dept.urban });
    const { items } = (await suggestions('street-dispatcher', id)).json();
    expect(items.map((item: { org: { id: number } }) => item.org.id)).not.toContain(world.dept.urban);
  });

  test('without a category, the place decides: the grid, its station and community; another subdistrict’s desk gets 404', async () => {
    const { id } = await world.newAppeal({ categoryCode: undefined });
    const { items } = (await suggestions('street-dispatcher', id)).json();
    const detail = (await world.detail('street-dispatcher', id)).json();
    const reasons = items.map((item: { reason: string }) => item.reason);
    expect(items.every((item: { rule: string }) => item.rule === 'place')).toBe(true);
    expect(reasons).toContain('所在网格');
    expect(reasons).toContain('所在社区');
    const unit = (id: number) =>
      h.testDb.db.one<{ level: string; path: string }>('SELECT level, path FROM org_unit WHERE id = $1', [
        id,
      ]);
    const stored = await h.testDb.db.one<{ gridId: number; orgId: number }>(
      'SELECT grid_id AS "gridId", org_id AS "orgId" FROM appeal WHERE id = $1',
      [id],
    );
    const grid = items.find((item: { reason: string }) => item.reason === '所在网格');
    expect(grid.org.id).toBe(stored!.gridId);
    expect(detail.area.id).toBe(stored!.orgId);
    // Every unit offered is one the street desk may dispatch to: its own subtree or a department.
    const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: world.as('street-dispatcher') })).json()
      .user;
    const desk = (await unit(me.orgId))!;
    for (const item of items) {
      const org = (await unit(item.org.id))!;
      expect(org.level === 'department' || org.path.startsWith(desk.path), item.org.name).toBe(true);
    }
    expect((await suggestions('street2-dispatcher', id)).statusCode).toBe(404);
  });
});
