import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { formatChinaDateTime } from '../../platform/calendar/index.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';

/** The rows a list page gives (appeals.views.ts summary), as far as the export reads them. */
interface Summary {
  trackingCode: string;
  title: string | null;
  category: { name: string } | null;
  statusLabel: string;
  channel: string;
  area: { name: string };
  assigned: { name: string } | null;
  location: { address: string | null } | null;
  contact: { name: string | null; phone: string | null; hidden: boolean } | null;
  anonymous: boolean;
  submittedAt: string;
  acceptDueAt: string | null;
  finishDueAt: string | null;
  overdue: boolean;
  supervised: boolean;
  rating: string | null;
}

type ListPage = (cursor: string | undefined) => Promise<{ items: Summary[]; next: string | null }>;

/** One export is a report, not a dump: past this many rows, narrow the filter. */
export const EXPORT_MAX_ROWS = 10_000;

const HEADERS = [
  '受理编号',
  '标题',
  '事项类别',
  '状态',
  '渠道',
  '所属区域',
  '承办单位',
  '地址',
  '联系人',
  '联系电话',
  '提交时间',
  '受理时限',
  '办结时限',
  '是否超期',
  '是否督办',
  '评价',
] as const;

const RATING_LABELS: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

/** China time as a spreadsheet reads it: 2026-10-09 09:00. */
function chinaTime(iso: string | null): string {
  if (!iso) return '';
  return formatChinaDateTime(new Date(iso));
}

function contactCells(row: Summary): [string, string] {
  if (row.anonymous) return ['匿名', ''];
  if (!row.contact) return ['', ''];
  if (row.contact.hidden) return ['（依法不向被反映单位提供）', ''];
  return [row.contact.name ?? '', row.contact.phone ?? ''];
}

export type ExportFormat = 'csv' | 'xlsx';

/** A worksheet with the same columns and cells as the CSV: dates as text in China time, as shown. */
async function workbook(cells: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '家门口 Doorstep';
  const sheet = book.addWorksheet('诉求清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...HEADERS]).font = { bold: true };
  for (const row of cells) sheet.addRow(row);
  sheet.columns.forEach((column, index) => {
    column.width = index === 1 || index === 7 ? 40 : 16;
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: HEADERS.length } };
  // Cells are written as strings (never formulas), so a value starting with = stays text.
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The appeal list as a CSV (or xlsx) file for a spreadsheet: the same scope, filters and views as the list
 * (contact masked, withheld from the accused unit per 信访工作条例 art. 46(5)) — an export is never
 * a way around them. Each export is journaled on the security stream with its filter and row
 * count, so the auditor's report can list who took what out of the system.
 */
export function createAppealExport(deps: { db: Db; journal: Journal }) {
  return async function exportList(
    actor: Actor,
    filter: Record<string, unknown>,
    listPage: ListPage,
    format: ExportFormat = 'csv',
  ) {
    const rows: Summary[] = [];
    let cursor: string | undefined;
    let truncated = false;
    do {
      const page = await listPage(cursor);
      rows.push(...page.items);
      cursor = page.next ?? undefined;
      if (rows.length >= EXPORT_MAX_ROWS && cursor) {
        truncated = true;
        break;
      }
    } while (cursor);
    const kept = rows.slice(0, EXPORT_MAX_ROWS);
    await deps.db.transaction((tx) =>
      deps.journal.append(tx, {
        stream: SECURITY_STREAM,
        action: 'appeals.exported',
        actorId: actor.userId,
        actorOrgId: actor.orgId || null,
        subjectType: 'appeal_list',
        subjectId: null,
        data: { filter, format, rows: kept.length, truncated },
      }),
    );
    const cells = kept.map((row) => [
      row.trackingCode,
      row.title ?? '',
      row.category?.name ?? '',
      row.statusLabel,
      row.channel,
      row.area.name,
      row.assigned?.name ?? '',
      row.location?.address ?? '',
      ...contactCells(row),
      chinaTime(row.submittedAt),
      chinaTime(row.acceptDueAt),
      chinaTime(row.finishDueAt),
      row.overdue ? '是' : '否',
      row.supervised ? '是' : '否',
      row.rating ? (RATING_LABELS[row.rating] ?? row.rating) : '',
    ]);
    if (format === 'xlsx') return { body: await workbook(cells), rows: kept.length, truncated };
    // A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    const csv = stringify(cells, {
      header: true,
      columns: [...HEADERS],
      cast: { string: neutraliseFormula },
    });
    // The byte-order mark makes Excel read the Chinese as UTF-8.
    return { body: `\uFEFF${csv}`, rows: kept.length, truncated };
  };
}

function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
