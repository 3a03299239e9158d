import QRCode from 'qrcode';
import { formatChinaDateTime } from '../../platform/calendar/index.ts';
import { escapeHtml } from '../../platform/html.ts';

export interface ReceiptData {
  trackingCode: string;
  title: string;
  categoryName: string | null;
  hallName: string;
  hallPhone: string | null;
  receivedAt: Date;
  acceptDueAt: Date | null;
  groupSize: number;
  /** Where the resident follows it: the tracking page's address, in the QR code too. */
  trackUrl: string;
}

/**
 * The receipt (受理回执) the visitor takes home, as a printable A5 page: the tracking code in full
 * and as a QR code to the tracking page, the acceptance deadline, the hall and its phone. It names
 * no one: the visitor's name and phone are not on a paper that may be lost.
 */
export async function renderReceipt(data: ReceiptData): Promise<string> {
  const qr = await QRCode.toString(data.trackUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const at = (date: Date) => escapeHtml(formatChinaDateTime(date, '/'));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>受理回执 ${escapeHtml(data.trackingCode)}</title>
<style>
  @page { size: A5; margin: 12mm; }
  body { font-family: "Songti SC", "SimSun", serif; color: #000; max-width: 124mm; margin: 0 auto; line-height: 1.7; }
  h1 { text-align: center; font-size: 18pt; letter-spacing: 4pt; margin: 0 0 8pt; }
  .code { text-align: center; font: bold 20pt ui-monospace, monospace; letter-spacing: 2pt; margin: 4pt 0; }
  .qr { width: 34mm; height: 34mm; margin: 0 auto; }
  .qr svg { width: 100%; height: 100%; }
  table { width: 100%; border-collapse: collapse; margin: 8pt 0; font-size: 10.5pt; }
  th, td { border: 1px solid #000; padding: 3pt 5pt; text-align: left; vertical-align: top; }
  th { width: 26%; }
  .note { font-size: 9.5pt; }
  @media screen { body { padding: 16px; } }
</style></head>
<body>
<h1>群众诉求受理回执</h1>
<p class="code" data-testid="receipt-code">${escapeHtml(data.trackingCode)}</p>
<div class="qr" role="img" aria-label="扫码查询办理进度">${qr}</div>
<table>
  <tr><th>事项</th><td>${escapeHtml(data.title)}</td></tr>
  <tr><th>类别</th><td>${escapeHtml(data.categoryName ?? '待工作人员确定')}</td></tr>
  <tr><th>受理窗口</th><td>${escapeHtml(data.hallName)}</td></tr>
  <tr><th>登记时间</th><td>${at(data.receivedAt)}</td></tr>
  ${data.acceptDueAt ? `<tr><th>受理时限</th><td>${at(data.acceptDueAt)} 前</td></tr>` : ''}
  ${data.groupSize > 1 ? `<tr><th>来访人数</th><td>${data.groupSize} 人</td></tr>` : ''}
  <tr><th>窗口电话</th><td>${escapeHtml(data.hallPhone ?? '—')}</td></tr>
</table>
<p class="note">凭查询码或扫描二维码查询办理进度（${escapeHtml(data.trackUrl)}）。办结后将以短信通知您评价；固定电话请凭查询码到窗口或网上评价。请妥善保管本回执。</p>
</body></html>`;
}
