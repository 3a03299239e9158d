import { canonicalLandline, canonicalMobile } from '@doorstep/contracts/vocabulary';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { createKey, FORM, form, pointInGrid, STREET_LIGHT, V2 } from './support/open311.ts';

/**
 * Issue #19, finding 5: SMS pumping. Any international number was taken as a contact and sent SMS
 * (premium-rate numbers abroad are how pumping pays), and the per-phone limit did not bound how many
 * numbers one attacker names. Now only mainland mobiles are taken, in one canonical form used by
 * storage, hashing, the limits and the PIPL export alike; the hourly budget is in outbox.test.ts.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker', 'security']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const FULL_WIDTH = (digits: string) =>
  [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');

describe('one canonical form for a mainland mobile', () => {
  test('any mix of full-width digits, separators and country prefix gives the 11 digits (property)', () => {
    const mobile = fc
      .tuple(
        fc.constantFrom(...'3456789'),
        fc.array(fc.constantFrom(...'0123456789'), { minLength: 9, maxLength: 9 }),
      )
      .map(([second, rest]) => `1${second}${rest.join('')}`);
    const separator = fc.constantFrom('', ' ', '-', '.', '　', '－', '．');
    const prefix = fc.constantFrom('', '+86', '+86 ', '0086', '86', '＋８６');
    fc.assert(
      fc.property(
        mobile,
        prefix,
        fc.array(separator, { minLength: 11, maxLength: 11 }),
        fc.boolean(),
        (m, p, seps, wide) => {
          const digits = wide ? FULL_WIDTH(m) : m;
          const typed = p + [...digits].map((d, i) => d + seps[i]).join('');
          expect(canonicalMobile(typed)).toBe(m);
        },
      ),
      { seed: 19, numRuns: 2000 },
    );
  });

  test('what is not a mainland mobile has no canonical form', () => {
    for (const typed of [
      '+44 7700 900123',
      '+1 268 464 1234',
      '0755-8612 3456',
      '12345678901',
      '1381234567',
      '138123456789',
      '+85291234567',
    ]) {
      expect(canonicalMobile(typed), typed).toBeNull();
    }
  });
});

describe('one canonical form for a mainland landline', () => {
  test('area code, local number and extension, however typed', () => {
    const typed: [string, string][] = [
      ['010-8888 6666', '010-88886666'],
      ['(0755)23456789', '0755-23456789'],
      ['（０７５５）２３４５６７８９', '0755-23456789'],
      ['+86 755 2345 6789', '0755-23456789'],
      ['0086-10-88886666', '010-88886666'],
      ['075523456789', '0755-23456789'],
      ['0571-8765432', '0571-8765432'],
      ['0571-87654321-802', '0571-87654321-802'],
      ['02087654321', '020-87654321'],
    ];
    for (const [input, canonical] of typed) expect(canonicalLandline(input), input).toBe(canonical);
  });

  test('what is not a landline has no canonical form', () => {
    // A local number never starts with 0 or 1; no area code, too short, too long, a mobile.
    for (const typed of [
      '0755-12345678',
      '0755-02345678',
      '88886666',
      '0755-23456',
      '0755-234567890',
      '13812345678',
    ]) {
      expect(canonicalLandline(typed), typed).toBeNull();
    }
  });
});

describe('a contact phone at intake', () => {
  test('a landline is taken in its canonical form and gets no SMS', async () => {
    const reply = await w.submit({ contact: { name: '钱七', phone: '(0755) 2345 6789' } });
    expect(reply.statusCode, reply.body).toBe(201);
    const id = reply.json().id as string;
    const shown = await w.reveal('district-dispatcher', id, '回访核实');
    expect(shown.json().contact.phone).toBe('0755-23456789');
    await w.must('district-dispatcher', id, 'accept');
    const texted = await w.h.services.db.many<{ appealId: string }>(
      'SELECT appeal_id AS "appealId" FROM outbox WHERE appeal_id = $1',
      [id],
    );
    expect(texted).toEqual([]);
  });

  test('a number abroad is refused with a 400 naming the field, and nothing is stored or sent', async () => {
    const before = await w.h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    for (const phone of ['+44 7700 900123', '+882 1234 5678', '0755-0612 3456', '12345678']) {
      const reply = await w.submit({ contact: { name: '王五', phone } });
      expect(reply.statusCode, phone).toBe(400);
      expect(reply.json().error.details).toMatchObject({ field: 'contact.phone' });
    }
    const after = await w.h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    expect(after!.n).toBe(before!.n);
  });

  test('typed three ways, one person: stored canonical, texted canonical, exported as one', async () => {
    const ways = [FULL_WIDTH('13987654321'), '139.8765.4321', '+86 139-8765-4321'];
    const ids: string[] = [];
    for (const phone of ways) {
      const reply = await w.submit({ contact: { name: '赵六', phone } });
      expect(reply.statusCode, reply.body).toBe(201);
      ids.push(reply.json().id);
    }
    for (const id of ids) {
      const shown = await w.reveal('district-dispatcher', id, '回访核实');
      expect(shown.json().contact.phone).toBe('13987654321');
    }
    const texted = await w.h.services.db.many<{ appealId: string }>(
      'SELECT appeal_id AS "appealId" FROM outbox WHERE recipient_masked = \'139****4321\'',
    );
    expect(texted.map((t) => t.appealId).sort()).toEqual([...ids].sort());
    const exported = await w.h.app.inject({
      method: 'POST',
      url: '/api/v1/people/export',
      headers: w.as('security'),
      payload: { phone: '１３９ ８７６５ ４３２１', reason: '本人依法申请查阅' },
    });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(
      exported
        .json()
        .appeals.map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  test('the PIPL export refuses what is not a mainland mobile', async () => {
    const reply = await w.h.app.inject({
      method: 'POST',
      url: '/api/v1/people/export',
      headers: w.as('security'),
      payload: { phone: '+44 7700 900123', reason: '本人依法申请查阅' },
    });
    expect(reply.statusCode).toBe(400);
  });

  test('Open311 takes the same rule: a number abroad is a 400 in the spec’s format', async () => {
    const key = await createKey(w.h, 'sms pumping');
    const pin = await pointInGrid(w.h);
    const post = (phone: string) =>
      w.h.app.inject({
        method: 'POST',
        url: `${V2}/requests.json`,
        headers: FORM,
        payload: form({
          api_key: key,
          service_code: STREET_LIGHT,
          lat: String(pin.lat),
          long: String(pin.long),
          description: '小区门口路灯不亮',
          phone,
        }),
      });
    const abroad = await post('+44 7700 900123');
    expect(abroad.statusCode).toBe(400);
    expect(abroad.body).toContain('mainland China mobile');
    const home = await post('138 1234 5678');
    expect(home.statusCode, home.body).toBe(200);
  });
});
