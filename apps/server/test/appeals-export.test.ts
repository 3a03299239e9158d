import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, type Created, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * The appeal list as a spreadsheet: the same scope and masking as the list, the reporter withheld
 * from the unit complained about (art. 46(5)), every export journaled, no formula injection.
 */
let w: AppealWorld;
let aboutUrban: Created;
let plain: Created;

const exportAs = (user: string, query = '') =>
  w.h.app.inject({ url: `/api/v1/appeals/export${query}`, headers: w.as(user) });

function rowsOf(body: string): Record<string, string>[] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  return parse(body.slice(1), { columns: true, skip_empty_lines: true });
}

beforeAll(async () => {
  w = await createAppealWorld([
    'district-dispatcher',
    'street2-dispatcher',
    'dept-handler',
    'community-worker',
    'grid-worker',
    'auditor',
  ]);
  // A complaint about the community itself, which sees the appeals of its area (the case is never
  // given to the unit it complains about: appeals-privacy.test.ts).
  const community = (
    await w.h.app.inject({ url: '/api/v1/auth/me', headers: w.as('community-worker') })
  ).json().user.orgId;
  aboutUrban = await w.newAppeal({
    content: '社区工作人员办事推诿，三次上门都没人处理',
    contact: { name: '王秀英', phone: '13955557788' },
    accusedOrgId: community,
  });
  await w.must('district-dispatcher', aboutUrban.id, 'accept');
  await w.must('district-dispatcher', aboutUrban.id, 'dispatch', { orgId: w.dept.urban });
  plain = await w.newAppeal({
    content: '=HYPERLINK("http://evil.example","点我") 小区门口井盖缺失',
    contact: { name: '李四', phone: '13812345678' },
    location: { ...w.pin, address: '=1+1 光明大道 1 号' },
  });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('GET /api/v1/appeals/export', () => {
  test('the district dispatcher gets a CSV of the list, contact masked, in Chinese columns', async () => {
    const response = await exportAs('district-dispatcher');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="appeals-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = rowsOf(response.body);
    const list = (
      await w.h.app.inject({ url: '/api/v1/appeals?limit=200', headers: w.as('district-dispatcher') })
    ).json();
    expect(rows.map((row) => row['受理编号']).sort()).toEqual(
      list.items.map((item: { trackingCode: string }) => item.trackingCode).sort(),
    );
    const mine = rows.find((row) => row['受理编号'] === maskTrackingCode(plain.trackingCode))!;
    expect(mine['联系人']).toBe('李*');
    expect(mine['联系电话']).toBe('138****5678');
    expect(response.body).not.toContain('13812345678');
    expect(Number(response.headers['x-export-rows'])).toBe(rows.length);
  });

  test('a cell that would run as a formula in a spreadsheet is neutralised', async () => {
    const rows = rowsOf((await exportAs('district-dispatcher')).body);
    const mine = rows.find((row) => row['受理编号'] === maskTrackingCode(plain.trackingCode))!;
    for (const cell of Object.values(mine)) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(mine['地址']).toBe("'=1+1 光明大道 1 号");
  });

  test('the unit complained about exports its work without the reporter (art. 46(5))', async () => {
    const response = await exportAs('community-worker');
    expect(response.statusCode).toBe(200);
    const row = rowsOf(response.body).find(
      (r) => r['受理编号'] === maskTrackingCode(aboutUrban.trackingCode),
    )!;
    expect(row['联系人']).toBe('（依法不向被反映单位提供）');
    expect(row['联系电话']).toBe('');
    for (const trace of ['王秀英', '王*', '13955557788', '7788']) expect(response.body).not.toContain(trace);
  });

  test('the other subdistrict’s dispatcher does not get 光明’s appeals; the filters apply', async () => {
    const other = rowsOf((await exportAs('street2-dispatcher')).body);
    expect(other.map((row) => row['受理编号'])).not.toContain(maskTrackingCode(plain.trackingCode));
    const submitted = rowsOf((await exportAs('district-dispatcher', '?status=submitted')).body);
    expect(submitted.map((row) => row['受理编号'])).toContain(maskTrackingCode(plain.trackingCode));
    expect(submitted.map((row) => row['受理编号'])).not.toContain(maskTrackingCode(aboutUrban.trackingCode));
  });

  test('roles without the export permission, anonymous callers and bad filters are refused', async () => {
    expect((await exportAs('grid-worker')).statusCode).toBe(403);
    expect((await exportAs('auditor')).statusCode).toBe(403);
    expect((await w.h.app.inject({ url: '/api/v1/appeals/export' })).statusCode).toBe(401);
    const bad = await exportAs('district-dispatcher', '?limit=5');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBeTruthy();
  });

  test('each export is journaled for the auditor with its filter and row count', async () => {
    await exportAs('district-dispatcher', '?status=submitted');
    const entries = await w.h.app.inject({
      url: '/api/v1/audit/entries?action=appeals.exported',
      headers: w.as('auditor'),
    });
    expect(entries.statusCode).toBe(200);
    const last = entries.json().items[0];
    expect(last).toMatchObject({ action: 'appeals.exported', data: { filter: { status: ['submitted'] } } });
    expect(last.data.rows).toBeGreaterThan(0);
  });

  test('as an xlsx workbook: the same rows and masked cells, with a frozen header row', async () => {
    const response = await w.h.app.inject({
      url: '/api/v1/appeals/export?format=xlsx',
      headers: w.as('district-dispatcher'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toMatch(/filename="appeals-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe('受理编号');
    const csvRows = rowsOf((await exportAs('district-dispatcher')).body);
    expect(sheet.rowCount - 1).toBe(csvRows.length);
    const cells: string[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) cells.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    const mine = cells.find((row) => row[0] === maskTrackingCode(plain.trackingCode))!;
    expect(mine[header.indexOf('联系电话')]).toBe('138****5678');
    // Written as text, never as a formula: the = stays a character.
    expect(mine[header.indexOf('地址')]).toBe('=1+1 光明大道 1 号');
    expect(sheet.getCell('H2').formula).toBeUndefined();
  });
});
