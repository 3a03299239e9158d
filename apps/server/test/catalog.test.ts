import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemoCatalog } from '../src/modules/catalog/demo/index.ts';
import { DEPARTMENTS } from '../src/modules/orgs/demo/guangming-departments.ts';
import { generateDemoDistrict } from '../src/modules/orgs/demo/index.ts';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
const tokens: Record<string, string> = {};
const demo = generateDemoDistrict();
const [guangmingStreet, gongmingStreet] = demo.subdistrictCodes as [string, string];

interface Item {
  id: number;
  code: string;
  name: string;
  kind: string;
  isGroup: boolean;
  competence: string | null;
  active: boolean;
  acceptDays: number | null;
  finishDays: number | null;
  complexFinishDays: number | null;
}

beforeAll(async () => {
  h = await createHarness();
  for (const username of ['admin', 'district-dispatcher', 'auditor', 'grid-worker']) {
    tokens[username] = await h.login(username);
  }
});
afterAll(() => h?.close());

const call = (
  username: string | null,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: object,
) =>
  h.app.inject({
    method,
    url,
    headers: username ? bearer(tokens[username]!) : {},
    ...(payload ? { payload } : {}),
  });

async function byCode(code: string): Promise<Item> {
  const found = await h.services.catalog.getByCode(code);
  if (!found) throw new Error(`no category ${code}`);
  return found;
}

async function org(code: string) {
  const row = await h.services.orgs.directory().findByCode(code);
  if (!row) throw new Error(`no org ${code}`);
  return row;
}

/** A grid somewhere in the subdistrict (grid codes start with their subdistrict's 9 digits). */
function gridIn(subdistrictCode: string): string {
  return demo.units.find((u) => u.level === 'grid' && u.code.startsWith(subdistrictCode.slice(0, 9)))!.code;
}

