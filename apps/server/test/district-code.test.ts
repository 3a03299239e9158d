import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../src/db/migrate.ts';
import { newTrackingCode } from '../src/modules/appeals/index.ts';
import { type AppealWorld, createAppealWorld } from './support/appeals.ts';
import { createTestDb } from './support/test-db.ts';

/*
 * district_code, the distribution column of a province's Citus cluster (docs/scaling.md): filled
 * on every row that grows with the appeals, for new rows by the triggers of migration 0022 and for
 * rows that existed before it by the migration itself.
 */

const GUANGMING = '440311';

async function codesOf(w: AppealWorld, id: string) {
  const db = w.h.services.db;
  return {
    appeal: (await db.one<{ c: string | null }>('SELECT district_code AS c FROM appeal WHERE id = $1', [id]))
      ?.c,
    journal: (
      await db.many<{ c: string | null }>('SELECT district_code AS c FROM journal WHERE stream = $1', [
        `appeal:${id}`,
      ])
    ).map((r) => r.c),
    outbox: (
      await db.many<{ c: string | null }>('SELECT district_code AS c FROM outbox WHERE appeal_id = $1', [id])
    ).map((r) => r.c),
  };
}

describe('new rows', () => {
  let w: AppealWorld;
  beforeAll(async () => {
    w = await createAppealWorld(['district-dispatcher']);
  });
  afterAll(() => w?.h.close());

  test('an appeal, its journal, its SMS and its coordination notice carry the district’s code', async () => {
    const appeal = await w.newAppeal({ location: w.pin, contact: { name: '李四', phone: '13812345678' } });
    await w.must('district-dispatcher', appeal.id, 'accept');
    const codes = await codesOf(w, appeal.id);
    expect(codes.appeal).toBe(GUANGMING);
    expect(codes.journal.length).toBeGreaterThanOrEqual(2);
    expect(new Set(codes.journal)).toEqual(new Set([GUANGMING]));
    expect(codes.outbox.length).toBeGreaterThan(0);
    expect(new Set(codes.outbox)).toEqual(new Set([GUANGMING]));
  });

  test('entries of the security stream belong to no district', async () => {
    const rows = await w.h.services.db.many<{ c: string | null }>(
      "SELECT district_code AS c FROM journal WHERE stream = 'security'",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.c === null)).toBe(true);
  });
});

describe('rows from before the migration', () => {
  test('are filled by it without touching the hashed journal content', async () => {
    // The schema as it was before 0022, filled with a district's appeals, then migrated forward.
    const before = mkdtempSync(path.join(tmpdir(), 'doorstep-migrations-'));
    const testDb = await createTestDb({ migrated: false });
    let w: AppealWorld | undefined;
    try {
      for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0022')) {
        cpSync(path.join(MIGRATIONS_DIR, file), path.join(before, file));
      }
      await migrate(testDb.db, before);
      w = await createAppealWorld([], { testDb, demoMediation: false });
      const ids: string[] = [];
      // The rows of those days, written with the columns the tables had then: today's intake
      // writes columns added since (district_code, dispute_id, triage) and cannot run on this schema.
      const area = (await testDb.db.one<{ id: number; path: string }>(
        "SELECT id, path FROM org_unit WHERE level = 'grid' ORDER BY id LIMIT 1",
      ))!;
      for (let i = 0; i < 3; i++) {
        const id = randomUUID();
        ids.push(id);
        await testDb.db.query(
          `INSERT INTO appeal (id, tracking_code, channel, title, content, status, org_id, org_path, submitted_at, updated_at)
           VALUES ($1, $2, 'h5', '迁移前的诉求', '光明大道旁人行道上的井盖不见了', 'submitted', $3, $4, now(), now())`,
          [id, newTrackingCode(), area.id, area.path],
        );
        await testDb.db.transaction((tx) =>
          w!.h.services.journal.append(tx, {
            stream: `appeal:${id}`,
            action: 'appeal.submitted',
            subjectType: 'appeal',
            subjectId: id,
            data: { channel: 'h5' },
          }),
        );
        await testDb.db.query(
          `INSERT INTO outbox (appeal_id, channel, recipient_enc, recipient_masked, template, body, created_at)
           VALUES ($1, 'sms', $2, '138****5678', 'appeal.received', '【家门口】您反映的问题已受理。', now())`,
          [id, w.h.services.cipher.encrypt('13812345678')],
        );
      }
      const report = await migrate(testDb.db);
      expect(report.applied).toContain('0022_district_code');
      for (const id of ids) {
        const codes = await codesOf(w, id);
        expect(codes.appeal).toBe(GUANGMING);
        expect(new Set(codes.journal)).toEqual(new Set([GUANGMING]));
        expect(new Set(codes.outbox)).toEqual(new Set([GUANGMING]));
      }
      const security = await testDb.db.many<{ c: string | null }>(
        "SELECT district_code AS c FROM journal WHERE stream = 'security'",
      );
      expect(security.every((r) => r.c === null)).toBe(true);
      // The chains still verify: the column is outside what each entry's hash covers.
      expect(await w.h.services.journal.verify(testDb.db)).toMatchObject({ status: 'ok' });
    } finally {
      rmSync(before, { recursive: true, force: true });
      // The harness closes the database it was given.
      await (w ? w.h.close() : testDb.close());
    }
  });
});
