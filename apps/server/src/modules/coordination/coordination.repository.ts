import type { Queryable } from '../../db/db.ts';

export interface NoticeRow {
  id: string;
  number: string;
  appealId: string;
  level: number;
  reason: string;
  issuedAt: Date;
  reportDueAt: Date;
  issuedByOrgName: string | null;
  summons: { orgId: number; orgName: string; reportedAt: Date | null; escalatedAt: Date | null }[];
}

/** The record units are summoned to: `{ type: 'appeal', id }`, or another module's record. */
export interface NoticeSubject {
  type: string;
  id: string;
}

export function createNoticeRepository(db: Queryable) {
  return {
    /**
     * Gap-free numbering per district and year: the counter row stays locked until the issuing
     * transaction ends, and a rollback takes its number back with it.
     */
    async nextSeq(districtId: number, year: number): Promise<number> {
      const row = await db.one<{ seq: number }>(
        `INSERT INTO notice_counter (district_id, year, last_seq) VALUES ($1, $2, 1)
         ON CONFLICT (district_id, year) DO UPDATE SET last_seq = notice_counter.last_seq + 1
         RETURNING last_seq AS seq`,
        [districtId, year],
      );
      return row!.seq;
    },

    async insert(notice: {
      number: string;
      districtId: number;
      year: number;
      seq: number;
      subject: NoticeSubject;
      level: number;
      reason: string;
      issuedBy: string | null;
      issuedByOrgId: number | null;
      issuedAt: Date;
      reportDueAt: Date;
      summoned: { id: number; path: string }[];
    }): Promise<string> {
      const row = await db.one<{ id: string }>(
        `INSERT INTO coordination_notice (number, district_id, year, seq, appeal_id, level, reason, issued_by,
           issued_by_org_id, issued_at, report_due_at, subject_type, subject_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          notice.number,
          notice.districtId,
          notice.year,
          notice.seq,
          // The foreign key when the subject is an appeal (migration 0016).
          notice.subject.type === 'appeal' ? notice.subject.id : null,
          notice.level,
          notice.reason,
          notice.issuedBy,
          notice.issuedByOrgId,
          notice.issuedAt,
          notice.reportDueAt,
          notice.subject.type,
          notice.subject.id,
        ],
      );
      for (const org of notice.summoned) {
        await db.query('INSERT INTO summons (notice_id, org_id, org_path) VALUES ($1, $2, $3)', [
          row!.id,
          org.id,
          org.path,
        ]);
      }
      return row!.id;
    },

    /** Marks the summons of the reporting unit (and units under it) on this record as answered. */
    async reportIn(
      subject: NoticeSubject,
      scopePath: string,
      userId: string | null,
      now: Date,
    ): Promise<number> {
      const result = await db.query(
        `UPDATE summons s SET reported_at = $3, reported_by = $4
         FROM coordination_notice n
         WHERE n.id = s.notice_id AND n.subject_type = $5 AND n.subject_id = $1 AND starts_with(s.org_path, $2)
           AND s.reported_at IS NULL`,
        [subject.id, scopePath, now, userId, subject.type],
      );
      return result.rowCount;
    },

    /** Summons still unanswered after their notice's deadline, for automatic escalation. */
    unansweredOf: (noticeId: string) =>
      db.many<{ orgId: number }>(
        'SELECT org_id AS "orgId" FROM summons WHERE notice_id = $1 AND reported_at IS NULL AND escalated_at IS NULL',
        [noticeId],
      ),

    markEscalated: (noticeId: string, now: Date) =>
      db.query('UPDATE summons SET escalated_at = $2 WHERE notice_id = $1 AND reported_at IS NULL', [
        noticeId,
        now,
      ]),

    async forSubject(subject: NoticeSubject): Promise<NoticeRow[]> {
      const notices = await db.many<Omit<NoticeRow, 'summons'>>(
        `SELECT n.id, n.number, n.subject_id AS "appealId", n.level, n.reason, n.issued_at AS "issuedAt",
           n.report_due_at AS "reportDueAt", o.name AS "issuedByOrgName"
         FROM coordination_notice n LEFT JOIN org_unit o ON o.id = n.issued_by_org_id
         WHERE n.subject_type = $2 AND n.subject_id = $1 ORDER BY n.issued_at`,
        [subject.id, subject.type],
      );
      const summons = await db.many<{
        noticeId: string;
        orgId: number;
        orgName: string;
        reportedAt: Date | null;
        escalatedAt: Date | null;
      }>(
        `SELECT s.notice_id AS "noticeId", s.org_id AS "orgId", o.name AS "orgName", s.reported_at AS "reportedAt",
           s.escalated_at AS "escalatedAt"
         FROM summons s JOIN org_unit o ON o.id = s.org_id JOIN coordination_notice n ON n.id = s.notice_id
         WHERE n.subject_type = $2 AND n.subject_id = $1 ORDER BY o.code`,
        [subject.id, subject.type],
      );
      return notices.map((notice) => ({
        ...notice,
        summons: summons.filter((s) => s.noticeId === notice.id).map(({ noticeId: _, ...rest }) => rest),
      }));
    },

    /** Open summons of the caller's unit (or units under it): they must report in. */
    /**
     * Summons of the caller's subtree still waiting for a report-in, on any record that whistles:
     * an appeal is named by its tracking code, a dispute case by its case number.
     */
    openSummonsFor: (scopePath: string) =>
      db.many<{
        subjectType: 'appeal' | 'dispute';
        subjectId: string;
        reference: string;
        number: string;
        orgName: string;
        reportDueAt: Date;
      }>(
        `SELECT n.subject_type AS "subjectType", n.subject_id AS "subjectId",
           coalesce(a.tracking_code, d.case_number) AS reference, n.number, o.name AS "orgName",
           n.report_due_at AS "reportDueAt"
         FROM summons s JOIN coordination_notice n ON n.id = s.notice_id
           JOIN org_unit o ON o.id = s.org_id
           LEFT JOIN appeal a ON n.subject_type = 'appeal' AND a.id = n.subject_id
           LEFT JOIN dispute d ON n.subject_type = 'dispute' AND d.id = n.subject_id
         WHERE starts_with(s.org_path, $1) AND s.reported_at IS NULL ORDER BY n.report_due_at LIMIT 100`,
        [scopePath],
      ),

    byId: (id: string) =>
      db.one<{
        id: string;
        number: string;
        districtId: number;
        districtName: string;
        level: number;
        appealId: string;
      }>(
        `SELECT n.id, n.number, n.district_id AS "districtId", d.name AS "districtName", n.level,
           n.appeal_id AS "appealId"
         FROM coordination_notice n JOIN org_unit d ON d.id = n.district_id WHERE n.id = $1`,
        [id],
      ),

    orgsOf: (ids: number[]) =>
      db.many<{ id: number; path: string }>(
        'SELECT id, path FROM org_unit WHERE id = ANY ($1::int[]) ORDER BY id',
        [ids],
      ),

    byNumber: (number: string) =>
      db.one<{ id: string; appealId: string }>(
        'SELECT id, appeal_id AS "appealId" FROM coordination_notice WHERE number = $1',
        [number],
      ),
  };
}
