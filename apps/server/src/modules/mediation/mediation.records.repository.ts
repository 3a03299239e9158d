import type { Queryable } from '../../db/db.ts';
import { scopeClause, type Viewer } from './mediation.repository.ts';
import type { AgreementRow, PaymentRow, SessionRow } from './mediation.types.ts';

/** A session on the calendar: when, where, and which case. */
export interface CalendarSessionRow {
  id: string;
  disputeId: string;
  caseNumber: string;
  kind: string;
  status: string;
  startsAt: Date;
  place: string;
  online: boolean;
  roomId: number | null;
  roomName: string | null;
  outcome: 'continue' | 'agreed' | 'failed' | null;
  recordedAt: Date | null;
  mediatorName: string | null;
}

const SESSION_COLUMNS = `id, dispute_id AS "disputeId", starts_at AS "startsAt", place, online, room_id AS "roomId",
  participants, outcome, attendance, notes, recorded_at AS "recordedAt"`;
const PAYMENT_COLUMNS = `id, dispute_id AS "disputeId", seq, amount::float8 AS amount, to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
  paid_amount::float8 AS "paidAmount", paid_at AS "paidAt"`;

/** How long a session holds its room: a booking that starts within this of another clashes. */
const ROOM_SLOT_MS = 2 * 3600_000;

export interface MediatorRow {
  userId: string;
  displayName: string;
  orgId: number;
  orgName: string;
  orgPath: string;
  kind: 'mediator' | 'peacemaker' | 'legal_adviser';
  speciality: string | null;
  certificateNumber: string | null;
  roles: string[];
  active: boolean;
}
const MEDIATOR_COLUMNS = `r.user_id AS "userId", u.display_name AS "displayName", r.org_id AS "orgId", o.name AS "orgName",
  o.path AS "orgPath", r.kind, r.speciality, r.certificate_number AS "certificateNumber", u.roles,
  (r.active AND u.disabled_at IS NULL) AS active`;
const MEDIATOR_FROM =
  'mediator_register r JOIN app_user u ON u.id = r.user_id JOIN org_unit o ON o.id = r.org_id';

