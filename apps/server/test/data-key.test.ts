import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStore, runCli, type Store } from './support/processes.ts';

/*
 * Multi-node safety (issue #18 item 7): every process on one database must share the data key, or
 * one writes personal data the others cannot read. The first process records a fingerprint of its
 * key; a process with another key refuses to start with a message naming the remedy, on the
 * embedded database (a data folder whose secrets.json was lost) as on PostgreSQL (a second node
 * that generated its own key because DOORSTEP_DATA_KEY was not set).
 */

const SLOW = 120_000;
let store: Store;
let firstKey = '';

beforeAll(async () => {
  store = await createStore();
  // The first process: no DOORSTEP_DATA_KEY, so it generates one into secrets.json and records it.
  const first = await runCli(['migrate'], { ...store.env, DOORSTEP_SEED: 'none' });
  expect(first.code, first.stderr).toBe(0);
  firstKey = JSON.parse(readFileSync(path.join(store.dataDir, 'secrets.json'), 'utf8')).dataKey;
}, SLOW);
afterAll(() => store?.close());

describe('one database, one data key', () => {
  test(
    'a process with another key refuses to start, naming DOORSTEP_DATA_KEY, without a stack trace',
    async () => {
      const other = await runCli(['migrate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: randomBytes(32).toString('base64'),
      });
      expect(other.code).toBe(1);
      expect(other.stderr).toContain('is not the one the personal data');
      expect(other.stderr).toContain('DOORSTEP_DATA_KEY');
      expect(other.stderr).not.toMatch(/^\s+at /m);
    },
    SLOW,
  );

  test(
    'the same key given in the environment starts; during a rotation the old key may be the previous one',
    async () => {
      const same = await runCli(['migrate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: firstKey,
      });
      expect(same.code, same.stderr).toBe(0);
      const rotating = await runCli(['migrate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: randomBytes(32).toString('base64'),
        DOORSTEP_DATA_KEY_PREVIOUS: firstKey,
      });
      expect(rotating.code, rotating.stderr).toBe(0);
    },
    SLOW,
  );

  test(
    'after a complete rotation the new key is the database’s, and the old one is refused',
    async () => {
      const next = randomBytes(32).toString('base64');
      const rotated = await runCli(['keys', 'rotate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: next,
        DOORSTEP_DATA_KEY_PREVIOUS: firstKey,
      });
      expect(rotated.code, rotated.stderr).toBe(0);
      const withNew = await runCli(['migrate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: next,
      });
      expect(withNew.code, withNew.stderr).toBe(0);
      const withOld = await runCli(['migrate'], {
        ...store.env,
        DOORSTEP_SEED: 'none',
        DOORSTEP_DATA_KEY: firstKey,
      });
      expect(withOld.code).toBe(1);
      expect(withOld.stderr).toContain('DOORSTEP_DATA_KEY');
    },
    SLOW,
  );
});
