import type { Queryable } from '../db/db.ts';

/** The single row of `data_key_check` (platform/data-key-check.ts). */
export function createDataKeyCheckRepository(db: Queryable) {
  return {
    async fingerprint(): Promise<string | null> {
      const row = await db.one<{ fingerprint: string }>(
        'SELECT fingerprint FROM data_key_check WHERE id = 1',
      );
      return row?.fingerprint ?? null;
    },
    /** Records the first fingerprint; a concurrent first start keeps whichever came first. */
    async recordIfAbsent(fingerprint: string, now: Date): Promise<void> {
      await db.query(
        'INSERT INTO data_key_check (id, fingerprint, recorded_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING',
        [fingerprint, now],
      );
    },
    /** After a completed rotation: the new key is the one the data is encrypted with. */
    async replace(fingerprint: string, now: Date): Promise<void> {
      await db.query(
        `INSERT INTO data_key_check (id, fingerprint, recorded_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, recorded_at = EXCLUDED.recorded_at`,
        [fingerprint, now],
      );
    },
  };
}
