import { afterAll, describe, expect, test } from 'vitest';
import { createAppealWorld } from './support/appeals.ts';

// The dispatch dialog's first choices come from the server's responsibility rules (catalog
// responsibility.ts), not from a copy of them in the console (issue #18 item 6).

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
    expect(items.map((item: { org: { id: number }; rule: string }) => [item.org.id, item.rule])).toEqual([
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

  test('an appeal without a category has no suggestion; another subdistrict’s desk gets 404', async () => {
    const { id } = await world.newAppeal({ categoryCode: undefined });
    expect((await suggestions('street-dispatcher', id)).json()).toEqual({ items: [] });
    expect((await suggestions('street2-dispatcher', id)).statusCode).toBe(404);
  });
});
