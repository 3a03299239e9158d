import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import {
  createKey,
  FORM,
  form,
  MANHOLE,
  parseXml,
  pointInGrid,
  STREET_LIGHT,
  V2,
} from './support/open311.ts';

// Open311 GETs are public: whatever a reporter tells us about themselves stays inside the
// platform. And a public endpoint meets hostile clients: every bad input is a 4xx in the spec's
// format, never a 5xx, and the server keeps answering.

let h: Harness;
let key: string;
let pin: { lat: number; long: number };

beforeAll(async () => {
  h = await createHarness();
  key = await createKey(h, 'privacy test');
  pin = await pointInGrid(h);
});
afterAll(() => h?.close());

const post = (payload: string | Buffer, headers: Record<string, string> = FORM, format = 'json') =>
  h.app.inject({ method: 'POST', url: `${V2}/requests.${format}`, headers, payload });

const base = () => ({
  api_key: key,
  service_code: STREET_LIGHT,
  lat: String(pin.lat),
  long: String(pin.long),
  description: '小区门口路灯不亮',
  public_consent: 'true',
});

describe('personal data never appears in a GET', () => {
  const person = {
    email: 'zhang.san@example.cn',
    phone: '13812341234',
    first_name: '三',
    last_name: '张',
    device_id: 'device-8c1f2a77e0',
    account_id: 'account-445566',
  };
  let id: string;

  beforeAll(async () => {
    const reply = await post(
      form({ ...base(), ...person, description: '路灯不亮，有事打我电话 139 8765 4321 或 li@example.cn' }),
    );
    expect(reply.statusCode).toBe(200);
    id = reply.json()[0].service_request_id;
  });

  test('not in the list, the single request or the extended timeline, JSON or XML', async () => {
    const urls = [
      `${V2}/requests.json`,
      `${V2}/requests.xml`,
      `${V2}/requests/${id}.json?extensions=true`,
      `${V2}/requests/${id}.xml?extensions=true`,
      `${V2}/requests.json?service_request_id=${id}&extensions=true`,
    ];
    for (const url of urls) {
      const reply = await h.app.inject({ url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.body, url).toContain(id);
      for (const value of [...Object.values(person), '张三', '1234'])
        expect(reply.body, url).not.toContain(value);
      // Numbers and addresses typed into the description are blanked too.
      for (const value of ['8765', 'li@example.cn']) expect(reply.body, url).not.toContain(value);
    }
    const [shown] = (await h.app.inject({ url: `${V2}/requests/${id}.json` })).json();
    expect(shown.description).toBe('路灯不亮，有事打我电话 〔已隐去〕 或 〔已隐去〕');
  });

  test('the contact went through the intake: encrypted at rest, masked for staff, ids kept only as hashes', async () => {
    const appeal = await h.services.db.one<Record<string, string | null>>(
      'SELECT contact_name_enc, contact_phone_enc FROM appeal WHERE id = $1',
      [id],
    );
    const extra = await h.services.db.one<Record<string, string | null>>(
      'SELECT email_enc, device_hmac, account_hmac FROM open311_request WHERE appeal_id = $1',
      [id],
    );
    const stored = JSON.stringify({ appeal, extra });
    for (const value of Object.values(person)) expect(stored).not.toContain(value);
    expect(h.services.cipher.decrypt(extra!.email_enc!)).toBe(person.email);
    expect(extra!.device_hmac).toMatch(/^[0-9a-f]{64}$/);
    const token = await h.login('district-dispatcher');
    const detail = (await h.app.inject({ url: `/api/v1/appeals/${id}`, headers: bearer(token) })).json();
    expect(detail.channel).toBe('open311');
    expect(detail.contact).toEqual({ name: '张*', phone: '138****1234', hidden: false });
  });

  test('the journal records which key sent it, and nothing about the person', async () => {
    const entries = await h.services.db.many<{ action: string; data: unknown }>(
      'SELECT action, data FROM journal WHERE stream = $1 ORDER BY seq',
      [`appeal:${id}`],
    );
    expect(entries.map((e) => e.action)).toEqual(['appeal.submitted', 'open311.received']);
    expect(entries[1]!.data).toMatchObject({ apiKeyName: 'privacy test' });
    expect(JSON.stringify(entries)).not.toContain('13812341234');
  });

  test('appeals of other kinds and from the hotline stay out or keep their text to themselves', async () => {
    const dispute = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { channel: 'h5', categoryCode: 'JF-LL-001', content: '邻居家漏水到我家，协商不成' },
    });
    expect(dispute.statusCode).toBe(201);
    const token = await h.login('district-dispatcher');
    const hotline = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: bearer(token),
      payload: {
        channel: 'hotline',
        categoryCode: MANHOLE,
        content: '市民王先生来电反映小区门口井盖缺失',
        location: { lat: pin.lat, lng: pin.long },
      },
    });
    expect(hotline.statusCode).toBe(201);
    const list = await h.app.inject({ url: `${V2}/requests.json?extensions=true` });
    const ids = list.json().map((r: { service_request_id: string }) => r.service_request_id);
    expect(ids).not.toContain(dispute.json().id);
    expect(ids).toContain(hotline.json().id);
    expect(list.body).not.toContain('王先生');
    const shown = list
      .json()
      .find((r: { service_request_id: string }) => r.service_request_id === hotline.json().id);
    expect(shown).toMatchObject({ description: null, service_code: MANHOLE, status: 'open' });
    expect((await h.app.inject({ url: `${V2}/requests/${dispute.json().id}.json` })).statusCode).toBe(404);
  });
});

