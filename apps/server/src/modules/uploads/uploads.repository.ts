import type { Queryable } from '../../db/db.ts';
import type { UploadContentType } from './uploads.media.ts';

export interface UploadRow {
  id: string;
  blobKey: string;
  contentType: UploadContentType;
  byteSize: number;
  sha256: string;
  width: number | null;
  height: number | null;
  hasLocation: boolean;
  locationKept: boolean;
  lat: number | null;
  lng: number | null;
  uploadedByUser: string | null;
  attachedTo: string | null;
  attachedAt: Date | null;
  createdAt: Date;
}

export interface NewUploadRow {
  blobKey: string;
  contentType: UploadContentType;
  byteSize: number;
  sha256: string;
  width: number | null;
  height: number | null;
  hasLocation: boolean;
  location: { lat: number; lng: number } | null;
  uploadedByUser: string | null;
  uploaderIpHash: string | null;
  createdAt: Date;
}

/** How long an upload waits for an appeal to claim it; after that it is garbage. */
export const CLAIM_WINDOW_MS = 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, blob_key AS "blobKey", content_type AS "contentType", byte_size AS "byteSize", sha256,
  width, height, has_location AS "hasLocation", location_kept AS "locationKept", lat, lng,
  uploaded_by_user AS "uploadedByUser", attached_to AS "attachedTo", attached_at AS "attachedAt",
  created_at AS "createdAt"`;

/**
 * Claims uploads for an appeal, inside the appeal's own transaction: only uploads that no appeal
 * holds yet and that were made within the last 24 hours (CLAIM_WINDOW_MS before `now`). Returns
 * the uploads it claimed, in the order asked; the caller compares with what it asked for and
 * decides whether a missing one is an error. Locks the rows, so two appeals racing for the same
 * upload cannot both get it.
 */
export async function claimForAppeal(
  tx: Queryable,
  uploadIds: readonly string[],
  appealId: string,
  now: Date,
): Promise<UploadRow[]> {
  // A malformed id can name no upload; filtering keeps it from failing the appeal's transaction.
  const ids = uploadIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return [];
  const rows = await tx.many<UploadRow>(
    `UPDATE upload SET attached_to = $2, attached_at = $3, uploader_ip_hash = NULL
     WHERE id = ANY ($1::uuid[]) AND attached_to IS NULL AND created_at > $4
     RETURNING ${COLUMNS}`,
    [ids, appealId, now, new Date(now.getTime() - CLAIM_WINDOW_MS)],
  );
  const order = new Map(uploadIds.map((id, index) => [id, index]));
  return rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** The uploads an appeal holds, oldest first. */
export function listForAppeal(db: Queryable, appealId: string): Promise<UploadRow[]> {
  return db.many<UploadRow>(`SELECT ${COLUMNS} FROM upload WHERE attached_to = $1 ORDER BY created_at, id`, [
    appealId,
  ]);
}

/** How an actor stands to the appeal that holds an upload (see `attachedAccess`). */
export interface AttachedAccess {
  /** The appeal is in the actor's subtree, assigned or co-assigned to it, or summons it. */
  reaches: boolean;
  /** The actor is in the unit the appeal is about (信访工作条例 第46条第5项). */
  accused: boolean;
  /** The stage the upload was added at: `submission` is the resident's own material. */
  stage: string | null;
}

/*
 * The same reach as the appeal's own reads (RELATIONS in appeals.repository.ts: area, assignment,
 * the person named for it, co-handling, summons), asked here so a photo costs one small query rather than a full appeal
 * detail. permission-scope.test.ts checks the photo route against the appeal's scope, so the two
 * rules cannot drift apart unnoticed.
 */
const ATTACHED_ACCESS = `SELECT
  (starts_with(a.org_path, $2)
   OR (a.assigned_org_path IS NOT NULL AND starts_with(a.assigned_org_path, $2))
   OR COALESCE(a.assigned_user_id = $3::uuid, false)
   OR EXISTS (SELECT 1 FROM org_unit h WHERE h.id = ANY (a.co_handler_org_ids) AND starts_with(h.path, $2))
   OR EXISTS (SELECT 1 FROM summons s JOIN coordination_notice n ON n.id = s.notice_id
              WHERE n.appeal_id = a.id AND starts_with(s.org_path, $2))) AS reaches,
  (a.accused_org_path IS NOT NULL AND starts_with($2, a.accused_org_path)) AS accused,
  (SELECT t.stage FROM appeal_attachment t WHERE t.appeal_id = a.id AND t.upload_id = u.id) AS stage
  FROM upload u JOIN appeal a ON a.id = u.attached_to
  WHERE u.id = $1`;

export function createUploadRepository(db: Queryable) {
  return {
    /** The actor's standing towards the appeal holding an upload; null when none holds it. */
    attachedAccess: (id: string, scopePath: string, userId: string | null) =>
      db.one<AttachedAccess>(ATTACHED_ACCESS, [id, scopePath, userId]),

    insert: (row: NewUploadRow) =>
      db.one<UploadRow>(
        `INSERT INTO upload (blob_key, content_type, byte_size, sha256, width, height, has_location,
           location_kept, lat, lng, uploaded_by_user, uploader_ip_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING ${COLUMNS}`,
        [
          row.blobKey,
          row.contentType,
          row.byteSize,
          row.sha256,
          row.width,
          row.height,
          row.hasLocation,
          row.location !== null,
          row.location?.lat ?? null,
          row.location?.lng ?? null,
          row.uploadedByUser,
          row.uploaderIpHash,
          row.createdAt,
        ],
      ) as Promise<UploadRow>,

    findById: (id: string) => db.one<UploadRow>(`SELECT ${COLUMNS} FROM upload WHERE id = $1`, [id]),

    /** Unclaimed uploads from one (hashed) address since a moment: the anonymous quota. */
    countUnclaimedFrom: async (ipHash: string, since: Date) => {
      const row = await db.one<{ count: number }>(
        `SELECT count(*)::int AS count FROM upload
         WHERE uploader_ip_hash = $1 AND attached_to IS NULL AND created_at > $2`,
        [ipHash, since],
      );
      return row?.count ?? 0;
    },

    /** Unclaimed uploads made before a moment, oldest first, for the purge. */
    unclaimedBefore: (before: Date, limit: number) =>
      db.many<{ id: string; blobKey: string }>(
        `SELECT id, blob_key AS "blobKey" FROM upload
         WHERE attached_to IS NULL AND created_at <= $1 ORDER BY created_at LIMIT $2`,
        [before, limit],
      ),

    /** Deletes a row only while it is still unclaimed (an appeal may have claimed it meanwhile). */
    deleteUnclaimed: async (id: string) => {
      const result = await db.query('DELETE FROM upload WHERE id = $1 AND attached_to IS NULL', [id]);
      return result.rowCount > 0;
    },
  };
}
export type UploadRepository = ReturnType<typeof createUploadRepository>;
