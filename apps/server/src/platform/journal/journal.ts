import type { Queryable } from '../../db/db.ts';
import type { Clock } from '../clock.ts';
import { currentRequestOrigin } from '../request-context.ts';
import { entryHash, GENESIS_HASH, type JournalContent } from './journal.hash.ts';
import { createJournalRepository, type JournalRow } from './journal.repository.ts';

export interface JournalEntryInput {
  stream: string;
  action: string;
  actorId?: string | null;
  actorOrgId?: number | null;
  subjectType?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

export type VerifyReport =
  | { status: 'ok'; entries: number; streams: number }
  | {
      status: 'broken';
      entries: number;
      streams: number;
      brokenCount: number;
      firstBroken: { id: number; stream: string; seq: number; reason: string };
    };

export type Journal = ReturnType<typeof createJournal>;

/** Streams: one chain per subject that changes together. */
export const SECURITY_STREAM = 'security';

export function createJournal(deps: { clock: Clock }) {
  const repo = createJournalRepository();
  return {
    /** Appends inside the caller's transaction, so the entry commits or rolls back with the change. */
    async append(tx: Queryable, input: JournalEntryInput): Promise<{ id: number; hash: string }> {
      await repo.lockStream(tx, input.stream);
      const last = await repo.lastOfStream(tx, input.stream);
      const content: JournalContent = {
        stream: input.stream,
        seq: (last?.seq ?? 0) + 1,
        at: deps.clock.now(),
        actorId: input.actorId ?? null,
        actorOrgId: input.actorOrgId ?? null,
        action: input.action,
        subjectType: input.subjectType ?? null,
        subjectId: input.subjectId ?? null,
        // A JSON round trip gives the exact value jsonb will hand back when verifying. Security
        // events made while serving a request carry its IP and user agent unless they say otherwise.
        data: JSON.parse(
          JSON.stringify(
            input.stream === SECURITY_STREAM
              ? { ...currentRequestOrigin(), ...input.data }
              : (input.data ?? {}),
          ),
        ),
      };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = entryHash(prevHash, content);
      const id = await repo.insert(tx, { ...content, prevHash, hash });
      return { id, hash };
    },

    async verify(db: Queryable, pageSize = 5000): Promise<VerifyReport> {
      let entries = 0;
      let streams = 0;
      let brokenCount = 0;
      let firstBroken: { id: number; stream: string; seq: number; reason: string } | null = null;
      let previous: JournalRow | null = null;
      const fail = (row: JournalRow, reason: string) => {
        brokenCount++;
        if (!firstBroken || row.id < firstBroken.id) {
          firstBroken = { id: row.id, stream: row.stream, seq: row.seq, reason };
        }
      };
      for (;;) {
        const page: JournalRow[] = await repo.pageInChainOrder(db, previous, pageSize);
        for (const row of page) {
          entries++;
          const sameStream = previous?.stream === row.stream;
          if (!sameStream) streams++;
          const expectedSeq = sameStream ? previous!.seq + 1 : 1;
          const expectedPrev = sameStream ? previous!.hash : GENESIS_HASH;
          if (row.seq !== expectedSeq)
            fail(row, `expected entry ${expectedSeq} of the stream, found ${row.seq}`);
          else if (row.prevHash !== expectedPrev) fail(row, 'does not link to the previous entry');
          else if (entryHash(row.prevHash, { ...row, at: new Date(row.at) }) !== row.hash) {
            fail(row, 'its content does not match its hash');
          }
          previous = row;
        }
        if (page.length < pageSize) break;
      }
      if (firstBroken) return { status: 'broken', entries, streams, brokenCount, firstBroken };
      return { status: 'ok', entries, streams };
    },

    list: repo.list,
  };
}