describe('hostile input: always a 4xx in the spec’s format, never a 5xx', () => {
  const expectSpecError = (reply: { statusCode: number; body: string }, status: number, format = 'json') => {
    expect(reply.statusCode, reply.body.slice(0, 200)).toBe(status);
    if (format === 'json') expect(JSON.parse(reply.body)[0]).toMatchObject({ code: status });
    else expect(parseXml(reply.body)).toMatchObject({ errors: { error: [{ code: String(status) }] } });
  };

  test('a 100,000-character description is refused (the spec allows 4,000)', async () => {
    expectSpecError(await post(form({ ...base(), description: '井'.repeat(100_000) })), 400);
    expectSpecError(await post(form({ ...base(), description: 'a'.repeat(4001) }), FORM, 'xml'), 400, 'xml');
    expect((await post(form({ ...base(), description: '井'.repeat(4000) }))).statusCode).toBe(200);
  });

  test('bytes that are not UTF-8 — raw, %-escaped, in JSON, in the query or the path — are refused', async () => {
    const raw = Buffer.concat([
      Buffer.from(form(base())),
      Buffer.from('&description='),
      Buffer.from([0xff, 0xfe, 0x41]),
    ]);
    expectSpecError(await post(raw), 400);
    expectSpecError(await post(`${form(base())}&description=%FF%FE`), 400);
    expectSpecError(await post(`${form(base())}&description=%ED%A0%80`), 400);
    const json = Buffer.concat([
      Buffer.from('{"description":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expectSpecError(await post(json, { 'content-type': 'application/json' }), 400);
    expectSpecError(
      await post(JSON.stringify({ ...base(), description: '\ud800 lone' }), {
        'content-type': 'application/json',
      }),
      400,
    );
    expectSpecError(await h.app.inject({ url: `${V2}/requests.json?service_code=%FF` }), 400);
    expect((await h.app.inject({ url: `${V2}/services/%FF.json` })).statusCode).toBe(400);
  });

  test('out-of-range or malformed coordinates are refused', async () => {
    for (const [lat, long] of [
      ['91', '113.9'],
      ['-90.5', '113.9'],
      ['22.7', '181'],
      ['22.7', '-200'],
      ['NaN', '113.9'],
      ['Infinity', '113.9'],
      ['1e2', '113.9'],
      ['22,7', '113.9'],
      ['0x16', '113.9'],
    ]) {
      const reply = await post(form({ ...base(), lat: lat!, long: long! }));
      expect(reply.statusCode, `${lat},${long}`).toBe(400);
    }
    const json = await post(JSON.stringify({ ...base(), lat: 1e308, long: 113.9 }), {
      'content-type': 'application/json',
    });
    expectSpecError(json, 400);
  });

  test('injection strings in codes, ids, dates and names are answered as plain values', async () => {
    const sql = "' OR 1=1; DROP TABLE appeal; --";
    expectSpecError(await post(form({ ...base(), service_code: sql })), 404);
    expectSpecError(await h.app.inject({ url: `${V2}/services/${encodeURIComponent(sql)}.xml` }), 404, 'xml');
    expectSpecError(await h.app.inject({ url: `${V2}/requests/${encodeURIComponent(sql)}.json` }), 404);
    const list = await h.app.inject({
      url: `${V2}/requests.json?service_request_id=${encodeURIComponent(sql)}`,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([]);
    expect(
      (await h.app.inject({ url: `${V2}/requests.json?service_code=${encodeURIComponent(sql)}` })).json(),
    ).toEqual([]);
    expectSpecError(
      await h.app.inject({ url: `${V2}/requests.json?start_date=${encodeURIComponent(sql)}` }),
      400,
    );
    expectSpecError(
      await h.app.inject({ url: `${V2}/services.json?jurisdiction_id=${encodeURIComponent(sql)}` }),
      404,
    );
    expectSpecError(
      await post(form({ ...base(), 'attribute[lamp_no]': sql, 'attribute[x"><y>]': '1' })),
      400,
    );
    const prototype = await post(
      form({ ...base(), 'attribute[__proto__]': 'x', 'attribute[constructor]': 'y' }),
    );
    expectSpecError(prototype, 400);
    expect(JSON.parse(prototype.body).map((e: { description: string }) => e.description)).toEqual([
      'attribute[__proto__] is not an attribute of this service',
      'attribute[constructor] is not an attribute of this service',
    ]);
    expectSpecError(await post(form({ ...base(), description: '<script>alert(1)</script>' })), 400);
    expectSpecError(await post(form({ ...base(), media_url: 'javascript:alert(1)' })), 400);
    expectSpecError(await post(form({ ...base(), email: 'a@b.c<script>' })), 400);
    expectSpecError(await post(form({ ...base(), first_name: 'x\u0000y' })), 400);
    expectSpecError(await post(form({ ...base(), phone: '138; rm -rf /' })), 400);
    // Text that merely looks like SQL is a resident's words: stored as they are, escaped on the way out.
    const words = await post(form({ ...base(), description: `路灯坏了 ${sql} & <不是标签` }));
    expect(words.statusCode).toBe(200);
    const id = words.json()[0].service_request_id;
    const xml = await h.app.inject({ url: `${V2}/requests/${id}.xml` });
    const parsed = parseXml(xml.body) as { service_requests: { request: { description: string }[] } };
    expect(parsed.service_requests.request[0]!.description).toBe(`路灯坏了 ${sql} & <不是标签`);
    expect(
      (await h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n,
    ).toBeGreaterThan(0);
  });

  test('odd bodies: repeated fields, too many fields, wrong media type, non-object JSON, a huge body', async () => {
    expectSpecError(await post(`${form(base())}&service_code=${STREET_LIGHT}`), 400);
    const many = Array.from({ length: 300 }, (_, i) => `extra${i}=1`).join('&');
    expectSpecError(await post(`${form(base())}&${many}`), 400);
    expectSpecError(await post('<request/>', { 'content-type': 'text/xml' }), 400);
    expectSpecError(await post('[1,2,3]', { 'content-type': 'application/json' }), 400);
    expectSpecError(await post('{"api_key":', { 'content-type': 'application/json' }), 400);
    expectSpecError(
      await post(JSON.stringify({ ...base(), description: { nested: true } }), {
        'content-type': 'application/json',
      }),
      400,
    );
    expectSpecError(await post(`${form(base())}&description=${'a'.repeat(2_000_000)}`), 400);
  });

  test('after all that, the server still answers and the journal still verifies', async () => {
    expect((await h.app.inject({ url: `${V2}/services.xml` })).statusCode).toBe(200);
    expect((await post(form(base()))).statusCode).toBe(200);
    const auditor = await h.login('auditor');
    const verify = (await h.app.inject({ url: '/api/v1/audit/verify', headers: bearer(auditor) })).json();
    expect(verify.status).toBe('ok');
  });
});
