import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Db } from '../../src/db/db.ts';

/**
 * Hostile input for the fuzzing properties (fuzz-api.test.ts): the strings attackers and broken
 * clients actually send, mixed with whatever fast-check makes up. One seed for the whole suite, so
 * a failure found in CI replays on a laptop (`DOORSTEP_FUZZ_SEED=… npx vitest run fuzz`).
 */
export const FUZZ_SEED = Number(process.env.DOORSTEP_FUZZ_SEED ?? 20261206);
/** Runs per property; CI keeps the default, a long hunt raises it. */
export const FUZZ_RUNS = Number(process.env.DOORSTEP_FUZZ_RUNS ?? 12);
/**
 * A long campaign's budget of cases in all (`npm run fuzz -- --runs N`, scripts/fuzz.mjs): each
 * property gets its share, so N is the number of hostile requests sent, whatever the route count.
 */
export const FUZZ_CASES = process.env.DOORSTEP_FUZZ_CASES ? Number(process.env.DOORSTEP_FUZZ_CASES) : null;
/** Where the campaign writes what it did (cases sent, runs per property, seed), as JSON. */
export const FUZZ_REPORT = process.env.DOORSTEP_FUZZ_REPORT ?? null;

export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE appeal; --",
  '1; SELECT pg_sleep(10)',
  '" onmouseover="alert(1)',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as plain text
  '${7*7}',
  '#{7*7}',
  '../../../../etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '\r\nSet-Cookie: doorstep=1',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  '=HYPERLINK("http://x")',
];

export const TRICKY_UNICODE = [
  '\u202Eevil.exe\u202C',
  '\u200B\u200C\u200D\uFEFF',
  '👩‍👩‍👧‍👦🚧🏮',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u0301\u0301\u0301',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗͙̩',
  '\u{10FFFF}',
  '光明街道\u0008\u001B[31m',
  '',
  ' ',
  '\t\n',
];

/** One megabyte, under the 1 MiB body limit with a small envelope: reaches the schema's maxLength. */
export const MEGABYTE_STRING = 'a'.repeat(1_000_000);

const anyCodePoint = fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)) });

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 4 },
  { arbitrary: fc.constantFrom(...TRICKY_UNICODE), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 2 },
  { arbitrary: anyCodePoint, weight: 2 },
  { arbitrary: fc.constant(MEGABYTE_STRING), weight: 1 },
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Coordinates a map pin can't have, and ones in the wrong shape. */
export const hostileLocation = fc.oneof(
  fc.record({ lng: fc.constantFrom(181, -181, 1e9, 113.9), lat: fc.constantFrom(91, -91, 1e9, 22.7) }),
  fc.record({ lng: hostileString, lat: hostileString }),
  fc.constant([113.9, 22.7]),
  fc.constant({ type: 'Point', coordinates: [500, 500] }),
);

/** A value of any JSON type, hostile where it is a string or a number. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: hostileString, weight: 5 },
    { arbitrary: hostileNumber, weight: 2 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: hostileLocation, weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }), weight: 1 },
  ),
})).value;

/**
 * A request body for an operation whose schema names these properties: some of them, each with a
 * hostile value, sometimes with an unknown or prototype-polluting key beside them; or not an object.
 */
export function hostileBody(properties: string[]): fc.Arbitrary<unknown> {
  const named =
    properties.length > 0
      ? fc
          .subarray(properties, { minLength: 1 })
          .chain((keys) => fc.tuple(...keys.map((k) => hostileValue.map((v) => [k, v] as const))))
          .map((pairs) => Object.fromEntries(pairs))
      : fc.constant({});
  return fc.oneof(
    { arbitrary: named, weight: 6 },
    {
      arbitrary: fc
        .tuple(named, fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'id', 'state'), hostileValue)
        .map(([body, extra, value]) => ({ ...(body as object), [extra]: value })),
      weight: 2,
    },
    { arbitrary: fc.jsonValue(), weight: 2 },
  );
}

