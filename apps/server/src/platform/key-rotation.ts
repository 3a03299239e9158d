import type { Db } from '../db/db.ts';
import { createFieldCipher, hmacHex } from './crypto.ts';
import { recordRotatedDataKey } from './data-key-check.ts';
import { type Journal, SECURITY_STREAM } from './journal/index.ts';
import { encryptedColumns, readPage, updateIfUnchanged } from './key-rotation.repository.ts';

export { encryptedColumns };

/**
 * Re-encrypting personal data from an old data key to a new one (`doorstep keys rotate`).
 *
 * Which columns: every text column named `*_enc` in the schema, found in the catalogue — a module
 * that adds an encrypted column is rotated without touching this file. Each table needs a
 * single-column primary key to page through. Lookup HMACs keyed by the data key and derived from a
 * value that is stored encrypted are recomputed alongside (LOOKUPS).
 *
 * Idempotent: a value the new key already opens is left alone (AES-GCM's tag tells the keys
 * apart), so a run that stopped half-way is simply run again. Each batch is one transaction and
 * writes a value only if it is still the one read, so a server writing meanwhile (with both keys
 * configured) is never overwritten.
 */

/** A lookup HMAC derived from an encrypted value, with the key derivation services.ts uses. */
const LOOKUPS: {
  table: string;
  source: string;
  column: string;
  derive(dataKey: Buffer, plain: string): string;
}[] = [
  // appeal.phone_hmac finds repeat callers: hmacHex(dataKey as hex, phone) (appeals.intake.ts).
  {
    table: 'appeal',
    source: 'contact_phone_enc',
    column: 'phone_hmac',
    derive: (key, phone) => hmacHex(key.toString('hex'), phone),
  },
];

export interface ColumnReport {
  table: string;
  column: string;
  /** Non-null values seen. */
  values: number;
  rotated: number;
  alreadyCurrent: number;
}

export interface RotationReport {
  columns: ColumnReport[];
  lookupsRecomputed: number;
  /** Values neither key opens: left as they are, named here. */
  unreadable: { table: string; column: string; id: string }[];
}

export async function rotateDataKey(
  db: Db,
  keys: { current: Buffer; previous: Buffer },
  options: {
    batchSize?: number;
    progress?: (message: string) => void;
    journal?: Journal;
    /** When given, a complete rotation records the new key as the database's (data-key-check.ts). */
    now?: () => Date;
  } = {},
): Promise<RotationReport> {
  if (keys.current.equals(keys.previous)) throw new Error('the new and the previous data key are the same');
  const batchSize = options.batchSize ?? 500;
  const current = createFieldCipher(keys.current);
  const previous = createFieldCipher(keys.previous);
  const report: RotationReport = { columns: [], lookupsRecomputed: 0, unreadable: [] };

  for (const { table, key, columns } of await encryptedColumns(db)) {
    const stats = new Map(
      columns.map((column) => [column, { table, column, values: 0, rotated: 0, alreadyCurrent: 0 }]),
    );
    const lookups = LOOKUPS.filter((lookup) => lookup.table === table && columns.includes(lookup.source));
    let after: string | null = null;
    for (;;) {
      const rows = await readPage(db, { table, key, columns }, after, batchSize);
      if (rows.length === 0) break;
      const updates: { pk: string; set: Record<string, string>; was: Record<string, string> }[] = [];
      for (const row of rows) {
        const set: Record<string, string> = {};
        const was: Record<string, string> = {};
        for (const column of columns) {
          const stored = row[column];
          if (stored === null || stored === undefined) continue;
          const counts = stats.get(column)!;
          counts.values++;
          if (opens(current, stored)) {
            counts.alreadyCurrent++;
            continue;
          }
          let plain: string;
          try {
            plain = previous.decrypt(stored);
          } catch {
            report.unreadable.push({ table, column, id: row.pk! });
            continue;
          }
          set[column] = current.encrypt(plain);
          was[column] = stored;
          for (const lookup of lookups.filter((l) => l.source === column)) {
            set[lookup.column] = lookup.derive(keys.current, plain);
          }
        }
        if (Object.keys(was).length) updates.push({ pk: row.pk!, set, was });
      }
      if (updates.length) {
        await db.transaction(async (tx) => {
          for (const update of updates) {
            const names = Object.keys(update.set);
            const guards = Object.keys(update.was);
            // Not written: changed since it was read, so a server wrote it with the new key already.
            if (await updateIfUnchanged(tx, { table, key }, update)) {
              for (const column of guards) stats.get(column)!.rotated++;
              report.lookupsRecomputed += names.filter((n) => !guards.includes(n)).length;
            }
          }
        });
      }
      after = rows[rows.length - 1]!.pk!;
      options.progress?.(`${table}: ${after}`);
      if (rows.length < batchSize) break;
    }
    report.columns.push(...stats.values());
  }
  // Every value opens with the new key now: the database's data key is the new one.
  if (options.now && report.unreadable.length === 0)
    await recordRotatedDataKey(db, keys.current, options.now());
  // A security event (等保: key management is audited), done by the installation itself.
  const { journal } = options;
  if (journal) {
    await db.transaction((tx) =>
      journal.append(tx, {
        stream: SECURITY_STREAM,
        action: 'data_key.rotated',
        actorId: null,
        data: {
          rotated: report.columns.reduce((sum, c) => sum + c.rotated, 0),
          alreadyCurrent: report.columns.reduce((sum, c) => sum + c.alreadyCurrent, 0),
          unreadable: report.unreadable.length,
        },
      }),
    );
  }
  return report;
}

function opens(cipher: ReturnType<typeof createFieldCipher>, stored: string): boolean {
  try {
    cipher.decrypt(stored);
    return true;
  } catch {
    return false;
  }
}
