import type { Accountability } from '@doorstep/contracts';
import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import {
  type AccountabilityKind,
  type AccountabilityRow,
  createAccountabilityRepository,
} from './accountability.repository.ts';

/** What the appeals module hands over when work goes overdue or is returned again. */
export interface AccountabilityEntry {
  appealId: string;
  kind: AccountabilityKind;
  orgId: number;
  orgPath: string;
  userId: string | null;
  detail: { dueAt?: string | null; supervised: boolean; reminderCount: number; returnCount?: number };
}

function viewOf(row: AccountabilityRow, now: Date): Accountability {
  const detail = row.detail as AccountabilityEntry['detail'];
  const late =
    row.kind === 'overdue' && row.finishDueAt
      ? (row.resolvedAt ?? now).getTime() - row.finishDueAt.getTime()
      : null;
  return {
    id: row.id,
    kind: row.kind,
    appeal: { id: row.appealId, trackingCode: maskTrackingCode(row.trackingCode), title: row.title },
    unit: { id: row.orgId, name: row.orgName },
    person: row.userId ? { id: row.userId, name: row.userName ?? '' } : null,
    hoursLate: late === null ? null : Math.max(0, Math.round(late / 360_000) / 10),
    returnCount: detail.returnCount ?? null,
    supervised: Boolean(detail.supervised),
    reminderCount: detail.reminderCount ?? 0,
    dueAt: detail.dueAt ?? null,
    status: row.status,
    decidedBy: row.decidedByName,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.decisionReason,
    createdAt: row.createdAt.toISOString(),
  };
}

export function createAccountabilityService(deps: { db: Db; journal: Journal; clock: Clock }) {
  const { db, journal, clock } = deps;
  const repo = createAccountabilityRepository(db);

  return {
    /** Called in the appeal's own transaction (the overdue timer, a second return): once per unit and kind. */
    async record(tx: Queryable, entry: AccountabilityEntry): Promise<void> {
      const now = clock.now();
      const added = await createAccountabilityRepository(tx).insert({ ...entry, now });
      if (!added) return;
      await journal.append(tx, {
        stream: `appeal:${entry.appealId}`,
        action: 'appeal.accountability_recorded',
        subjectType: 'appeal',
        subjectId: entry.appealId,
        data: { kind: entry.kind, orgId: entry.orgId, userId: entry.userId },
      });
    },

    async list(actor: Actor, status?: 'open' | 'confirmed' | 'waived', limit = 100) {
      const rows = await repo.list(actor.orgPath, status ?? null, limit);
      const now = clock.now();
      return { items: rows.map((row) => viewOf(row, now)) };
    },

    /** The leader confirms or waives, with a reason; a record is decided once (409 after). */
    async decide(actor: Actor, id: string, decision: 'confirm' | 'waive', reason: string) {
      return db.transaction(async (tx) => {
        const txRepo = createAccountabilityRepository(tx);
        const row = await txRepo.findInScope(id, actor.orgPath, true);
        if (!row) throw errors.notFound('the accountability record', { id });
        if (row.status !== 'open')
          throw errors.conflict('this record is already decided', {
            code: 'already_decided',
            status: row.status,
          });
        const now = clock.now();
        const status = decision === 'confirm' ? 'confirmed' : 'waived';
        await txRepo.decide(id, status, actor.userId!, reason, now);
        await journal.append(tx, {
          stream: `appeal:${row.appealId}`,
          action: `appeal.accountability_${status}`,
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'appeal',
          subjectId: row.appealId,
          data: { recordId: id, kind: row.kind, orgId: row.orgId, reason },
        });
        const after = await txRepo.findInScope(id, actor.orgPath);
        return viewOf(after!, now);
      });
    },
  };
}
export type AccountabilityService = ReturnType<typeof createAccountabilityService>;
