import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ demo: false });
});
afterAll(() => h?.close());

async function appendSome(stream: string, count: number) {
  for (let i = 0; i < count; i++) {
    await h.services.db.transaction((tx) =>
      h.services.journal.append(tx, {
        stream,
        action: 'test.step',
        subjectType: 'test',
        subjectId: stream,
        data: { i, note: `第${i}步` },
      }),
    );
  }
}

describe('the journal', () => {
  test('entries chain per stream and verify as ok', async () => {
    await appendSome('appeal:a', 5);
    await appendSome('appeal:b', 3);
    const report = await h.services.journal.verify(h.services.db);
    expect(report).toEqual({ status: 'ok', entries: 8, streams: 2 });
  });

  test('concurrent appends to one stream get consecutive numbers and still verify', async () => {
    await Promise.all(Array.from({ length: 10 }, () => appendSome('appeal:c', 2)));
    const entries = await h.services.journal.list(h.services.db, { stream: 'appeal:c', limit: 100 });
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await h.services.journal.verify(h.services.db)).status).toBe('ok');
  });

  test('an entry that rolls back with its transaction leaves no gap', async () => {
    await expect(
      h.services.db.transaction(async (tx) => {
        await h.services.journal.append(tx, { stream: 'appeal:a', action: 'test.never' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await h.services.journal.verify(h.services.db)).status).toBe('ok');
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE on the journal', async () => {
    await expect(h.services.db.query("UPDATE journal SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(h.services.db.query('DELETE FROM journal')).rejects.toThrow(/append-only/);
    await expect(h.services.db.query('TRUNCATE journal')).rejects.toThrow(/append-only/);
    expect((await h.services.journal.verify(h.services.db)).status).toBe('ok');
  });

  test('a row tampered with behind the triggers’ back is found by verify, with the first broken entry', async () => {
    const target = (await h.services.journal.list(h.services.db, { stream: 'appeal:b', limit: 10 })).find(
      (e) => e.seq === 2,
    )!;
    // A database superuser could do this; the hash chain is what catches it.
    await h.services.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE journal DISABLE TRIGGER journal_no_update');
      await tx.query(`UPDATE journal SET data = '{"i": 1, "note": "改过了"}' WHERE id = $1`, [target.id]);
      await tx.query('ALTER TABLE journal ENABLE TRIGGER journal_no_update');
    });
    const report = await h.services.journal.verify(h.services.db);
    expect(report.status).toBe('broken');
    if (report.status !== 'broken') return;
    expect(report.firstBroken).toMatchObject({ id: target.id, stream: 'appeal:b', seq: 2 });
    expect(report.firstBroken.reason).toMatch(/hash/);
  });

  test('the auditor sees the same verdict over HTTP', async () => {
    await h.services.db.query(
      "INSERT INTO org_unit (code, name, level) VALUES ('440311000000', '光明区', 'district')",
    );
    const org = await h.services.orgs.directory().findByCode('440311000000');
    const { systemActor } = await import('../src/platform/auth/actor.ts');
    await h.services.users.create(systemActor(['security_admin']), {
      username: 'auditor',
      displayName: '审计员',
      orgId: org!.id,
      roles: ['auditor'],
      password: 'Audit-Passw0rd!',
      mustChangePassword: false,
    });
    const token = await h.login('auditor', 'Audit-Passw0rd!');
    const response = await h.app.inject({ url: '/api/v1/audit/verify', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'broken', firstBroken: { stream: 'appeal:b', seq: 2 } });
  });
});