/**
 * A string as a client can put it in a URL: percent-encoded UTF-8. A lone surrogate has no UTF-8
 * form, so it goes as the replacement character a browser would send; broken UTF-8 itself is
 * sent by `BROKEN_PERCENT` below.
 */
export const urlPart = (value: string) =>
  encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

/** Percent escapes that decode to no valid UTF-8 (overlong, surrogate, truncated) or to NUL. */
export const BROKEN_PERCENT = ['%ED%A0%80', '%FF%FE', '%C0%AF', '%E4%B8', '%00', '%', '%zz'];

/** A query string of known and made-up names with hostile values. */
export function hostileQuery(names: string[]): fc.Arbitrary<string> {
  const name = names.length ? fc.oneof(fc.constantFrom(...names), hostileString) : hostileString;
  const value = fc.oneof(
    hostileString.filter((s) => s.length < 5000).map(urlPart),
    fc.integer().map(String),
    fc.constantFrom(...BROKEN_PERCENT),
  );
  return fc
    .array(fc.tuple(name.map(urlPart), value), { minLength: 1, maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

/**
 * fc.assert with a readable failure: the counterexample cut to a few kilobytes, since a shrunk
 * value may still hold the megabyte string.
 */
export async function assertProperty<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  params: fc.Parameters<T>,
): Promise<void> {
  try {
    await fc.assert(property, params);
  } catch (error) {
    const message = (error as Error).message.replaceAll(MEGABYTE_STRING, '«1 MB of a»');
    const cause = (error as { cause?: Error }).cause?.message ?? '';
    throw new Error(`${message.slice(0, 4000)}\n${cause.slice(0, 2000)}`);
  }
}

/** What a 4xx reply must carry: the project's error model (ARCHITECTURE.md). */
export function errorModelProblem(response: LightMyRequestResponse): string | null {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return `not JSON: ${response.body.slice(0, 120)}`;
  }
  const error = (body as { error?: Record<string, unknown> })?.error;
  if (!error || typeof error !== 'object') return `no error object: ${response.body.slice(0, 120)}`;
  if (typeof error.code !== 'string' || !error.code) return 'error.code is not a string';
  if (typeof error.message !== 'string' || !error.message) return 'error.message is not a string';
  if (!error.details || typeof error.details !== 'object') return 'error.details is not an object';
  return null;
}

/**
 * A digest of everything a refused request must leave as it was. Left out on purpose: what a
 * refusal is *meant* to write — failed-login counters and lockouts, the security journal, rate
 * limit counters, a session's last-seen time.
 */
export async function fingerprint(db: Db): Promise<string> {
  const row = await db.one<{ digest: string }>(
    `SELECT concat_ws('|',
       (SELECT count(*) || ':' || coalesce(md5(string_agg(a::text, ',' ORDER BY a.id)), '') FROM appeal a),
       (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM appeal_attachment t),
       (SELECT count(*) || ':' || coalesce(md5(string_agg(u::text, ',' ORDER BY u.id)), '') FROM upload u),
       (SELECT count(*) || ':' || coalesce(md5(string_agg(
          concat_ws(',', u.id, u.username, u.display_name, u.org_id, u.roles::text, u.password_hash,
                    u.disabled_at, u.phone_enc, u.totp_secret_enc, u.totp_pending_enc), ';' ORDER BY u.id)), '')
          FROM app_user u),
       (SELECT count(*) || ':' || count(ended_at) FROM user_session),
       (SELECT count(*) || ':' || coalesce(md5(string_agg(o::text, ',' ORDER BY o.id)), '') FROM org_unit o),
       (SELECT count(*) || ':' || coalesce(md5(string_agg(c::text, ',' ORDER BY c.id)), '') FROM category c),
       (SELECT count(*) FROM category_responsibility),
       (SELECT count(*) FROM coordination_notice),
       (SELECT count(*) FROM summons),
       (SELECT count(*) FROM outbox),
       (SELECT count(*) FROM job),
       (SELECT count(*) FROM journal WHERE stream <> 'security'),
       (SELECT count(*) FROM open311_request),
       (SELECT count(*) FROM open311_api_key)
     ) AS digest`,
  );
  return row!.digest;
}
