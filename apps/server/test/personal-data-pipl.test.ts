import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { bearer } from './support/harness.ts';
import { createStore, jsonOutput, runCli, type Store } from './support/processes.ts';

/**
 * PIPL towards residents: a copy of what is held about a person, given by the security admin for a
 * stated reason and journaled; and erasure of contacts once appeals have been finished for longer
 * than the retention period — while the appeal itself and its journal stay, and still verify.
 */
let w: AppealWorld;
const PHONE = '13855556666';
const NAME = '周晓梅';
const UA = 'personal-data-test';
const DAY = 86_400_000;

const get = (user: string, url: string) =>
  w.h.app.inject({ url, headers: { ...w.as(user), 'user-agent': UA } });
/** A POST: the number and the reason travel in the body, never in a URL that access logs keep. */
const exportRequest = (phone: string, reason: string | null = '本人依法申请查阅') => ({
  method: 'POST' as const,
  url: '/api/v1/people/export',
  payload: reason === null ? { phone } : { phone, reason },
});
const exportAs = (user: string, phone: string) =>
  w.h.app.inject({ ...exportRequest(phone), headers: { ...w.as(user), 'user-agent': UA } });

async function closedAppeal(contact: { name: string; phone: string }) {
  const appeal = await w.newAppeal({ contact });
  for (const [user, action, body] of [
    ['district-dispatcher', 'accept', {}],
    ['district-dispatcher', 'dispatch', { orgId: w.dept.urban }],
    ['dept-handler', 'claim', {}],
    ['dept-handler', 'start', {}],
    ['dept-handler', 'resolve', { summary: '已更换井盖' }],
    ['grid-worker', 'verify', { passed: true, note: '现场已复核' }],
    ['district-dispatcher', 'close', {}],
  ] as const) {
    await w.must(user, appeal.id, action, body);
  }
  return appeal;
}

