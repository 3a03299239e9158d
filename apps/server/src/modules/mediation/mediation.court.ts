import { randomInt } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';
import { chinaYearOf } from '../../platform/calendar/index.ts';
import { createCaseRecords } from './mediation.records.repository.ts';

/**
 * What goes to the court for online judicial confirmation (司法确认, 人民调解法 art. 33): the
 * agreement, who the parties are and the record of the sessions. Personal data travels to the court
 * in full: that is the purpose of the filing, and it stays out of the journal.
 */
export interface CourtPackage {
  caseNumber: string;
  committee: string;
  agreement: { terms: string; totalAmount: number; agreedAt: string; effectiveAt: string };
  parties: { role: string; kind: string; name: string; idNumber: string | null; creditCode: string | null }[];
  sessions: { startsAt: string; place: string; outcome: string | null }[];
}

/**
 * The outside boundary: a court's online confirmation system (e.g. a province's 移动微法院 or the
 * court's 诉调对接 platform). `file` hands the package over inside the case's transaction and
 * answers the court's reference; the ruling comes back later, recorded by the court liaison (or,
 * with a real court system, by its callback through the same `record-ruling` action).
 */
export interface CourtGateway {
  readonly name: string;
  file(tx: Queryable, disputeId: string, pkg: CourtPackage, now: Date): Promise<{ reference: string }>;
}

/**
 * The local court: nothing leaves the machine; the filing is kept in `court_filing` with a
 * reference in the courts' style (（2026）粤0311司确123456号 is the ruling's; the filing is
 * `SQ-2026-…`), and the court liaison records the ruling by hand.
 */
export function createLocalCourtGateway(): CourtGateway {
  return {
    name: 'local',
    async file(tx, disputeId, pkg, now) {
      const reference = `SQ-${chinaYearOf(now)}-${String(randomInt(0, 1e8)).padStart(8, '0')}`;
      await createCaseRecords(tx).fileWithCourt({ reference, disputeId, package: pkg, now });
      return { reference };
    },
  };
}
