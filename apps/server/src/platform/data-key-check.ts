import type { Queryable } from '../db/db.ts';
import { hmacHex } from './crypto.ts';
import { createDataKeyCheckRepository } from './data-key-check.repository.ts';

/**
 * Several server processes on one PostgreSQL database must share one data key: a node that
 * generated its own (DOORSTEP_DATA_KEY not set) would write personal data the others cannot read,
 * and read theirs as garbage. The database remembers a fingerprint of the key its data is
 * encrypted with; a process whose key does not match refuses to start, with this message.
 */
export class DataKeyMismatchError extends Error {
  constructor(where: string) {
    super(
      `the data key of this process is not the one the personal data in ${where} is encrypted with. ` +
        'Every server and `doorstep` command on one database must use the same DOORSTEP_DATA_KEY: ' +
        'set it in the environment of each (the first node’s key is in its data folder, secrets.json, ' +
        'when it was generated). To change keys, use DOORSTEP_DATA_KEY_PREVIOUS and `doorstep keys rotate`.',
    );
    this.name = 'DataKeyMismatchError';
  }
}

const LABEL = 'doorstep data key check v1';

/** A fingerprint of the key, from which the key cannot be recovered. */
export function dataKeyFingerprint(key: Buffer): string {
  return hmacHex(key.toString('hex'), LABEL).slice(0, 32);
}

/**
 * At start: the first process records its key's fingerprint; every later one must match it, or
 * match as the previous key while a rotation is under way (the rotation records the new one).
 */
export async function checkDataKey(
  db: Queryable,
  keys: { dataKey: Buffer; previousDataKey?: Buffer | null },
  options: { now: Date; where: string },
): Promise<void> {
  const repo = createDataKeyCheckRepository(db);
  const current = dataKeyFingerprint(keys.dataKey);
  await repo.recordIfAbsent(current, options.now);
  const recorded = await repo.fingerprint();
  const accepted = [current, ...(keys.previousDataKey ? [dataKeyFingerprint(keys.previousDataKey)] : [])];
  if (!recorded || !accepted.includes(recorded)) throw new DataKeyMismatchError(options.where);
}

/** After `doorstep keys rotate` re-encrypted everything: the data is now under this key. */
export function recordRotatedDataKey(db: Queryable, key: Buffer, now: Date): Promise<void> {
  return createDataKeyCheckRepository(db).replace(dataKeyFingerprint(key), now);
}
