import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { formatChinaDateTime } from '../../platform/calendar/index.ts';

/**
 * The mediation agreement (人民调解协议书, 人民调解法 art. 29) as an A4 PDF: the committee, the case
 * number, the parties, the facts, the terms, the payments, each party's confirmation and the
 * court's ruling. PDFKit lays it out and embeds a subset of Noto Sans SC (OFL, from
 * @embedpdf/fonts-sc) so it prints the same everywhere, without fonts on the reader's machine.
 */
export interface AgreementDocument {
  caseNumber: string;
  committee: string;
  mediator: string | null;
  summary: string;
  terms: string;
  totalAmount: number;
  agreedAt: Date;
  effectiveAt: Date | null;
  parties: {
    role: 'applicant' | 'respondent';
    kind: 'person' | 'organisation';
    name: string;
    idNumber: string | null;
    creditCode: string | null;
    confirmedAt: Date | null;
    confirmedBy: 'code' | 'signature' | null;
  }[];
  payments: { seq: number; amount: number; dueDate: string; paidAmount: number }[];
  ruling: { number: string | null; at: Date | null; outcome: 'confirmed' | 'rejected' | null } | null;
}

const fontsDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')),
  '..',
  'fonts',
);
const REGULAR = path.join(fontsDir, 'NotoSansHans-Regular.otf');
const BOLD = path.join(fontsDir, 'NotoSansHans-Bold.otf');

const yuan = (amount: number) =>
  `${amount.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
const day = (at: Date) => formatChinaDateTime(at).slice(0, 10);

export function renderAgreementPdf(doc: AgreementDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 72, right: 72 },
    info: {
      Title: `人民调解协议书 ${doc.caseNumber}`,
      Author: doc.committee,
      Subject: doc.caseNumber,
      Creator: 'Doorstep 家门口',
    },
  });
  pdf.registerFont('regular', REGULAR);
  pdf.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const heading = (text: string) => pdf.moveDown(0.8).font('bold').fontSize(12).text(text).moveDown(0.3);
  const body = (text: string) => pdf.font('regular').fontSize(11).text(text, { lineGap: 4 });

  pdf.font('bold').fontSize(20).text('人民调解协议书', { align: 'center' });
  pdf.moveDown(0.5).font('regular').fontSize(10).text(`${doc.committee}    案号：${doc.caseNumber}`, {
    align: 'center',
  });

  heading('当事人');
  for (const party of doc.parties) {
    const role = party.role === 'applicant' ? '申请人' : '被申请人';
    const id =
      party.kind === 'organisation'
        ? party.creditCode
          ? `统一社会信用代码 ${party.creditCode}`
          : ''
        : party.idNumber
          ? `身份证号 ${party.idNumber}`
          : '';
    body(`${role}：${party.name}${id ? `，${id}` : ''}`);
  }

  heading('纠纷主要事实、争议事项');
  body(doc.summary);
  heading('经调解，自愿达成如下协议');
  body(doc.terms);

  if (doc.payments.length) {
    heading(`履行方式与期限（合计 ${yuan(doc.totalAmount)}）`);
    for (const p of doc.payments) {
      const paid =
        p.paidAmount >= p.amount ? '（已履行）' : p.paidAmount > 0 ? `（已付 ${yuan(p.paidAmount)}）` : '';
      body(`第 ${p.seq} 期：${yuan(p.amount)}，于 ${p.dueDate} 前支付${paid}`);
    }
  }

  heading('当事人确认');
  for (const party of doc.parties) {
    const how = party.confirmedBy === 'signature' ? '现场签名' : '短信验证码';
    body(`${party.name}：${party.confirmedAt ? `${day(party.confirmedAt)} 以${how}确认` : '尚未确认'}`);
  }
  body(
    '本协议自各方当事人确认之日起生效，具有法律约束力，当事人应当按照约定履行。' +
      '当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。',
  );

  if (doc.ruling?.outcome) {
    heading('司法确认');
    body(
      doc.ruling.outcome === 'confirmed'
        ? `人民法院已裁定确认本协议有效（${doc.ruling.number ?? ''}）。`
        : '人民法院裁定驳回司法确认申请。',
    );
  }

  pdf.moveDown(2).font('regular').fontSize(11);
  pdf.text(`调解员：${doc.mediator ?? ''}`, { align: 'right' });
  pdf.text(doc.committee, { align: 'right' });
  pdf.text(`${day(doc.agreedAt)}${doc.effectiveAt ? `（${day(doc.effectiveAt)} 生效）` : ''}`, {
    align: 'right',
  });
  pdf.end();
  return done;
}
