import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createFieldCipher, hmacHex } from '../src/platform/crypto.ts';
import { encryptedColumns, type RotationReport, rotateDataKey } from '../src/platform/key-rotation.ts';
import { createServices } from '../src/services.ts';
import {
  bearer,
  createHarness,
  DEFAULT_SETTINGS,
  DEMO_PASSWORD,
  demoLoginBody,
  type Harness,
} from './support/harness.ts';
import { createStore, jsonOutput, runCli, type Store } from './support/processes.ts';

/*
 * The data key is replaced (it leaked, or policy says yearly): `doorstep keys rotate` re-encrypts
 * every encrypted column from the old key to the new one. Afterwards a server holding only the new
 * key reads every resident's and every account's data; running it twice changes nothing more.
 */

const OLD = randomBytes(32);
const NEW = randomBytes(32);
const SESSION = randomBytes(32).toString('hex');
const PHONE = '13812345678';

let h: Harness;
let appealId: string;
let phoneUserId: string;
let totpSecret: string;
let first: RotationReport;

async function allEncrypted() {
  const values: { table: string; column: string; value: string }[] = [];
  for (const { table, columns } of await encryptedColumns(h.services.db)) {
    for (const column of columns) {
      const rows = await h.services.db.many<{ v: string }>(
        `SELECT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL`,
      );
      values.push(...rows.map((row) => ({ table, column, value: row.v })));
    }
  }
  return values;
}

