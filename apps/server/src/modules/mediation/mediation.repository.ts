import type { DisputeStatus } from '@doorstep/contracts';
import type { Queryable } from '../../db/db.ts';
import type { DisputeAccess, DisputeRow, PartyRow } from './mediation.types.ts';

const COLUMNS = `d.id, d.case_number AS "caseNumber", d.tracking_code AS "trackingCode", d.district_id AS "districtId", d.kind, d.summary, d.status,
  d.tier, d.org_id AS "orgId", d.org_path AS "orgPath", o.name AS "orgName",
  d.accused_org_id AS "accusedOrgId", d.accused_org_path AS "accusedOrgPath", d.appeal_id AS "appealId",
  d.mediator_id AS "mediatorId", m.display_name AS "mediatorName",
  d.amount_claimed::float8 AS "amountClaimed", d.people_involved AS "peopleInvolved",
  d.escalation_level AS "escalationLevel", d.accept_due_at AS "acceptDueAt", d.mediate_due_at AS "mediateDueAt",
  d.extension_days AS "extensionDays", d.overdue, d.failure_reason AS "failureReason", d.advice,
  d.court_reference AS "courtReference", d.court_requested_at AS "courtRequestedAt", d.ruling,
  d.ruling_number AS "rulingNumber", d.ruling_reason AS "rulingReason", d.ruled_at AS "ruledAt",
  d.version, d.registered_at AS "registeredAt", d.accepted_at AS "acceptedAt", d.agreed_at AS "agreedAt",
  d.updated_at AS "updatedAt"`;
const FROM = `dispute d JOIN org_unit o ON o.id = d.org_id LEFT JOIN app_user m ON m.id = d.mediator_id`;

/** $2 the actor's org path, $3 the actor's user id. */
const RELATIONS = `starts_with(d.org_path, $2) AS "inArea",
  (d.mediator_id IS NOT NULL AND d.mediator_id = $3::uuid) AS "isMediator",
  EXISTS (SELECT 1 FROM summons s JOIN coordination_notice n ON n.id = s.notice_id
          WHERE n.subject_type = 'dispute' AND n.subject_id = d.id AND starts_with(s.org_path, $2)) AS "isSummoned"`;

/** Database columns a transition may change, by their service-side names. */
const WRITABLE = {
  status: 'status',
  tier: 'tier',
  orgId: 'org_id',
  orgPath: 'org_path',
  mediatorId: 'mediator_id',
  escalationLevel: 'escalation_level',
  acceptDueAt: 'accept_due_at',
  mediateDueAt: 'mediate_due_at',
  extensionDays: 'extension_days',
  overdue: 'overdue',
  failureReason: 'failure_reason',
  advice: 'advice',
  courtReference: 'court_reference',
  courtRequestedAt: 'court_requested_at',
  ruling: 'ruling',
  rulingNumber: 'ruling_number',
  rulingReason: 'ruling_reason',
  ruledAt: 'ruled_at',
  acceptedAt: 'accepted_at',
  agreedAt: 'agreed_at',
  failedAt: 'failed_at',
  fulfilledAt: 'fulfilled_at',
  closedAt: 'closed_at',
} as const;
export type DisputePatch = Partial<Record<Exclude<keyof typeof WRITABLE, 'status'>, unknown>> & {
  status?: DisputeStatus;
};

/** Who is asking: their subtree and id; a court liaison alone sees only cases filed with the court. */
export interface Viewer {
  orgPath: string;
  userId: string;
  courtOnly: boolean;
  /** A legal adviser works on every case of their area beside its mediator. */
  legalAdviser: boolean;
}

export interface DisputeListFilter {
  viewer: Viewer;
  status?: readonly DisputeStatus[];
  kind?: string;
  orgPath?: string;
  mine?: boolean;
  after?: { registeredAt: Date; id: string };
  limit: number;
}

const PARTY_COLUMNS = `id, dispute_id AS "disputeId", position, role, kind, name_enc AS "nameEnc",
  phone_enc AS "phoneEnc", id_number_enc AS "idNumberEnc", credit_code AS "creditCode",
  reported_in_at AS "reportedInAt", confirm_code_hmac AS "confirmCodeHmac",
  confirm_code_expires_at AS "confirmCodeExpiresAt", confirm_attempts AS "confirmAttempts",
  confirmed_at AS "confirmedAt", confirmed_by AS "confirmedBy"`;

