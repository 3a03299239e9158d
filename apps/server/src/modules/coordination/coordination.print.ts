import { formatChinaDateTime } from '../../platform/calendar/index.ts';
import { escapeHtml } from '../../platform/html.ts';
import type { NoticeRow } from './coordination.repository.ts';

const chinaDateTime = (at: Date) => formatChinaDateTime(at, '/');

/**
 * The coordination notice (信访事项协调处理通知) as a printable A4 page. It carries the matter and the
 * summoned units, never the reporter's identity (信访工作条例 art. 46(5)).
 */
export function renderNotice(
  notice: NoticeRow,
  appeal: {
    trackingCode: string;
    title: string;
    content: string;
    areaName: string;
    categoryName: string | null;
  },
): string {
  const rows = notice.summons
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.orgName)}</td><td>${s.reportedAt ? `已报到 ${escapeHtml(chinaDateTime(s.reportedAt))}` : '待报到'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(notice.number)} 协调处理通知</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font-family: "Songti SC", "SimSun", serif; color: #000; max-width: 170mm; margin: 0 auto; line-height: 1.8; }
  h1 { text-align: center; color: #c00; font-size: 22pt; letter-spacing: 2pt; border-bottom: 2px solid #c00; padding-bottom: 6pt; }
  .number { text-align: center; font-size: 12pt; }
  table { width: 100%; border-collapse: collapse; margin: 8pt 0; }
  td, th { border: 1px solid #000; padding: 4pt 6pt; text-align: left; }
  .sign { text-align: right; margin-top: 24pt; }
  @media screen { body { padding: 16px; } }
</style></head>
<body>
<h1>信访事项协调处理通知</h1>
<p class="number">${escapeHtml(notice.number)}</p>
<p>各相关单位：</p>
<p>现有群众诉求事项（查询码 ${escapeHtml(appeal.trackingCode)}）需多部门协调处置。根据“吹哨报到”工作机制，请以下单位于
<strong>${escapeHtml(chinaDateTime(notice.reportDueAt))}</strong> 前报到并开展联合处置，逾期未报到的将自动提级督办。</p>
<table>
  <tr><th style="width:25%">事项</th><td>${escapeHtml(appeal.title)}</td></tr>
  <tr><th>类别</th><td>${escapeHtml(appeal.categoryName ?? '未分类')}</td></tr>
  <tr><th>发生地</th><td>${escapeHtml(appeal.areaName)}</td></tr>
  <tr><th>诉求内容</th><td>${escapeHtml(appeal.content)}</td></tr>
  <tr><th>吹哨事由</th><td>${escapeHtml(notice.reason)}</td></tr>
  <tr><th>吹哨层级</th><td>第 ${notice.level} 级</td></tr>
</table>
<table><tr><th>被召集单位</th><th>报到情况</th></tr>${rows}</table>
<p class="sign">${escapeHtml(notice.issuedByOrgName ?? '系统自动升级')}<br>${escapeHtml(chinaDateTime(notice.issuedAt))}</p>
</body></html>`;
}