/** The SQL of a case's sessions, agreement, payments, the mediator register, rooms and court filings. */
export function createCaseRecords(db: Queryable) {
  return {
    sessions: (disputeId: string) =>
      db.many<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM dispute_session WHERE dispute_id = $1 ORDER BY starts_at, id`,
        [disputeId],
      ),

    session: (disputeId: string, sessionId: string) =>
      db.one<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM dispute_session WHERE dispute_id = $1 AND id = $2::uuid`,
        [disputeId, sessionId],
      ),

    async insertSession(s: {
      disputeId: string;
      startsAt: Date;
      place: string;
      online: boolean;
      roomId: number | null;
      participants: string[];
      scheduledBy: string | null;
      now: Date;
    }): Promise<string> {
      const row = await db.one<{ id: string }>(
        `INSERT INTO dispute_session (dispute_id, starts_at, place, online, room_id, participants, scheduled_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [s.disputeId, s.startsAt, s.place, s.online, s.roomId, s.participants, s.scheduledBy, s.now],
      );
      return row!.id;
    },

    recordSession: (
      sessionId: string,
      r: { outcome: string; notes: string; attendance: string[]; by: string | null; now: Date },
    ) =>
      db.query(
        `UPDATE dispute_session SET outcome = $2, notes = $3, attendance = $4, recorded_by = $5, recorded_at = $6
         WHERE id = $1`,
        [sessionId, r.outcome, r.notes, r.attendance, r.by, r.now],
      ),

    /** The room, locked so two bookings of one slot cannot both pass the clash check. */
    room: (roomId: number) =>
      db.one<{ id: number; orgId: number; orgPath: string; name: string; online: boolean }>(
        `SELECT r.id, r.org_id AS "orgId", o.path AS "orgPath", r.name, r.online
           FROM mediation_room r JOIN org_unit o ON o.id = r.org_id WHERE r.id = $1 FOR UPDATE OF r`,
        [roomId],
      ),

    /** Sessions of the cases the viewer reaches, starting in [from, to), earliest first (the calendar). */
    sessionsBetween(viewer: Viewer, from: Date, to: Date, mine: boolean) {
      const params: unknown[] = [];
      const scope = scopeClause(viewer, mine, params);
      params.push(from, to);
      return db.many<CalendarSessionRow>(
        `SELECT s.id, s.dispute_id AS "disputeId", d.case_number AS "caseNumber", d.kind, d.status,
           s.starts_at AS "startsAt", s.place, s.online, s.room_id AS "roomId", r.name AS "roomName",
           s.outcome, s.recorded_at AS "recordedAt", m.display_name AS "mediatorName"
         FROM dispute_session s JOIN dispute d ON d.id = s.dispute_id
           LEFT JOIN mediation_room r ON r.id = s.room_id LEFT JOIN app_user m ON m.id = d.mediator_id
         WHERE ${scope} AND s.starts_at >= $${params.length - 1} AND s.starts_at < $${params.length}
         ORDER BY s.starts_at, s.id LIMIT 1000`,
        params as never,
      );
    },

    async roomClash(roomId: number, startsAt: Date): Promise<boolean> {
      const row = await db.one<{ clash: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM dispute_session WHERE room_id = $1
           AND starts_at > $2 AND starts_at < $3) AS clash`,
        [roomId, new Date(startsAt.getTime() - ROOM_SLOT_MS), new Date(startsAt.getTime() + ROOM_SLOT_MS)],
      );
      return row!.clash;
    },

    rooms: (scopePath: string) =>
      db.many<{ id: number; orgId: number; orgName: string; name: string; online: boolean }>(
        `SELECT r.id, r.org_id AS "orgId", o.name AS "orgName", r.name, r.online
           FROM mediation_room r JOIN org_unit o ON o.id = r.org_id
          WHERE starts_with(o.path, $1) ORDER BY o.path, r.name`,
        [scopePath],
      ),

    insertRoom: (r: { orgId: number; name: string; online: boolean }) =>
      db.query(
        'INSERT INTO mediation_room (org_id, name, online) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [r.orgId, r.name, r.online],
      ),

    agreement: (disputeId: string) =>
      db.one<AgreementRow>(
        `SELECT dispute_id AS "disputeId", terms, total_amount::float8 AS "totalAmount", agreed_at AS "agreedAt",
           effective_at AS "effectiveAt" FROM dispute_agreement WHERE dispute_id = $1`,
        [disputeId],
      ),

    insertAgreement: (a: {
      disputeId: string;
      terms: string;
      totalAmount: number;
      by: string | null;
      now: Date;
    }) =>
      db.query(
        `INSERT INTO dispute_agreement (dispute_id, terms, total_amount, agreed_at, agreed_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [a.disputeId, a.terms, a.totalAmount, a.now, a.by],
      ),

    makeEffective: (disputeId: string, at: Date) =>
      db.query(
        'UPDATE dispute_agreement SET effective_at = $2 WHERE dispute_id = $1 AND effective_at IS NULL',
        [disputeId, at],
      ),

    payments: (disputeId: string) =>
      db.many<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS} FROM dispute_payment WHERE dispute_id = $1 ORDER BY seq`,
        [disputeId],
      ),

    async insertPayment(p: {
      disputeId: string;
      seq: number;
      amount: number;
      dueDate: string;
    }): Promise<string> {
      const row = await db.one<{ id: string }>(
        'INSERT INTO dispute_payment (dispute_id, seq, amount, due_date) VALUES ($1, $2, $3, $4::date) RETURNING id',
        [p.disputeId, p.seq, p.amount, p.dueDate],
      );
      return row!.id;
    },

    /** Adds to what a payment has received; marks it paid once it has received its amount. */
    recordPayment: (paymentId: string, amount: number, paidAt: Date) =>
      db.query(
        `UPDATE dispute_payment SET paid_amount = paid_amount + $2,
           paid_at = CASE WHEN paid_amount + $2 >= amount THEN $3 ELSE paid_at END
         WHERE id = $1`,
        [paymentId, amount, paidAt],
      ),

    paymentById: (paymentId: string) =>
      db.one<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM dispute_payment WHERE id = $1::uuid FOR UPDATE`, [
        paymentId,
      ]),

    markReminded: (paymentId: string, now: Date) =>
      db.query('UPDATE dispute_payment SET reminded_at = $2 WHERE id = $1', [paymentId, now]),

    mediator: (userId: string) =>
      db.one<MediatorRow>(`SELECT ${MEDIATOR_COLUMNS} FROM ${MEDIATOR_FROM} WHERE r.user_id = $1::uuid`, [
        userId,
      ]),

    /** The register of the viewer's area, and of the units above it that serve it. */
    mediators: (scopePath: string) =>
      db.many<MediatorRow>(
        `SELECT ${MEDIATOR_COLUMNS} FROM ${MEDIATOR_FROM}
          WHERE r.active AND (starts_with(o.path, $1) OR starts_with($1, o.path)) ORDER BY o.path, u.display_name`,
        [scopePath],
      ),

    register: (r: {
      userId: string;
      orgId: number;
      kind: string;
      speciality: string | null;
      certificateNumber: string | null;
      now: Date;
    }) =>
      db.query(
        `INSERT INTO mediator_register (user_id, org_id, kind, speciality, certificate_number, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET org_id = $2, kind = $3, speciality = $4, certificate_number = $5,
           active = true`,
        [r.userId, r.orgId, r.kind, r.speciality, r.certificateNumber, r.now],
      ),

    fileWithCourt: (f: { reference: string; disputeId: string; package: unknown; now: Date }) =>
      db.query(
        'INSERT INTO court_filing (reference, dispute_id, package, filed_at) VALUES ($1, $2, $3::jsonb, $4)',
        [f.reference, f.disputeId, JSON.stringify(f.package), f.now],
      ),

    countFilings: async () => (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM court_filing'))!.n,
  };
}
