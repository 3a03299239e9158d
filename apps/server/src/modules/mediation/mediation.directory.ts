import type { DisputeKind, DisputeStatus, SessionCalendarQuery } from '@doorstep/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaMidnightOf } from '../../platform/calendar/index.ts';
import { errors } from '../../platform/errors.ts';
import { viewerOf } from './mediation.actions.ts';
import type { MediationDeps } from './mediation.ports.ts';
import { createCaseRecords } from './mediation.records.repository.ts';

const DAY_MS = 86_400_000;
/** The longest period the sessions calendar answers for: two months. */
const CALENDAR_MAX_DAYS = 62;

/**
 * The people and places of mediation: the register of mediators, the rooms (an online one is a
 * 在线司法确认室) and the sessions calendar across cases.
 */
export function createMediationDirectory(deps: Pick<MediationDeps, 'db' | 'journal' | 'clock'>) {
  const { db, journal, clock } = deps;
  const records = createCaseRecords(db);
  return {
    /** The register of mediators serving the caller's area (the assign dialog). */
    async mediators(actor: Actor) {
      const rows = await records.mediators(actor.orgPath);
      return {
        items: rows.map((m) => ({
          userId: m.userId,
          displayName: m.displayName,
          orgId: m.orgId,
          orgName: m.orgName,
          kind: m.kind,
          speciality: m.speciality,
          certificateNumber: m.certificateNumber,
        })),
      };
    },

    rooms: (actor: Actor) => records.rooms(actor.orgPath).then((items) => ({ items })),

    /** 调解日程: the sessions of the cases the caller reaches, day `from` to day `to` (China time). */
    async sessionCalendar(actor: Actor, query: SessionCalendarQuery) {
      const from = chinaMidnightOf(query.from);
      const to = new Date(chinaMidnightOf(query.to).getTime() + DAY_MS);
      if (to <= from) throw errors.validation('the period ends before it starts');
      if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * DAY_MS)
        throw errors.validation(`a calendar shows at most ${CALENDAR_MAX_DAYS} days`);
      const rows = await records.sessionsBetween(viewerOf(actor), from, to, query.mine ?? false);
      return {
        items: rows.map(({ recordedAt, startsAt, ...row }) => ({
          ...row,
          kind: row.kind as DisputeKind,
          status: row.status as DisputeStatus,
          startsAt: startsAt.toISOString(),
          recorded: recordedAt !== null,
        })),
      };
    },

    /** Puts a user on the register of mediators (the demo seed and operators' tools). */
    async registerMediator(entry: {
      userId: string;
      orgId: number;
      kind: 'mediator' | 'peacemaker' | 'legal_adviser';
      speciality?: string;
      certificateNumber?: string;
    }) {
      await db.transaction(async (tx) => {
        await createCaseRecords(tx).register({
          userId: entry.userId,
          orgId: entry.orgId,
          kind: entry.kind,
          speciality: entry.speciality ?? null,
          certificateNumber: entry.certificateNumber ?? null,
          now: clock.now(),
        });
        await journal.append(tx, {
          stream: 'mediation:register',
          action: 'mediation.register_mediator',
          subjectType: 'user',
          subjectId: entry.userId,
          data: { orgId: entry.orgId, kind: entry.kind },
        });
      });
    },

    /** Adds a room for sessions to a unit (an online one is a 在线司法确认室). */
    addRoom: (room: { orgId: number; name: string; online: boolean }) =>
      db.transaction((tx) => createCaseRecords(tx).insertRoom(room)),
  };
}
