import { OPEN_STATUSES } from '@doorstep/contracts';
import type { Queryable } from '../../db/db.ts';
import type { AppealRow, AppealStatus, StoredTriage } from './appeals.types.ts';

const COLUMNS = `a.id, a.tracking_code AS "trackingCode", a.channel, a.category_id AS "categoryId",
  c.name AS "categoryName", c.code AS "categoryCode", a.title, a.content, a.status,
  a.escalation_level AS "escalationLevel", a.urgency, a.org_id AS "orgId", a.org_path AS "orgPath", o.name AS "orgName",
  a.station_id AS "stationId", a.grid_id AS "gridId", a.lat, a.lng, a.address,
  a.assigned_org_id AS "assignedOrgId", a.assigned_org_path AS "assignedOrgPath", ao.name AS "assignedOrgName",
  a.co_handler_org_ids AS "coHandlerOrgIds", a.claimed_by AS "claimedBy",
  a.accused_org_id AS "accusedOrgId", a.accused_org_path AS "accusedOrgPath", a.anonymous,
  a.contact_name_enc AS "contactNameEnc", a.contact_phone_enc AS "contactPhoneEnc", a.rating_token_enc AS "ratingTokenEnc", a.submitted_by AS "submittedBy",
  a.attributes, a.accept_due_at AS "acceptDueAt", a.finish_due_at AS "finishDueAt", a.extension_days AS "extensionDays",
  a.pending_extension AS "pendingExtension", a.overdue, a.supervised, a.reminder_count AS "reminderCount",
  a.merged_into AS "mergedInto", a.rating, a.rating_comment AS "ratingComment", a.reopen_count AS "reopenCount",
  a.return_count AS "returnCount", a.resolution_summary AS "resolutionSummary", a.idempotency_hash AS "idempotencyHash",
  a.version, a.submitted_at AS "submittedAt", a.accepted_at AS "acceptedAt", a.dispatched_at AS "dispatchedAt",
  a.claimed_at AS "claimedAt", a.resolved_at AS "resolvedAt", a.closed_at AS "closedAt", a.updated_at AS "updatedAt",
  a.triage, a.complex_at AS "complexAt", a.complex_reason AS "complexReason",
  a.assigned_user_id AS "assignedUserId", au.display_name AS "assignedUserName", a.patrol_id AS "patrolId"`;
const FROM = `appeal a JOIN org_unit o ON o.id = a.org_id
  LEFT JOIN org_unit ao ON ao.id = a.assigned_org_id
  LEFT JOIN app_user au ON au.id = a.assigned_user_id
  LEFT JOIN category c ON c.id = a.category_id`;

/** The actor's relations to one appeal, computed in the query that reads it. */
const RELATIONS = `starts_with(a.org_path, $2) AS "inArea",
  (a.assigned_org_path IS NOT NULL AND starts_with(a.assigned_org_path, $2))
    OR COALESCE(a.assigned_user_id = $3::uuid, false)
    OR EXISTS (SELECT 1 FROM org_unit h WHERE h.id = ANY (a.co_handler_org_ids) AND starts_with(h.path, $2)) AS "isAssigned",
  EXISTS (SELECT 1 FROM summons s JOIN coordination_notice n ON n.id = s.notice_id
          WHERE n.appeal_id = a.id AND starts_with(s.org_path, $2)) AS "isSummoned",
  (a.assigned_org_path IS NOT NULL AND starts_with($2, a.assigned_org_path)) AS "holdsWork"`;

/** Who reads an appeal: their unit's path, and who they are (a named worker reaches their case). */
export interface AppealViewer {
  orgPath: string;
  userId: string | null;
}

export interface AppealAccess {
  inArea: boolean;
  isAssigned: boolean;
  isSummoned: boolean;
  /** The actor's unit is the unit given the work, or inside it (not merely above it). */
  holdsWork: boolean;
}

/** Database columns that a transition may change, by their service-side names. */
const WRITABLE = {
  status: 'status',
  escalationLevel: 'escalation_level',
  categoryId: 'category_id',
  urgency: 'urgency',
  assignedOrgId: 'assigned_org_id',
  assignedOrgPath: 'assigned_org_path',
  coHandlerOrgIds: 'co_handler_org_ids',
  claimedBy: 'claimed_by',
  acceptDueAt: 'accept_due_at',
  finishDueAt: 'finish_due_at',
  extensionDays: 'extension_days',
  pendingExtension: 'pending_extension',
  overdue: 'overdue',
  supervised: 'supervised',
  reminderCount: 'reminder_count',
  mergedInto: 'merged_into',
  rating: 'rating',
  ratingComment: 'rating_comment',
  ratedAt: 'rated_at',
  reopenCount: 'reopen_count',
  returnCount: 'return_count',
  resolutionSummary: 'resolution_summary',
  acceptedAt: 'accepted_at',
  dispatchedAt: 'dispatched_at',
  claimedAt: 'claimed_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  complexAt: 'complex_at',
  complexReason: 'complex_reason',
  assignedUserId: 'assigned_user_id',
} as const;
/** A change to save; the state, when it changes, is one of the machine's. */
export type AppealPatch = Partial<Record<Exclude<keyof typeof WRITABLE, 'status'>, unknown>> & {
  status?: AppealStatus;
};