function opens(key: Buffer, value: string) {
  try {
    createFieldCipher(key).decrypt(value);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  h = await createHarness({ secrets: { sessionSecret: SESSION, dataKey: OLD } });
  const security = await h.login('security');
  const dispatcher = await h.login('district-dispatcher');
  // An account with a phone number, and the leader with a confirmed one-time-code authenticator.
  const district = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(dispatcher) })).json().user
    .orgId;
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(security),
    payload: {
      username: 'with-phone',
      displayName: '有电话',
      orgId: district,
      roles: ['leader'],
      phone: '13900002222',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  phoneUserId = created.json().user.id;
  const leader = await h.login('leader');
  totpSecret = (
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/otp', headers: bearer(leader) })
  ).json().secret;
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret) }).generate({
    timestamp: h.clock.now().getTime(),
  });
  const confirmed = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp/confirm',
    headers: bearer(leader),
    payload: { otp: code },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(204);
  // A resident's appeal (name and phone), accepted: the resident is sent a message (outbox).
  const [category, station] = await Promise.all([
    h.app.inject({ url: '/api/v1/categories?leaf=true&active=true', headers: bearer(dispatcher) }),
    h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(dispatcher) }),
  ]);
  const submitted = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: {
      channel: 'h5',
      categoryCode: category.json().items[0].code,
      content: '小区垃圾三天没人清运',
      stationCode: station.json().items[0].code,
      contact: { name: '孙八', phone: PHONE },
    },
  });
  appealId = submitted.json().id;
  await h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${appealId}/actions/accept`,
    headers: bearer(dispatcher),
  });
});
afterAll(() => h?.close());

describe('doorstep keys rotate', () => {
  test('before: the personal data is under the old key', async () => {
    const values = await allEncrypted();
    const columns = new Set(values.map((v) => `${v.table}.${v.column}`));
    for (const column of [
      'app_user.phone_enc',
      'app_user.totp_secret_enc',
      'appeal.contact_name_enc',
      'appeal.contact_phone_enc',
    ]) {
      expect(columns).toContain(column);
    }
    expect(values.every((v) => opens(OLD, v.value))).toBe(true);
  });

  test('re-encrypts every value of every *_enc column, and the repeat-caller HMAC with it', async () => {
    first = await rotateDataKey(
      h.services.db,
      { current: NEW, previous: OLD },
      { batchSize: 7, journal: h.services.journal },
    );
    expect(first.unreadable).toEqual([]);
    const values = await allEncrypted();
    expect(first.columns.reduce((sum, c) => sum + c.rotated, 0)).toBe(values.length);
    expect(values.filter((v) => !opens(NEW, v.value) || opens(OLD, v.value))).toEqual([]);
    const appeal = await h.services.db.one<{ phone_hmac: string }>(
      'SELECT phone_hmac FROM appeal WHERE id = $1',
      [appealId],
    );
    expect(appeal!.phone_hmac).toBe(hmacHex(NEW.toString('hex'), PHONE));
    expect(first.lookupsRecomputed).toBeGreaterThanOrEqual(1);
  });

  test('run again, it finds everything current and changes nothing', async () => {
    const before = await allEncrypted();
    const again = await rotateDataKey(
      h.services.db,
      { current: NEW, previous: OLD },
      { journal: h.services.journal },
    );
    expect(again.columns.map((c) => c.rotated)).toEqual(again.columns.map(() => 0));
    expect(again.columns.map((c) => c.alreadyCurrent)).toEqual(first.columns.map((c) => c.rotated));
    expect(await allEncrypted()).toEqual(before);
  });

  test('a server holding only the new key reads the resident, the accounts and the authenticator', async () => {
    const services = createServices({
      db: h.services.db,
      clock: h.clock,
      secrets: { sessionSecret: SESSION, dataKey: NEW },
      settings: { ...DEFAULT_SETTINGS, dataDir: '/nonexistent' },
    });
    const app = await buildApp({ services });
    try {
      const login = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      const dispatcher = (await login({ username: 'district-dispatcher', password: DEMO_PASSWORD })).json()
        .token;
      const revealed = await app.inject({
        method: 'POST',
        url: `/api/v1/appeals/${appealId}/contact`,
        headers: bearer(dispatcher),
        payload: { reason: '回访核实' },
      });
      expect(revealed.statusCode, revealed.body).toBe(200);
      expect(JSON.stringify(revealed.json())).toContain(PHONE);
      const otp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret) }).generate({
        timestamp: h.clock.now().getTime(),
      });
      expect((await login({ username: 'leader', password: DEMO_PASSWORD, otp })).statusCode).toBe(200);
      // security logged in earlier at this same (frozen) time: a code is good once, so the next step's.
      const nextStep = new Date(h.clock.now().getTime() + 30_000);
      const security = (await login(demoLoginBody('security', DEMO_PASSWORD, nextStep))).json().token;
      const users = await app.inject({ url: `/api/v1/users/${phoneUserId}`, headers: bearer(security) });
      expect(users.body).toContain('139****2222');
    } finally {
      await app.close();
    }
  });

  test('a value neither key opens is named and left alone; the rotation is journaled', async () => {
    const stranger = createFieldCipher(randomBytes(32)).encrypt('13700000000');
    await h.services.db.query('UPDATE app_user SET phone_enc = $1 WHERE username = $2', [
      stranger,
      'with-phone',
    ]);
    const report = await rotateDataKey(
      h.services.db,
      { current: NEW, previous: OLD },
      { journal: h.services.journal },
    );
    expect(report.unreadable).toEqual([{ table: 'app_user', column: 'phone_enc', id: expect.any(String) }]);
    const row = await h.services.db.one<{ phone_enc: string }>(
      'SELECT phone_enc FROM app_user WHERE username = $1',
      ['with-phone'],
    );
    expect(row!.phone_enc).toBe(stranger);
    const entries = await h.services.journal.list(h.services.db, {
      stream: 'security',
      action: 'data_key.rotated',
      limit: 10,
    });
    expect(entries.length).toBe(3);
    expect((await h.services.journal.verify(h.services.db)).status).toBe('ok');
  });

  test('while it runs, a server given both keys reads old and new values alike', () => {
    const oldValue = createFieldCipher(OLD).encrypt('张三');
    const newValue = createFieldCipher(NEW).encrypt('李四');
    const both = createFieldCipher(NEW, [OLD]);
    expect([both.decrypt(oldValue), both.decrypt(newValue)]).toEqual(['张三', '李四']);
    expect(opens(NEW, both.encrypt('王五'))).toBe(true);
  });
});

describe('the command', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createStore();
  });
  afterAll(() => store?.close());

  test('needs both keys, then reports every encrypted column', async () => {
    const env = { ...store.env, DOORSTEP_SEED: 'none', DOORSTEP_DATA_KEY: NEW.toString('base64') };
    // Each command is a process of its own on a fresh data folder (tsx, PGlite, migrations): slow.
    const refused = await runCli(['keys', 'rotate'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('DOORSTEP_DATA_KEY_PREVIOUS');
    const ran = await runCli(['keys', 'rotate', '--batch-size', '100'], {
      ...env,
      DOORSTEP_DATA_KEY_PREVIOUS: OLD.toString('hex'),
    });
    expect(ran.code, ran.stderr).toBe(0);
    const report = jsonOutput(ran) as unknown as RotationReport;
    expect(report.columns.map((c) => `${c.table}.${c.column}`)).toContain('appeal.contact_phone_enc');
    expect(report.unreadable).toEqual([]);
  }, 120_000);
});
