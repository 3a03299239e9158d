import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HUMAN_CHECK_HEADER } from '../src/platform/human-check/index.ts';
import { bearer, createHarness, type Harness } from './support/harness.ts';

/*
 * Past the per-address intake limit, a resident behind a shared carrier address can still file by
 * answering a proof of work; a script must pay for every request, once per proof.
 */

let h: Harness;
let category: string;
let station: string;
let phoneSerial = 0;

beforeAll(async () => {
  h = await createHarness({
    app: { rateLimits: { trustedNetworks: [], overrides: { intake: { max: 1, windowMs: 600_000 } } } },
  });
  const dispatcher = await h.login('district-dispatcher');
  const catalogue = JSON.stringify((await h.app.inject({ url: '/api/v1/public/categories' })).json());
  category = catalogue.match(/"code":"([^"]+)","name":"井盖缺失[^"]*"/)![1]!;
  station = (
    await h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(dispatcher) })
  ).json().items[0].code;
});
afterAll(() => h?.close());

function submit(headers: Record<string, string> = {}) {
  phoneSerial += 1;
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    remoteAddress: '203.0.113.9',
    headers,
    payload: {
      channel: 'h5',
      categoryCode: category,
      content: '小区门口井盖缺失，夜里很危险',
      stationCode: station,
      contact: { name: '王五', phone: `1380013${String(phoneSerial).padStart(4, '0')}` },
    },
  });
}

async function solve(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  expect(solution).not.toBeNull();
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function challengeAfterLimit() {
  const refused = await submit();
  expect(refused.statusCode).toBe(429);
  const { error } = refused.json();
  expect(error.code).toBe('rate_limited');
  expect(error.details.humanCheck).toMatchObject({ kind: 'proof-of-work', header: HUMAN_CHECK_HEADER });
  return error.details.humanCheck.challenge as Challenge;
}

describe('the human check on public intake', () => {
  test('the first appeal passes; the next gets 429 with a challenge, and its proof files the appeal', async () => {
    expect((await submit()).statusCode).toBe(201);
    const proof = await solve(await challengeAfterLimit());
    const filed = await submit({ [HUMAN_CHECK_HEADER]: proof });
    expect(filed.statusCode).toBe(201);
    expect(filed.json().trackingCode).toBeTruthy();

    // The same proof again is spent: a fresh challenge, and the reason.
    const replay = await submit({ [HUMAN_CHECK_HEADER]: proof });
    expect(replay.statusCode).toBe(429);
    expect(replay.json().error.details.humanCheck.refused).toBe('spent');
  });

  test('a forged, garbled or expired proof is refused and nothing is written', async () => {
    const before = (await h.testDb.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n;
    const challenge = await challengeAfterLimit();
    const good = JSON.parse(Buffer.from(await solve(challenge), 'base64').toString());

    const key: string = good.solution.derivedKey;
    const flipped = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
    const forged = { ...good, solution: { ...good.solution, derivedKey: flipped } };
    const easier = {
      ...good,
      challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, keyPrefix: '0' } },
    };
    for (const [proof, reason] of [
      [Buffer.from(JSON.stringify(forged)).toString('base64'), 'invalid'],
      [Buffer.from(JSON.stringify(easier)).toString('base64'), 'invalid'],
      ['not base64 json', 'malformed'],
    ] as const) {
      const response = await submit({ [HUMAN_CHECK_HEADER]: proof });
      expect(response.statusCode).toBe(429);
      expect(response.json().error.details.humanCheck.refused).toBe(reason);
    }

    h.clock.advance(6 * 60_000); // challenges are valid for five minutes
    const late = await submit({ [HUMAN_CHECK_HEADER]: Buffer.from(JSON.stringify(good)).toString('base64') });
    expect(late.statusCode).toBe(429);
    expect(late.json().error.details.humanCheck.refused).toBe('expired');
    expect((await h.testDb.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n).toBe(before);
  });
});
