import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { createNoticeRepository, issueNotice } from '../src/modules/coordination/index.ts';
import { createHarness } from './support/harness.ts';

// 吹哨报到 on any workflow record (issue #18 item 5): a notice summons units to a record of any
// module, numbered in the same district series as the appeals' notices, with its own report-in
// timer kind for the module that owns the record.

const h = await createHarness();
afterAll(() => h.close());
const { db } = h.services;

async function orgByLevel(level: string) {
  const org = await db.one<{ id: number; name: string; path: string }>(
    'SELECT id, name, path FROM org_unit WHERE level = $1 ORDER BY id LIMIT 1',
    [level],
  );
  if (!org) throw new Error(`no ${level} in the demo district`);
  return org;
}

describe('a notice for a record that is not an appeal', () => {
  test('is numbered, summons, is answered by report-in and times out under its own job kind', async () => {
    const district = await orgByLevel('district');
    const department = await orgByLevel('department');
    const subject = { type: 'dispute', id: randomUUID() };
    const now = h.clock.now();
    const issued = await db.transaction((tx) =>
      issueNotice(h.services, tx, {
        subject,
        district,
        level: 1,
        reason: '欠薪纠纷：召集人社局与用人单位',
        issuedBy: null,
        issuedByOrgId: district.id,
        now,
        summoned: [{ id: department.id, path: department.path }],
      }),
    );
    expect(issued.number).toMatch(/^光明-协调-\d{4}-\d{6}$/);
    expect(issued.reportDueAt.getTime()).toBeGreaterThan(now.getTime());

    const notices = createNoticeRepository(db);
    const [notice] = await notices.forSubject(subject);
    expect(notice).toMatchObject({ id: issued.noticeId, number: issued.number, level: 1 });
    expect(notice!.summons).toEqual([expect.objectContaining({ orgId: department.id, reportedAt: null })]);
    // Not an appeal's notice: no appeal sees it.
    expect(await notices.forSubject({ type: 'appeal', id: subject.id })).toEqual([]);

    const job = await db.one<{ kind: string; payload: Record<string, unknown> }>(
      `SELECT kind, payload FROM job WHERE payload->>'noticeId' = $1`,
      [issued.noticeId],
    );
    expect(job).toEqual({
      kind: 'notice.dispute_report_in_overdue',
      payload: {
        noticeId: issued.noticeId,
        subjectType: 'dispute',
        subjectId: subject.id,
        disputeId: subject.id,
      },
    });

    expect(await notices.reportIn(subject, department.path, null, now)).toBe(1);
    expect(await notices.reportIn(subject, department.path, null, now)).toBe(0);
  });

  test('the table refuses a notice that names an appeal it is not about', async () => {
    const district = await orgByLevel('district');
    await expect(
      db.query(
        `INSERT INTO coordination_notice (number, district_id, year, seq, appeal_id, level, reason, issued_at,
           report_due_at, subject_type, subject_id)
         VALUES ('x-1', $1, 2026, 999999, NULL, 1, 'x', now(), now(), 'appeal', $2)`,
        [district.id, randomUUID()],
      ),
    ).rejects.toThrow(/coordination_notice_appeal_subject/);
  });
});