describe('the demo catalogue of Guangming', () => {
  test('has at least 147 selectable items in the three dispatch kinds, each with deadlines and a known competence', async () => {
    const response = await call('district-dispatcher', 'GET', '/api/v1/categories?leaf=true');
    expect(response.statusCode).toBe(200);
    const items: Item[] = response.json().items;
    const dispatch = items.filter((i) => ['patrol', 'snapshot', 'dispute'].includes(i.kind));
    expect(dispatch.length).toBeGreaterThanOrEqual(147);
    for (const kind of ['complaint', 'suggestion', 'help', 'consultation']) {
      expect(items.some((i) => i.kind === kind)).toBe(true);
    }
    const competences = new Set(DEPARTMENTS.flatMap((d) => d.competences));
    for (const item of items) {
      expect(item.isGroup).toBe(false);
      expect(competences).toContain(item.competence);
      expect(item.acceptDays).toBeLessThanOrEqual(item.finishDays!);
      expect(item.finishDays).toBeLessThanOrEqual(item.complexFinishDays!);
    }
  });

  test('井盖缺失 is critical with one working day to fix, and asks for the cover type', async () => {
    const cover = await byCode('SP-SZ-001');
    expect(cover).toMatchObject({
      name: '井盖缺失/破损',
      urgency: 'critical',
      competence: 'city_management',
    });
    expect(await h.services.catalog.deadlines(cover.id)).toEqual({
      urgency: 'critical',
      acceptDays: 1,
      finishDays: 1,
      complexFinishDays: 3,
    });
    const wages = await byCode('JF-LZ-001');
    expect(wages.name).toBe('欠薪');
    const detail = (await call('district-dispatcher', 'GET', `/api/v1/categories/${wages.id}`)).json();
    expect(detail.extraFields.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['worker_count', 'amount']),
    );
    expect(detail.ancestors.map((a: { code: string }) => a.code)).toEqual(['JF', 'JF-LZ']);
  });

  test('staff find items by a word of the name, a code prefix, or a sentence containing a keyword', async () => {
    const codes = async (q: string) =>
      (await call('grid-worker', 'GET', `/api/v1/categories?leaf=true&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((i: Item) => i.code);
    expect(await codes('楼下的井盖丢了，晚上很危险')).toContain('SP-SZ-001');
    expect(await codes('欠薪')).toEqual(['JF-LZ-001']);
    expect(await codes('jf-ww')).toHaveLength(5);
  });

  test('loading it a second time changes nothing', async () => {
    const before = await h.services.catalog.count();
    expect(await seedDemoCatalog(h.services, demo)).toEqual({ categories: 0, responsibilities: 0 });
    expect(await h.services.catalog.count()).toBe(before);
  });
});

describe('the public catalogue for residents', () => {
  test('needs no login, lists the kinds with the most common items first, and can be cached', async () => {
    const response = await call(null, 'GET', '/api/v1/public/categories');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(response.headers.etag).toBeTruthy();
    const { kinds } = response.json();
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual([
      'patrol',
      'snapshot',
      'dispute',
      'complaint',
      'suggestion',
      'help',
      'consultation',
    ]);
    const snapshot = kinds[1];
    expect(snapshot.name).toBe('随手拍');
    const facilities = snapshot.groups.find((g: { name: string }) => g.name === '市政设施');
    const popularity = facilities.items.map((i: { popularity: number }) => i.popularity);
    expect(popularity).toEqual([...popularity].sort((a, b) => b - a));
    const cover = facilities.items.find((i: { code: string }) => i.code === 'SP-SZ-001');
    expect(cover.extraFields[0]).toMatchObject({
      code: 'cover_type',
      datatype: 'singlevaluelist',
      required: true,
    });

    const again = await call(null, 'GET', '/api/v1/public/categories');
    expect(again.headers.etag).toBe(response.headers.etag);
    const revalidated = await h.app.inject({
      url: '/api/v1/public/categories',
      headers: { 'if-none-match': response.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(304);
  });

  test('an item the admin switches off disappears from it, but staff still see it', async () => {
    const bbq = await byCode('SP-SR-002');
    const before = await call(null, 'GET', '/api/v1/public/categories');
    const off = await call('admin', 'PATCH', `/api/v1/categories/${bbq.id}`, { active: false });
    expect(off.statusCode).toBe(200);
    const after = await call(null, 'GET', '/api/v1/public/categories');
    expect(after.body).not.toContain('SP-SR-002');
    expect(before.body).toContain('SP-SR-002');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const staff = (await call('district-dispatcher', 'GET', '/api/v1/categories?active=false')).json();
    expect(staff.items.map((i: Item) => i.code)).toContain('SP-SR-002');
  });
});

describe('who handles an item where', () => {
  test('井盖缺失 in 光明街道 goes to the urban management bureau by the catalogue', async () => {
    const cover = await byCode('SP-SZ-001');
    const street = await org(guangmingStreet);
    const result = await h.services.catalog.responsibleDepartment(cover.id, street.id);
    expect(result?.department).toMatchObject({ code: 'GM-CGJ', name: '光明区城市管理和综合执法局' });
    expect(result?.reason).toBe('按事项目录：井盖缺失/破损 → 城管局');
    // An appeal pinned to a grid of the same street resolves the same way, by the grid's org path.
    const grid = await org(gridIn(guangmingStreet));
    expect((await h.services.catalog.responsibleDepartment(cover.id, grid.path))?.department.code).toBe(
      'GM-CGJ',
    );
  });

  test('噪音扰民 in 公明街道 goes to 公明派出所, the police station of that street', async () => {
    const noise = await byCode('SP-RM-001');
    expect(noise.name).toBe('噪音扰民');
    const grid = await org(gridIn(gongmingStreet));
    const result = await h.services.catalog.responsibleDepartment(noise.id, grid.path);
    expect(result?.department.code).toBe('GM-PCS-GONGMING');
    expect(result?.reason).toBe('按辖区：公明街道 → 公明派出所');
    expect(result?.rule).toBe('area_override');
  });

  test('违规停车 is traffic police work for the district bureau, not a local station', async () => {
    const parking = await byCode('SP-SR-004');
    const street = await org(gongmingStreet);
    const result = await h.services.catalog.responsibleDepartment(parking.id, street.id);
    expect(result?.department.code).toBe('GM-GAFJ');
  });

  test('an override set for one community wins there and nowhere else', async () => {
    const cover = await byCode('SP-SZ-001');
    const community = await org(
      demo.units.find((u) => u.level === 'community' && u.name === '光明社区')!.code,
    );
    const housing = await org('GM-ZJJ');
    const put = await call('admin', 'PUT', `/api/v1/categories/${cover.id}/responsibilities`, {
      items: [{ areaOrgId: community.id, departmentOrgId: housing.id }],
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().items[0]).toMatchObject({ area: { name: '光明社区' }, department: { code: 'GM-ZJJ' } });
    const grid = await org(
      demo.units.find((u) => u.level === 'grid' && u.code.startsWith(community.code))!.code,
    );
    const inCommunity = await h.services.catalog.responsibleDepartment(cover.id, grid.path);
    expect(inCommunity?.reason).toBe('按辖区：光明社区 → 住建局');
    const inStreet = await h.services.catalog.responsibleDepartment(
      cover.id,
      (await org(guangmingStreet)).id,
    );
    expect(inStreet?.department.code).toBe('GM-CGJ');
    const detail = (await call('district-dispatcher', 'GET', `/api/v1/categories/${cover.id}`)).json();
    expect(detail.responsibilities).toHaveLength(1);
  });

  test('an override must name a department, and a group cannot be assigned', async () => {
    const cover = await byCode('SP-SZ-001');
    const street = await org(guangmingStreet);
    const notDepartment = await call('admin', 'PUT', `/api/v1/categories/${cover.id}/responsibilities`, {
      items: [{ areaOrgId: street.id, departmentOrgId: street.id }],
    });
    expect(notDepartment.statusCode).toBe(422);
    expect(notDepartment.json().error.code).toBe('invalid_department');
    const groupRow = await byCode('SP-SZ');
    const onGroup = await call('admin', 'PUT', `/api/v1/categories/${groupRow.id}/responsibilities`, {
      items: [],
    });
    expect(onGroup.statusCode).toBe(422);
    expect(onGroup.json().error.code).toBe('category_not_selectable');
  });
});

describe('managing the catalogue', () => {
  test('the system admin adds an item to a group, with deadlines from its urgency, and it is journaled', async () => {
    const facilities = await byCode('SP-SZ');
    const created = await call('admin', 'POST', '/api/v1/categories', {
      code: 'SP-SZ-901',
      name: '窨井冒烟',
      parentId: facilities.id,
      competence: 'city_management',
      urgency: 'urgent',
      keywords: ['井盖', '冒烟', ' 井盖 '],
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      code: 'SP-SZ-901',
      kind: 'snapshot',
      isGroup: false,
      acceptDays: 1,
      finishDays: 2,
      complexFinishDays: 5,
      keywords: ['井盖', '冒烟'],
      active: true,
    });
    const audit = (await call('auditor', 'GET', '/api/v1/audit/entries?action=catalog.created')).json();
    expect(audit.items[0]).toMatchObject({
      stream: 'security',
      subjectType: 'category',
      subjectId: String(body.id),
      data: { code: 'SP-SZ-901' },
    });
  });

  test('the system admin renames an item and changes its urgency; the journal records what changed', async () => {
    const lamp = await byCode('SP-SZ-003');
    const patched = await call('admin', 'PATCH', `/api/v1/categories/${lamp.id}`, {
      name: '路灯不亮',
      urgency: 'urgent',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: '路灯不亮', urgency: 'urgent' });
    const audit = (await call('auditor', 'GET', '/api/v1/audit/entries?action=catalog.updated')).json();
    const entry = audit.items.find((e: { subjectId: string }) => e.subjectId === String(lamp.id));
    expect(entry.data).toMatchObject({ code: 'SP-SZ-003', changes: { name: '路灯不亮', urgency: 'urgent' } });
  });

  test('the district dispatcher and a grid worker may read the catalogue but not change it', async () => {
    const cover = await byCode('SP-SZ-001');
    expect((await call('district-dispatcher', 'GET', `/api/v1/categories/${cover.id}`)).statusCode).toBe(200);
    expect((await call('grid-worker', 'GET', '/api/v1/categories?kind=patrol')).statusCode).toBe(200);
    const patch = await call('district-dispatcher', 'PATCH', `/api/v1/categories/${cover.id}`, {
      name: '改名',
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().error.code).toBe('forbidden');
    expect(
      (
        await call('district-dispatcher', 'POST', '/api/v1/categories', {
          code: 'XX',
          name: 'x',
          kind: 'help',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await call('grid-worker', 'PUT', `/api/v1/categories/${cover.id}/responsibilities`, { items: [] }))
        .statusCode,
    ).toBe(403);
    expect((await byCode('SP-SZ-001')).name).toBe('井盖缺失/破损');
  });

  test('the auditor is denied the catalogue; an anonymous caller gets 401 whatever they send', async () => {
    expect((await call('auditor', 'GET', '/api/v1/categories')).statusCode).toBe(403);
    expect((await call('auditor', 'GET', '/api/v1/categories/1')).statusCode).toBe(403);
    for (const [method, url] of [
      ['GET', '/api/v1/categories'],
      ['GET', '/api/v1/categories/1'],
      ['POST', '/api/v1/categories'],
      ['PATCH', '/api/v1/categories/1'],
      ['PUT', '/api/v1/categories/1/responsibilities'],
    ] as const) {
      const response = await call(null, method, url, method === 'GET' ? undefined : { nonsense: true });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  test('invalid input is refused with the error model', async () => {
    const facilities = await byCode('SP-SZ');
    const snapshot = await byCode('SP');
    const badShape = await call('admin', 'POST', '/api/v1/categories', { code: 'bad code', urgency: 'soon' });
    expect(badShape.statusCode).toBe(400);
    expect(badShape.json().error).toMatchObject({ code: 'validation_failed', details: { in: 'body' } });
    expect(badShape.json().error.details.issues.length).toBeGreaterThanOrEqual(2);

    const emptyPatch = await call('admin', 'PATCH', `/api/v1/categories/${facilities.id}`, {});
    expect(emptyPatch.statusCode).toBe(400);

    const item = { parentId: facilities.id, competence: 'city_management' };
    const cases: [object, number, string][] = [
      [
        { code: 'SP-SZ-902', name: '倒序时限', ...item, acceptDays: 3, finishDays: 2 },
        400,
        'validation_failed',
      ],
      [
        { code: 'SP-SZ-903', name: '未知职能', ...item, competence: 'space_travel' },
        422,
        'unknown_competence',
      ],
      [
        {
          code: 'SP-SZ-904',
          name: '缺选项',
          ...item,
          extraFields: [
            { code: 'kind', datatype: 'singlevaluelist', required: true, description: '类型', order: 1 },
          ],
        },
        400,
        'validation_failed',
      ],
      [
        { code: 'SP-SZ-905', name: '挂在事项下', ...item, parentId: (await byCode('SP-SZ-001')).id },
        422,
        'invalid_parent',
      ],
      [
        { code: 'SP-QT', name: '分组带职能', parentId: snapshot.id, isGroup: true, competence: 'water' },
        400,
        'validation_failed',
      ],
      [{ code: 'SP-SZ-QT', name: '三层分组', parentId: facilities.id, isGroup: true }, 422, 'invalid_parent'],
      [{ code: 'SP-SZ-001', name: '重复编码', ...item }, 409, 'conflict'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await call('admin', 'POST', '/api/v1/categories', payload);
      expect({ payload, status: response.statusCode, code: response.json().error?.code }).toEqual({
        payload,
        status,
        code,
      });
    }
    expect((await call('admin', 'GET', '/api/v1/categories/999999')).statusCode).toBe(404);
  });
});
