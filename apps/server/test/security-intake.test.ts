import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createProofOfWorkCheck, MAX_SCALE } from '../src/platform/human-check/proof-of-work.ts';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * Issue #19, finding 6: intake abuse. `attributes` was stored as sent (a 900 KB object was kept;
 * 100,000-deep nesting answered 500 from the canonicaliser), and the proof of work cost the same
 * however many appeals arrived, so one machine filed ~100 a second. Now answers are checked against
 * the item's questions, flat and bounded, and the work grows with the load.
 */
let w: AppealWorld;
beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler', 'grid-worker']);
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

const count = async () =>
  (await w.h.services.db.one<{ n: number }>('SELECT count(*)::int AS n FROM appeal'))!.n;

describe('answers to the item’s questions (attributes)', () => {
  test('a 900 KB answer and a 100,000-deep one are refused with a 400, and nothing is stored', async () => {
    const before = await count();
    const big = await w.submit({ attributes: { cover_type: 'x'.repeat(900_000) } });
    expect(big.statusCode).toBe(400);
    // Written by hand: JSON.stringify itself cannot go 100,000 deep.
    const deep = `${'['.repeat(100_000)}"sewage"${']'.repeat(100_000)}`;
    const nested = await w.h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        channel: 'h5',
        content: '井盖不见了，很危险',
        attributes: { cover_type: deep },
      }),
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.code).toBe('validation_failed');
    const many = await w.submit({
      attributes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`q${i}`, 'x'])),
    });
    expect(many.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  test('questions the item does not ask, unknown keys and wrong types are refused, each named', async () => {
    const reply = await w.submit({
      attributes: { colour: 'red', cover_type: 'gold', warning_set: ['yes', 'no'] },
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.details).toMatchObject({ field: 'attributes' });
    expect(reply.json().error.details.problems).toEqual([
      'attributes.colour is not an attribute of this item',
      'attributes.cover_type has no value with the key gold',
      'attributes.warning_set takes one value',
    ]);
  });

  test('right answers are stored as the item defines them; a required one may be left to staff', async () => {
    const { id } = await w.newAppeal({ attributes: { cover_type: 'sewage', warning_set: 'no' } });
    const detail = (await w.detail('district-dispatcher', id)).json();
    expect(detail.attributes).toEqual({ cover_type: 'sewage', warning_set: 'no' });
    // The hotline cannot always ask: no answers at all is still an appeal.
    expect((await w.submit({})).statusCode).toBe(201);
  });
});

describe('the proof of work under load', () => {
  test('costs the base amount on a quiet day and up to MAX_SCALE times more in a flood', async () => {
    const check = createProofOfWorkCheck({
      db: w.h.services.db,
      clock: w.h.clock,
      secret: 'test-secret-for-adaptive-proof-of-work',
      counterRange: [100, 200],
      normalPerMinute: 2,
    });
    const solveOnce = async () => {
      const issued = await check.issue();
      const challenge = issued.challenge as Parameters<typeof solveChallenge>[0]['challenge'];
      const solution = (await solveChallenge({ challenge, deriveKey, timeout: 30_000 }))!;
      const proof = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
      expect((await check.verify(proof)).passed).toBe(true);
      return solution.counter;
    };
    w.h.clock.advance(60 * 60_000);
    // Quiet: the first proofs of the minute ask for the base work.
    expect(await solveOnce()).toBeLessThanOrEqual(200);
    expect(await solveOnce()).toBeLessThanOrEqual(200);
    // A flood: 40 proofs in the minute, twenty times the normal 2, asks for at most MAX_SCALE times.
    for (let i = 0; i < 38; i++) await solveOnce();
    const flooded = await solveOnce();
    expect(flooded).toBeGreaterThanOrEqual(100 * MAX_SCALE);
    expect(flooded).toBeLessThanOrEqual(200 * MAX_SCALE);
    // The next minute starts quiet again.
    w.h.clock.advance(61_000);
    expect(await solveOnce()).toBeLessThanOrEqual(200);
  }, 60_000);
});

describe('DOORSTEP_POW_NORMAL_PER_MINUTE', () => {
  const env = { DOORSTEP_DATA_DIR: '/tmp/doorstep-config-test' };
  test('sets what counts as normal load; 60 when unset; nonsense stops start-up', () => {
    expect(loadConfig(env).powNormalPerMinute).toBe(60);
    expect(loadConfig({ ...env, DOORSTEP_POW_NORMAL_PER_MINUTE: '240' }).powNormalPerMinute).toBe(240);
    expect(() => loadConfig({ ...env, DOORSTEP_POW_NORMAL_PER_MINUTE: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, DOORSTEP_POW_NORMAL_PER_MINUTE: 'lots' })).toThrow(
      /DOORSTEP_POW_NORMAL_PER_MINUTE/,
    );
  });
});
