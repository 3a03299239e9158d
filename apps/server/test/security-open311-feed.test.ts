import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REDACTED, redactPersonalData } from '../src/platform/text-redaction.ts';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { V2 } from './support/open311.ts';

/**
 * Issue #19, finding 4: the public Open311 feed leaked. A resident's H5 text and typed address were
 * published without asking, and the scrubber missed numbers written full-width or with dots and
 * spaces, and WeChat ids. Now text is published only with consent given at submission, numbers are
 * found however they are written, and the feed names the station or grid instead of the address.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const FULL_WIDTH_DIGIT = (d: string) => String.fromCharCode(0xff10 + Number(d));
/** Every digit left in a text once widths are folded and separators dropped, as runs. */
const digitRuns = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s.\-·/()－．]/g, '')
    .match(/\d+/g) ?? [];

describe('the redaction, on generated numbers (property)', () => {
  const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n });
  const mobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([s, r]) => `1${s}${r.join('')}`);
  const idCard = fc.tuple(digits(17), fc.constantFrom(...'0123456789X')).map(([d, c]) => d.join('') + c);
  const landline = fc.tuple(fc.constantFrom('0755', '020', '010'), digits(8)).map(([a, d]) => a + d.join(''));
  const written = fc
    .tuple(
      fc.oneof(mobile, idCard, landline),
      fc.constantFrom('', ' ', '-', '.', '　', '－', '．', '·'),
      fc.integer({ min: 2, max: 5 }),
      fc.boolean(),
      fc.constantFrom('', '+86 ', '0086'),
    )
    .map(([number, sep, group, wide, prefix]) => {
      const chars = [...number].map((c) => (wide && /\d/.test(c) ? FULL_WIDTH_DIGIT(c) : c));
      const grouped = chars.map((c, i) => (i > 0 && i % group === 0 ? sep + c : c)).join('');
      return { number, text: (number.startsWith('1') && number.length === 11 ? prefix : '') + grouped };
    });
  const words = fc.constantFrom('井盖不见了，', '请联系我', '楼下路灯坏了', '谢谢！', '地址在3号楼');

  test('no phone, landline or ID number survives, however it is written; the words around it do', () => {
    fc.assert(
      fc.property(words, written, words, (before, { number, text }, after) => {
        const out = redactPersonalData(`${before}${text}${after}`);
        expect(out).toContain(REDACTED);
        expect(out.startsWith(before.replace(/\d+$/, ''))).toBe(true);
        for (const run of digitRuns(out)) expect(number).not.toContain(run.length >= 4 ? run : '#');
        expect(digitRuns(out).every((run) => run.length < 7)).toBe(true);
      }),
      { seed: 4, numRuns: 3000 },
    );
  });

  test('the assessment’s own examples, WeChat and QQ ids; dates and amounts stay', () => {
    const cases: [string, string][] = [
      ['电话１３８１２３４５６７８', `电话${REDACTED}`],
      ['打139.8765.4321找我', `打${REDACTED}找我`],
      ['身份证4403 0619 9001 0112 34', `身份证${REDACTED}`],
      ['加我微信：zhangsan_1990，', `加我${REDACTED}，`],
      ['vx wxid_k2j4h5', REDACTED],
      ['QQ：12345678', REDACTED],
      ['2026-12-07 下午修好了，花了1200元', '2026-12-07 下午修好了，花了1200元'],
    ];
    for (const [text, shown] of cases) expect(redactPersonalData(text), text).toBe(shown);
  });
});

describe('the feed', () => {
  const feedOf = async (id: string) => {
    const reply = await w.h.app.inject({ url: `${V2}/requests/${id}.json` });
    expect(reply.statusCode).toBe(200);
    return reply.json()[0];
  };
  const text = '井盖不见了，急！电话１３８１２３４５６７８或139.8765.4321，微信 zhangsan_1990';

  test('without the resident’s consent, no text of theirs is published', async () => {
    const { id } = await w.newAppeal({ content: text });
    const shown = await feedOf(id);
    expect(shown.description).toBeNull();
    expect(JSON.stringify(shown)).not.toMatch(/zhangsan|8765|１３８/);
  });

  test('with it, the text is published with every number and id blanked', async () => {
    const { id } = await w.newAppeal({ content: text, publicConsent: true });
    const shown = await feedOf(id);
    expect(shown.description).toBe(`井盖不见了，急！电话${REDACTED}或${REDACTED}，${REDACTED}`);
  });

  test('the address a resident typed is never published: the station or grid is', async () => {
    const { id } = await w.newAppeal({
      content: '井盖不见了',
      publicConsent: true,
      location: { ...w.pin, address: '光明街道华夏路 18 号 3 栋 502 室门口' },
    });
    const shown = await feedOf(id);
    const place = await w.h.services.db.one<{ name: string }>(
      `SELECT COALESCE(st.name, g.name) AS name FROM appeal a
         LEFT JOIN org_unit st ON st.id = a.station_id LEFT JOIN org_unit g ON g.id = a.grid_id WHERE a.id = $1`,
      [id],
    );
    expect(shown.address).toBe(place!.name);
    expect(JSON.stringify(shown)).not.toContain('502');
  });
});