let old: { id: string };
let recent: { id: string };
let open: { id: string };
let other: { id: string };

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker', 'security', 'auditor']);
  old = await closedAppeal({ name: NAME, phone: PHONE });
  open = await w.newAppeal({ contact: { name: NAME, phone: '138 5555-6666' } });
  other = await w.newAppeal({ contact: { name: '别人', phone: '13900009999' } });
  // Sessions idle out over the jump: setClock logs every desk in again.
  await w.setClock(new Date(w.h.clock.now().getTime() + 40 * DAY).toISOString());
  recent = await closedAppeal({ name: NAME, phone: PHONE });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('a person’s data export', () => {
  test('the security admin gets every appeal filed with the number, contact in full, whatever its formatting', async () => {
    const token = await w.h.login('security');
    const response = await w.h.app.inject({
      ...exportRequest('138-5555-6666'),
      headers: { ...bearer(token), 'user-agent': UA },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body.subject).toEqual({ phone: PHONE });
    expect(body.appeals.map((a: { id: string }) => a.id).sort()).toEqual([old.id, open.id, recent.id].sort());
    expect(body.appeals[0].contact).toEqual({ name: NAME, phone: PHONE });
    expect(response.body).not.toContain(other.id);
  });

  test('it is journaled with the reason, address and user agent, but never the number', async () => {
    const entries = await w.h.services.journal.list(w.h.services.db, { action: 'people.exported', limit: 5 });
    expect(entries[0]?.data).toMatchObject({
      reason: '本人依法申请查阅',
      appeals: 3,
      ip: '127.0.0.1',
      userAgent: UA,
    });
    expect(JSON.stringify(entries)).not.toContain(PHONE);
    // The report's window ends before the present moment (exclusive), so step past it.
    w.h.clock.advance(1000);
    const report = await get('auditor', '/api/v1/audit/report');
    expect(report.json().sections.exports.items.map((i: { action: string }) => i.action)).toContain(
      'people.exported',
    );
  });

  test('a link cannot export anyone: there is no GET, and nothing is journaled', async () => {
    const security = await w.h.login('security');
    const viaLink = await w.h.app.inject({
      url: `/api/v1/people/export?phone=${PHONE}&reason=${encodeURIComponent('图片里的链接')}`,
      headers: bearer(security),
    });
    expect(viaLink.statusCode).toBe(404);
    expect(viaLink.body).not.toContain(PHONE);
    const exported = await w.h.app.inject({
      url: '/api/v1/audit/entries?action=people.exported',
      headers: bearer(await w.h.login('auditor')),
    });
    expect(exported.body).not.toContain('图片里的链接');
  });

  test('without a reason 400; case desks and the auditor 403; anonymous 401', async () => {
    const security = await w.h.login('security');
    const noReason = await w.h.app.inject({
      ...exportRequest(PHONE, null),
      headers: bearer(security),
    });
    expect(noReason.statusCode).toBe(400);
    const blank = await w.h.app.inject({ ...exportRequest(PHONE, '   '), headers: bearer(security) });
    expect(blank.statusCode).toBe(400);
    expect((await exportAs('district-dispatcher', PHONE)).statusCode).toBe(403);
    expect((await exportAs('auditor', PHONE)).statusCode).toBe(403);
    expect((await w.h.app.inject(exportRequest(PHONE))).statusCode).toBe(401);
  });
});

describe('anonymising finished appeals past the retention period', () => {
  let result: { anonymised: number };

  beforeAll(async () => {
    result = await w.h.services.privacy.anonymiseClosed({ retentionDays: 30 });
  });

  test('only the appeal closed more than 30 days ago loses its contact; the recent and the open keep theirs', async () => {
    expect(result.anonymised).toBe(1);
    const rows = await w.h.services.db.many<{
      id: string;
      name: string | null;
      phone: string | null;
      hmac: string | null;
    }>(
      `SELECT id, contact_name_enc AS name, contact_phone_enc AS phone, phone_hmac AS hmac FROM appeal
       WHERE id = ANY ($1::uuid[])`,
      [[old.id, recent.id, open.id]],
    );
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
    expect(byId[old.id]).toMatchObject({ name: null, phone: null, hmac: null });
    for (const kept of [recent.id, open.id]) {
      expect(byId[kept]!.name).not.toBeNull();
      expect(byId[kept]!.hmac).not.toBeNull();
    }
  });

  test('the appeal itself stays readable, with no contact; its messages no longer say to whom', async () => {
    const detail = await get('district-dispatcher', `/api/v1/appeals/${old.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().contact).toBeNull();
    expect(detail.json().content).toContain('井盖');
    expect(detail.json().timeline.map((e: { action: string }) => e.action)).toContain('appeal.anonymised');
    const messages = await w.h.services.db.many<{ enc: string | null; masked: string }>(
      "SELECT recipient_enc AS enc, recipient_masked AS masked FROM outbox WHERE appeal_id = $1 AND status <> 'pending'",
      [old.id],
    );
    for (const message of messages) expect(message).toEqual({ enc: null, masked: '（已匿名化）' });
  });

  test('the export no longer finds it, and every journal chain still verifies', async () => {
    const ids = (await exportAs('security', PHONE)).json().appeals.map((a: { id: string }) => a.id);
    expect(ids.sort()).toEqual([open.id, recent.id].sort());
    expect((await get('auditor', '/api/v1/audit/verify')).json().status).toBe('ok');
  });

  test('running again changes nothing; later, the recent one goes too', async () => {
    expect((await w.h.services.privacy.anonymiseClosed({ retentionDays: 30 })).anonymised).toBe(0);
    await w.setClock(new Date(w.h.clock.now().getTime() + 31 * DAY).toISOString());
    expect((await w.h.services.privacy.anonymiseClosed({ retentionDays: 30 })).anonymised).toBe(1);
    expect((await w.h.services.journal.verify(w.h.services.db)).status).toBe('ok');
  });
});

describe('`doorstep privacy anonymise`', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createStore();
  });
  afterAll(() => store?.close());

  test('refuses to run without a retention period, and runs with DOORSTEP_RETENTION_DAYS or --days', async () => {
    const env = { ...store.env, DOORSTEP_SEED: 'none' };
    const refused = await runCli(['privacy', 'anonymise'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/DOORSTEP_RETENTION_DAYS/);
    const configured = await runCli(['privacy', 'anonymise'], { ...env, DOORSTEP_RETENTION_DAYS: '180' });
    expect(configured.code, configured.stderr).toBe(0);
    expect(jsonOutput(configured)).toMatchObject({ retentionDays: 180, anonymised: 0 });
    const overridden = await runCli(['privacy', 'anonymise', '--days', '365'], env);
    expect(jsonOutput(overridden)).toMatchObject({ retentionDays: 365, anonymised: 0 });
  }, 120_000);
});

describe('consent to the personal-information notice (art. 14)', () => {
  test('is kept with the time it was given; a channel that did not ask keeps none', async () => {
    const asked = await w.newAppeal({ privacyConsent: true });
    const notAsked = await w.newAppeal({});
    const consentOf = async (id: string) =>
      (
        await w.h.testDb.db.one<{ at: Date | null }>(
          'SELECT privacy_consent_at AS at FROM appeal WHERE id = $1',
          [id],
        )
      )?.at ?? null;
    expect(new Date((await consentOf(asked.id))!).getTime()).toBe(w.h.clock.now().getTime());
    expect(await consentOf(notAsked.id)).toBeNull();
  });
});