export interface NewAppealRow {
  trackingCode: string;
  channel: string;
  categoryId: number | null;
  title: string;
  content: string;
  urgency: string;
  orgId: number;
  orgPath: string;
  stationId: number | null;
  gridId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  accusedOrgId: number | null;
  accusedOrgPath: string | null;
  anonymous: boolean;
  contactNameEnc: string | null;
  contactPhoneEnc: string | null;
  phoneHmac: string | null;
  ratingTokenEnc: string | null;
  publicConsent: boolean;
  /** When the resident agreed to the personal-information notice (null: not asked on this channel). */
  privacyConsentAt: Date | null;
  /** The patrol a finding was reported on (channel patrol, the reporter on an open patrol). */
  patrolId?: string | null;
  /** What the intake's triage found (modules/triage), when it ran. */
  triage?: StoredTriage | null;
  submittedBy: string | null;
  attributes: Record<string, unknown>;
  acceptDueAt: Date | null;
  idempotencyKey: string | null;
  idempotencyHash: string | null;
  now: Date;
}

export interface AppealListFilter {
  scopePath: string;
  /** The viewer: what is named for them (指派) is in their reach wherever their unit sits. */
  viewerUserId?: string | null;
  status?: readonly AppealStatus[];
  categoryId?: number;
  orgId?: number;
  channel?: string;
  overdue?: boolean;
  dueBefore?: Date;
  escalationLevel?: number;
  /** Only what was named for this person (指派). */
  assignedUserId?: string;
  complex?: boolean;
  from?: Date;
  to?: Date;
  q?: string;
  /** submitted: newest first (default); due: finish deadline soonest first, those with one only. */
  sort?: 'submitted' | 'due';
  /** The keyset of the last row of the previous page: its sort time and id. */
  after?: { at: Date; id: string };
  limit: number;
}

/** Counting stops here: past it the list says "more than 10,000" (a count is a scan). */
export const COUNT_CAP = 10_000;

/** The WHERE of a list query, its parameters numbered from $1 (the scope path). */
function listConditions(filter: Omit<AppealListFilter, 'after' | 'limit'>) {
  const params: unknown[] = [filter.scopePath];
  let reach =
    'starts_with(a.org_path, $1) OR (a.assigned_org_path IS NOT NULL AND starts_with(a.assigned_org_path, $1))';
  if (filter.viewerUserId) {
    params.push(filter.viewerUserId);
    reach += ' OR a.assigned_user_id = $2';
  }
  const where = [`(${reach})`];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replaceAll('?', `$${params.length}`));
  };
  if (filter.status?.length) add('a.status = ANY (?::text[])', filter.status);
  if (filter.categoryId !== undefined) add('a.category_id = ?', filter.categoryId);
  if (filter.orgId !== undefined)
    add('starts_with(a.org_path, (SELECT path FROM org_unit WHERE id = ?))', filter.orgId);
  if (filter.channel) add('a.channel = ?', filter.channel);
  if (filter.overdue !== undefined) add('a.overdue = ?', filter.overdue);
  if (filter.dueBefore) {
    // Due soon matters only while the work is still open.
    add('a.finish_due_at <= ?', filter.dueBefore);
    add('a.status = ANY (?::text[])', OPEN_STATUSES);
  }
  if (filter.escalationLevel !== undefined) add('a.escalation_level >= ?', filter.escalationLevel);
  if (filter.assignedUserId) add('a.assigned_user_id = ?', filter.assignedUserId);
  if (filter.complex !== undefined)
    where.push(filter.complex ? 'a.complex_at IS NOT NULL' : 'a.complex_at IS NULL');
  if (filter.from) add('a.submitted_at >= ?', filter.from);
  if (filter.to) add('a.submitted_at < ?', filter.to);
  const masked = filter.q ? MASKED_CODE.exec(filter.q.trim()) : null;
  // A masked code as staff see it (7KQ4-****-3R) finds its appeal too: 30^4 codes share the
  // mask, and within one district's scope that is one appeal.
  if (masked) add('a.tracking_code LIKE ?', `${masked[1]!.toUpperCase()}-____-${masked[2]!.toUpperCase()}`);
  else if (filter.q)
    add("((a.title || ' ' || a.content) LIKE '%' || ? || '%' OR a.tracking_code = upper(?))", filter.q);
  if (filter.sort === 'due') where.push('a.finish_due_at IS NOT NULL');
  return { where, params };
}

