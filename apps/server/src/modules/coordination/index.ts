/** 吹哨报到: numbered coordination notices, the units they summon, and their report-in. */
export {
  blowWhistle,
  type EscalatedRecord,
  escalateUnanswered,
  issueNotice,
  type NoticeDeps,
  type NoticeRequest,
  noticeNumber,
  REPORT_IN_WORKING_DAYS,
  reportInOverdueJob,
  TOP_ESCALATION_LEVEL,
} from './coordination.notices.ts';
export { renderNotice } from './coordination.print.ts';
export { createNoticeRepository, type NoticeRow, type NoticeSubject } from './coordination.repository.ts';
