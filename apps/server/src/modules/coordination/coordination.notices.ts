import type { Queryable } from '../../db/db.ts';
import { chinaYearOf } from '../../platform/calendar/index.ts';
import { errors } from '../../platform/errors.ts';
import { createNoticeRepository, type NoticeSubject } from './coordination.repository.ts';

/** Levels of a whistle: 0 the grid … 4 the district's leaders, above whom nobody is summoned. */
export const TOP_ESCALATION_LEVEL = 4;

/** Working days a summoned unit has to report in (报到) before the whistle goes one level up. */
export const REPORT_IN_WORKING_DAYS = 1;

export interface NoticeDeps {
  calendar: { addWorkingDays(from: Date, days: number): Date };
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; runAt: Date; dedupeKey: string },
    ): Promise<unknown>;
  };
}

export interface NoticeRequest {
  /** The record the units are summoned to. */
  subject: NoticeSubject;
  district: { id: number; name: string };
  level: number;
  reason: string;
  /** Null when the system escalates by itself. */
  issuedBy: string | null;
  issuedByOrgId: number | null;
  now: Date;
  summoned: { id: number; path: string }[];
}

/**
 * The job that escalates a notice nobody answered, per kind of record: the module that owns the
 * record registers it (appeals: `notice.report_in_overdue`, the first and so the unqualified name).
 */
export function reportInOverdueJob(subjectType: string): string {
  return subjectType === 'appeal' ? 'notice.report_in_overdue' : `notice.${subjectType}_report_in_overdue`;
}

/**
 * 光明-协调-2026-000001: the district's short name (光明区 → 光明, 前海新区 → 前海), the China year
 * of issue and a gap-free sequence per district and year.
 */
export function noticeNumber(districtName: string, year: number, seq: number): string {
  return `${districtName.replace(/(新区|区)$/, '')}-协调-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * Issues a numbered coordination notice (协调处理通知) summoning units, and sets the report-in
 * timer (job `notice.report_in_overdue`). The one way a notice comes to exist: a person's whistle
 * and the automatic escalation of an unanswered one both come here, in the caller's transaction.
 */
export async function issueNotice(deps: NoticeDeps, tx: Queryable, request: NoticeRequest) {
  const notices = createNoticeRepository(tx);
  const year = chinaYearOf(request.now);
  const seq = await notices.nextSeq(request.district.id, year);
  const number = noticeNumber(request.district.name, year, seq);
  const reportDueAt = deps.calendar.addWorkingDays(request.now, REPORT_IN_WORKING_DAYS);
  const noticeId = await notices.insert({
    number,
    districtId: request.district.id,
    year,
    seq,
    subject: request.subject,
    level: request.level,
    reason: request.reason,
    issuedBy: request.issuedBy,
    issuedByOrgId: request.issuedByOrgId,
    issuedAt: request.now,
    reportDueAt,
    summoned: request.summoned,
  });
  const { subject } = request;
  await deps.jobs.enqueue(tx, {
    kind: reportInOverdueJob(subject.type),
    payload: {
      noticeId,
      subjectType: subject.type,
      subjectId: subject.id,
      [`${subject.type}Id`]: subject.id,
    },
    runAt: reportDueAt,
    dedupeKey: `notice:${noticeId}:report_in_overdue`,
  });
  return { noticeId, number, reportDueAt };
}

/** What the automatic escalation needs of the summoned record; the owning module supplies it. */
export interface EscalatedRecord<R extends { id: string; escalationLevel: number }> {
  subject: NoticeSubject;
  /** The record, locked, if it is still being worked on; undefined ends the escalation quietly. */
  load(): Promise<R | undefined>;
  /** Saves the record's new escalation level. */
  setLevel(record: R, level: number): Promise<void>;
  /**
   * Journals `<subject type>.<step>` on the record: `summons_unanswered` at the top level (district
   * leaders, nobody above: the silence is recorded, nothing issued), else the automatic `whistle`.
   */
  record(record: R, action: string, data: Record<string, unknown>): Promise<void>;
}

/**
 * The job of a notice whose report-in deadline passed (吹哨升级): when some summoned unit is still
 * silent, the whistle goes one level up with a new numbered notice to the same units. Shared by
 * every record that whistles (the appeal's and the dispute's jobs call it).
 */
export async function escalateUnanswered<R extends { id: string; escalationLevel: number }>(
  deps: NoticeDeps,
  tx: Queryable,
  noticeId: string,
  now: Date,
  target: EscalatedRecord<R>,
): Promise<void> {
  const notices = createNoticeRepository(tx);
  const silent = await notices.unansweredOf(noticeId);
  if (silent.length === 0) return;
  const notice = await notices.byId(noticeId);
  const record = await target.load();
  if (!notice || !record) return;
  await notices.markEscalated(noticeId, now);
  const type = target.subject.type;
  if (record.escalationLevel >= TOP_ESCALATION_LEVEL) {
    await target.record(record, `${type}.summons_unanswered`, {
      noticeId: notice.id,
      number: notice.number,
      atTop: true,
    });
    return;
  }
  const level = record.escalationLevel + 1;
  const issued = await issueNotice(deps, tx, {
    subject: target.subject,
    district: { id: notice.districtId, name: notice.districtName },
    level,
    reason: `报到超时自动升级（原通知 ${notice.number}）`,
    issuedBy: null,
    issuedByOrgId: null,
    now,
    summoned: await notices.orgsOf(silent.map((s) => s.orgId)),
  });
  await target.setLevel(record, level);
  await target.record(record, `${type}.whistle`, {
    automatic: true,
    noticeId: issued.noticeId,
    number: issued.number,
    level,
    previous: notice.number,
    summoned: silent.map((s) => s.orgId),
  });
}

/**
 * A person's whistle (吹哨) on a record at `level`: one level up, a numbered notice summoning the
 * units, and what the record's journal entry says. The units are the caller's to check (who may
 * summon whom is the record's rule); the level and the district are checked here.
 */
export async function blowWhistle(
  deps: NoticeDeps,
  tx: Queryable,
  whistle: {
    subject: NoticeSubject;
    district: { id: number; name: string } | undefined;
    level: number;
    reason: string;
    actor: { userId: string | null; orgId: number };
    now: Date;
    summoned: { id: number; path: string; name: string }[];
  },
) {
  const what = whistle.subject.type === 'appeal' ? 'the appeal' : `the ${whistle.subject.type} case`;
  if (whistle.level >= TOP_ESCALATION_LEVEL) {
    throw errors.unprocessable('already_at_top', `${what} is already escalated to the district leaders`);
  }
  if (!whistle.district) throw errors.unprocessable('no_district', `${what}’s area belongs to no district`);
  const level = whistle.level + 1;
  const { noticeId, number } = await issueNotice(deps, tx, {
    subject: whistle.subject,
    district: whistle.district,
    level,
    reason: whistle.reason,
    issuedBy: whistle.actor.userId,
    issuedByOrgId: whistle.actor.orgId || null,
    now: whistle.now,
    summoned: whistle.summoned.map((org) => ({ id: org.id, path: org.path })),
  });
  return {
    level,
    data: {
      noticeId,
      number,
      level,
      reason: whistle.reason,
      summoned: whistle.summoned.map((o) => ({ id: o.id, name: o.name })),
    },
  };
}