/**
 * The cases a viewer reaches, as a condition on `d` (pushing its parameters): the holding unit's
 * subtree, the cases they mediate, those their unit was summoned to; for a court liaison, the
 * cases of their area filed with the court; with `mine`, only the cases they mediate.
 */
export function scopeClause(viewer: Viewer, mine: boolean, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (viewer.courtOnly)
    return `(starts_with(d.org_path, ${param(viewer.orgPath)}) AND d.court_reference IS NOT NULL)`;
  if (mine) return `d.mediator_id = ${param(viewer.userId)}::uuid`;
  const path = param(viewer.orgPath);
  const user = `${param(viewer.userId)}::uuid`;
  return `(starts_with(d.org_path, ${path}) OR d.mediator_id = ${user} OR EXISTS (SELECT 1 FROM summons s
      JOIN coordination_notice n ON n.id = s.notice_id
     WHERE n.subject_type = 'dispute' AND n.subject_id = d.id AND starts_with(s.org_path, ${path})))`;
}

/** The SQL of dispute cases and their parties; sessions, agreement and payments are in mediation.records.repository.ts. */
export function createDisputeRepository(db: Queryable) {
  return {
    /** Gap-free per district and year: the counter row stays locked until the transaction ends. */
    async nextSeq(districtId: number, year: number): Promise<number> {
      const row = await db.one<{ seq: number }>(
        `INSERT INTO dispute_counter (district_id, year, last_seq) VALUES ($1, $2, 1)
         ON CONFLICT (district_id, year) DO UPDATE SET last_seq = dispute_counter.last_seq + 1
         RETURNING last_seq AS seq`,
        [districtId, year],
      );
      return row!.seq;
    },

    async insert(c: {
      caseNumber: string;
      trackingCode: string;
      districtId: number;
      year: number;
      seq: number;
      kind: string;
      summary: string;
      tier: number;
      orgId: number;
      orgPath: string;
      accusedOrgId: number | null;
      accusedOrgPath: string | null;
      appealId: string | null;
      amountClaimed: number | null;
      peopleInvolved: number | null;
      acceptDueAt: Date;
      registeredBy: string | null;
      now: Date;
    }): Promise<string> {
      const row = await db.one<{ id: string }>(
        `INSERT INTO dispute (case_number, district_id, year, seq, kind, summary, status, tier, org_id, org_path,
           accused_org_id, accused_org_path, appeal_id, amount_claimed, people_involved, accept_due_at,
           registered_by, registered_at, updated_at, tracking_code)
         VALUES ($1, $2, $3, $4, $5, $6, 'registered', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)
         RETURNING id`,
        [
          c.caseNumber,
          c.districtId,
          c.year,
          c.seq,
          c.kind,
          c.summary,
          c.tier,
          c.orgId,
          c.orgPath,
          c.accusedOrgId,
          c.accusedOrgPath,
          c.appealId,
          c.amountClaimed,
          c.peopleInvolved,
          c.acceptDueAt,
          c.registeredBy,
          c.now,
          c.trackingCode,
        ],
      );
      return row!.id;
    },

    async insertParty(p: {
      disputeId: string;
      position: number;
      role: string;
      kind: string;
      nameEnc: string;
      phoneEnc: string | null;
      phoneHmac: string | null;
      idNumberEnc: string | null;
      creditCode: string | null;
    }) {
      await db.query(
        `INSERT INTO dispute_party (dispute_id, position, role, kind, name_enc, phone_enc, phone_hmac,
           id_number_enc, credit_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          p.disputeId,
          p.position,
          p.role,
          p.kind,
          p.nameEnc,
          p.phoneEnc,
          p.phoneHmac,
          p.idNumberEnc,
          p.creditCode,
        ],
      );
    },

    findByAppeal: (appealId: string) =>
      db.one<{ id: string }>('SELECT id FROM dispute WHERE appeal_id = $1::uuid', [appealId]),

    /** The case a party's tracking code opens; locked when `forUpdate` (a party confirming). */
    findByTrackingCode: (code: string, forUpdate = false) =>
      db.one<DisputeRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE d.tracking_code = $1${forUpdate ? ' FOR UPDATE OF d' : ''}`,
        [code],
      ),

    findById: (id: string) =>
      db.one<DisputeRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1::uuid`, [id]),

    /** The case if the viewer may see it, with their relations to it; locked when `forUpdate`. */
    async findForActor(id: string, viewer: Viewer, forUpdate = false) {
      const row = await db.one<DisputeRow & DisputeAccess>(
        `SELECT ${COLUMNS}, ${RELATIONS} FROM ${FROM} WHERE d.id = $1::uuid${forUpdate ? ' FOR UPDATE OF d' : ''}`,
        [id, viewer.orgPath, viewer.userId],
      );
      if (!row) return undefined;
      // A court liaison sees what was filed with the court, and nothing by way of summons.
      if (viewer.courtOnly)
        return row.inArea && row.courtReference !== null ? { ...row, isSummoned: false } : undefined;
      if (viewer.legalAdviser && row.inArea) row.isMediator = true;
      return row.inArea || row.isMediator || row.isSummoned ? row : undefined;
    },

    /** Saves the patch if the case is still at `version`; false when someone changed it first. */
    async update(id: string, version: number, patch: DisputePatch, now: Date): Promise<boolean> {
      const sets: string[] = [];
      const params: unknown[] = [id, version, now];
      for (const [key, value] of Object.entries(patch)) {
        const column = WRITABLE[key as keyof typeof WRITABLE];
        if (!column) throw new Error(`dispute field ${key} is not writable`);
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
      const result = await db.query(
        `UPDATE dispute SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')}
         WHERE id = $1 AND version = $2`,
        params as never,
      );
      return result.rowCount === 1;
    },

    list(filter: DisputeListFilter) {
      const params: unknown[] = [];
      const where = [scopeClause(filter.viewer, filter.mine ?? false, params)];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.status?.length) add('d.status = ANY (?::text[])', filter.status);
      if (filter.kind) add('d.kind = ?', filter.kind);
      if (filter.orgPath) add('starts_with(d.org_path, ?)', filter.orgPath);
      if (filter.after) {
        params.push(filter.after.registeredAt, filter.after.id);
        where.push(`(d.registered_at, d.id) < ($${params.length - 1}, $${params.length}::uuid)`);
      }
      params.push(filter.limit);
      return db.many<DisputeRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')}
         ORDER BY d.registered_at DESC, d.id DESC LIMIT $${params.length}`,
        params as never,
      );
    },

    parties: (disputeId: string) =>
      db.many<PartyRow>(
        `SELECT ${PARTY_COLUMNS} FROM dispute_party WHERE dispute_id = $1 ORDER BY position`,
        [disputeId],
      ),

    updateParty: (
      partyId: string,
      patch: {
        reportedInAt?: Date;
        confirmCodeHmac?: string | null;
        confirmCodeExpiresAt?: Date | null;
        confirmAttempts?: number;
        confirmedAt?: Date;
        confirmedBy?: 'code' | 'signature';
        signatureUploadId?: string;
      },
    ) => {
      const columns: Record<string, string> = {
        reportedInAt: 'reported_in_at',
        confirmCodeHmac: 'confirm_code_hmac',
        confirmCodeExpiresAt: 'confirm_code_expires_at',
        confirmAttempts: 'confirm_attempts',
        confirmedAt: 'confirmed_at',
        confirmedBy: 'confirmed_by',
        signatureUploadId: 'signature_upload_id',
      };
      const entries = Object.entries(patch);
      const sets = entries.map(([key], i) => `${columns[key]} = $${i + 2}`);
      return db.query(`UPDATE dispute_party SET ${sets.join(', ')} WHERE id = $1`, [
        partyId,
        ...entries.map(([, value]) => value),
      ] as never);
    },

    incrementAttempts: (partyId: string) =>
      db.query('UPDATE dispute_party SET confirm_attempts = confirm_attempts + 1 WHERE id = $1', [partyId]),

    /** Open cases past their deadline, for a job that re-reads one case. */
    findOpen: (id: string) =>
      db.one<DisputeRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1::uuid FOR UPDATE OF d`, [id]),
  };
}