const MASKED_CODE = /^([0-9A-Za-z]{4})-\*{4}-([0-9A-Za-z]{2})$/;

export function createAppealRepository(db: Queryable) {
  return {
    async insert(row: NewAppealRow): Promise<string> {
      const inserted = await db.one<{ id: string }>(
        `INSERT INTO appeal (tracking_code, channel, category_id, title, content, status, urgency, org_id, org_path,
           station_id, grid_id, lat, lng, address, accused_org_id, accused_org_path, anonymous, contact_name_enc,
           contact_phone_enc, phone_hmac, submitted_by, attributes, accept_due_at, idempotency_key, idempotency_hash,
           submitted_at, updated_at, rating_token_enc, public_consent, triage, privacy_consent_at, patrol_id)
         VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
           $21, $22, $23, $24, $25, $25, $26, $27, $28, $29, $30)
         RETURNING id`,
        [
          row.trackingCode,
          row.channel,
          row.categoryId,
          row.title,
          row.content,
          row.urgency,
          row.orgId,
          row.orgPath,
          row.stationId,
          row.gridId,
          row.lat,
          row.lng,
          row.address,
          row.accusedOrgId,
          row.accusedOrgPath,
          row.anonymous,
          row.contactNameEnc,
          row.contactPhoneEnc,
          row.phoneHmac,
          row.submittedBy,
          JSON.stringify(row.attributes),
          row.acceptDueAt,
          row.idempotencyKey,
          row.idempotencyHash,
          row.now,
          row.ratingTokenEnc,
          row.publicConsent,
          row.triage ? JSON.stringify(row.triage) : null,
          row.privacyConsentAt,
          row.patrolId ?? null,
        ],
      );
      return inserted!.id;
    },

    /** The appeals one phone raised (by its HMAC) within a scope, newest first. */
    byPhoneHmac: (phoneHmac: string, scopePath: string, limit: number) =>
      db.many<AppealRow>(
        `SELECT ${COLUMNS} FROM ${FROM}
         WHERE a.phone_hmac = $1
           AND (starts_with(a.org_path, $2) OR (a.assigned_org_path IS NOT NULL AND starts_with(a.assigned_org_path, $2)))
         ORDER BY a.submitted_at DESC LIMIT $3`,
        [phoneHmac, scopePath, limit],
      ),

    findByIdempotencyKey: (key: string) =>
      db.one<AppealRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.idempotency_key = $1`, [key]),

    findById: (id: string) => db.one<AppealRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1`, [id]),

    findByTrackingCode: (code: string) =>
      db.one<AppealRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.tracking_code = $1`, [code]),

    /**
     * The appeal as the actor may see it, with their relations to it; undefined when they have
     * none (not their area, not their work, not summoned). `lock` takes the row for a transition.
     */
    /**
     * The appeal as this viewer reaches it: in their area, given to their unit (or to them by name,
     * 指派: a grid worker named by the community works the community's case), or summoned.
     */
    findForActor: (id: string, viewer: AppealViewer, lock = false) =>
      db.one<AppealRow & AppealAccess>(
        `SELECT * FROM (SELECT ${COLUMNS}, ${RELATIONS} FROM ${FROM} WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}) t
         WHERE "inArea" OR "isAssigned" OR "isSummoned"`,
        [id, viewer.orgPath, viewer.userId],
      ),

    async update(id: string, expectedVersion: number, patch: AppealPatch, now: Date): Promise<boolean> {
      const sets: string[] = [];
      const params: unknown[] = [id, expectedVersion, now];
      for (const [key, value] of Object.entries(patch)) {
        const column = WRITABLE[key as keyof typeof WRITABLE];
        if (!column) throw new Error(`appeal column ${key} is not writable`);
        params.push(
          value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)
            ? JSON.stringify(value)
            : value,
        );
        sets.push(`${column} = $${params.length}`);
      }
      const result = await db.query(
        `UPDATE appeal SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')}
         WHERE id = $1 AND version = $2`,
        params as never,
      );
      return result.rowCount === 1;
    },

    async list(filter: AppealListFilter) {
      const { where, params } = listConditions(filter);
      const due = filter.sort === 'due';
      if (filter.after) {
        params.push(filter.after.at, filter.after.id);
        where.push(
          due
            ? `(a.finish_due_at, a.id) > ($${params.length - 1}, $${params.length}::uuid)`
            : `(a.submitted_at, a.id) < ($${params.length - 1}, $${params.length}::uuid)`,
        );
      }
      params.push(filter.limit);
      return db.many<AppealRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')}
         ORDER BY ${due ? 'a.finish_due_at ASC, a.id ASC' : 'a.submitted_at DESC, a.id DESC'} LIMIT $${params.length}`,
        params as never,
      );
    },

    /** How many appeals the list's filter holds, counted up to COUNT_CAP + 1. */
    async count(filter: Omit<AppealListFilter, 'after' | 'limit'>) {
      const { where, params } = listConditions(filter);
      const row = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM appeal a WHERE ${where.join(' AND ')} LIMIT ${COUNT_CAP + 1}) t`,
        params as never,
      );
      return row?.n ?? 0;
    },

    addAttachments: async (appealId: string, uploadIds: string[], stage: string, now: Date) => {
      for (const uploadId of uploadIds) {
        await db.query(
          `INSERT INTO appeal_attachment (appeal_id, upload_id, stage, added_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [appealId, uploadId, stage, now],
        );
      }
    },

    attachments: (appealId: string) =>
      db.many<{ uploadId: string; stage: string; addedAt: Date }>(
        `SELECT upload_id AS "uploadId", stage, added_at AS "addedAt" FROM appeal_attachment
         WHERE appeal_id = $1 ORDER BY added_at`,
        [appealId],
      ),

    /** Appeals by id still open and within the viewer's scope (the triage's duplicates on a detail). */
    openInScope: (ids: readonly string[], scopePath: string) =>
      ids.length === 0
        ? Promise.resolve([])
        : db.many<{ id: string; trackingCode: string; title: string; status: string; submittedAt: Date }>(
            `SELECT id, tracking_code AS "trackingCode", title, status, submitted_at AS "submittedAt" FROM appeal
              WHERE id = ANY ($1::uuid[]) AND starts_with(org_path, $2)
                AND status NOT IN ('closed', 'rejected', 'merged')`,
            [ids, scopePath],
          ),

    /** The reporters of appeals merged into this one, for the SMS of its progress. */
    mergedRecipients: (id: string) =>
      db.many<Pick<AppealRow, 'id' | 'trackingCode' | 'anonymous' | 'contactPhoneEnc' | 'ratingTokenEnc'>>(
        `SELECT id, tracking_code AS "trackingCode", anonymous, contact_phone_enc AS "contactPhoneEnc",
           rating_token_enc AS "ratingTokenEnc" FROM appeal WHERE merged_into = $1 ORDER BY submitted_at`,
        [id],
      ),

    /**
     * Where dispatchers sent appeals of this category in the area since `since`: the unit holding
     * each (its last dispatch, after any return), most often first. Learning from dispatchers:
     * a unit chosen over the suggestion again and again becomes a suggestion itself.
     */
    dispatchHistory: (categoryId: number, areaPath: string, since: Date) =>
      db.many<{ orgId: number; name: string; level: string; path: string; count: number }>(
        `SELECT o.id AS "orgId", o.name, o.level, o.path, count(*)::int AS count
           FROM appeal a JOIN org_unit o ON o.id = a.assigned_org_id
          WHERE a.category_id = $1 AND a.org_path LIKE $2 || '%' AND a.dispatched_at >= $3
          GROUP BY o.id, o.name, o.level, o.path
          ORDER BY count DESC, o.id
          LIMIT 5`,
        [categoryId, areaPath, since],
      ),

    /** Who took the steps of a timeline: staff display names and unit names, by id. */
    actorNames: async (userIds: string[], orgIds: number[]) => ({
      users: userIds.length
        ? await db.many<{ id: string; name: string }>(
            'SELECT id, display_name AS name FROM app_user WHERE id = ANY ($1::uuid[])',
            [userIds],
          )
        : [],
      orgs: orgIds.length
        ? await db.many<{ id: number; name: string }>(
            'SELECT id, name FROM org_unit WHERE id = ANY ($1::int[])',
            [orgIds],
          )
        : [],
    }),

    mergedChildren: (id: string) =>
      db.many<{ id: string; trackingCode: string }>(
        'SELECT id, tracking_code AS "trackingCode" FROM appeal WHERE merged_into = $1',
        [id],
      ),
  };
}
export type AppealRepository = ReturnType<typeof createAppealRepository>;
