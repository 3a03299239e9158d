import type { Queryable } from '../../db/db.ts';
import type { AppealStatus } from '../appeals/appeals.types.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  ratePerMinute: number;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** One appeal as the public Open311 feed sees it: no contact data is ever selected. */
export interface FeedRow {
  id: string;
  status: AppealStatus;
  channel: string;
  content: string;
  categoryCode: string;
  categoryName: string;
  acceptDays: number | null;
  finishDays: number | null;
  assignedOrgName: string | null;
  stationCode: string | null;
  /** The public place: the station, else the grid, else the area the appeal was placed in. */
  placeName: string;
  publicConsent: boolean;
  lat: number | null;
  lng: number | null;
  address: string | null;
  mergedInto: string | null;
  submittedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  finishDueAt: Date | null;
  addressString: string | null;
  addressId: string | null;
  mediaUrl: string | null;
}

export interface FeedFilter {
  kinds: readonly string[];
  ids: string[] | null;
  serviceCodes: string[] | null;
  closed: boolean | null;
  requested: { from: Date; to: Date } | null;
  updatedAfter: Date | null;
  limit: number;
  offset: number;
}

/** A step of an appeal's journal that may become public (the caller decides which actions). */
export interface StepRow {
  appealId: string;
  action: string;
  data: Record<string, unknown>;
  at: Date;
}

const KEY_COLUMNS = `id, name, key_prefix AS "keyPrefix", rate_per_minute AS "ratePerMinute",
  created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** Final states, shown as `closed`; every other state is `open`. */
const CLOSED_STATES = `('closed', 'rejected', 'merged')`;

/**
 * The only SQL of the Open311 module. It writes its own two tables, and reads the appeals
 * module's table and the journal as a public report — like the stats module, it never writes them
 * (appeals enter only through the appeals intake).
 */
export function createOpen311Repository(db: Queryable) {
  return {
    insertKey: async (key: {
      name: string;
      keyHash: string;
      keyPrefix: string;
      ratePerMinute: number;
      now: Date;
    }) =>
      (await db.one<ApiKeyRow>(
        `INSERT INTO open311_api_key (name, key_hash, key_prefix, rate_per_minute, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY_COLUMNS}`,
        [key.name, key.keyHash, key.keyPrefix, key.ratePerMinute, key.now],
      ))!,

    keyByHash: (keyHash: string) =>
      db.one<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM open311_api_key WHERE key_hash = $1`, [keyHash]),

    liveKeyByName: (name: string) =>
      db.one<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM open311_api_key WHERE name = $1 AND revoked_at IS NULL`, [
        name,
      ]),

    liveKeyById: (id: string) =>
      db.one<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM open311_api_key WHERE id = $1 AND revoked_at IS NULL`, [
        id,
      ]),

    keys: () => db.many<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM open311_api_key ORDER BY created_at, name`),

    revokeKey: (id: string, now: Date) =>
      db.one<ApiKeyRow>(
        `UPDATE open311_api_key SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${KEY_COLUMNS}`,
        [id, now],
      ),

    touchKey: (id: string, now: Date) =>
      db.query('UPDATE open311_api_key SET last_used_at = $2 WHERE id = $1', [id, now]),

    insertRequest: (row: {
      appealId: string;
      apiKeyId: string;
      addressString: string | null;
      addressId: string | null;
      mediaUrl: string | null;
      emailEnc: string | null;
      deviceHmac: string | null;
      accountHmac: string | null;
      now: Date;
    }) =>
      db.query(
        `INSERT INTO open311_request (appeal_id, api_key_id, address_string, address_id, media_url, email_enc,
           device_hmac, account_hmac, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.appealId,
          row.apiKeyId,
          row.addressString,
          row.addressId,
          row.mediaUrl,
          row.emailEnc,
          row.deviceHmac,
          row.accountHmac,
          row.now,
        ],
      ),

    /**
     * Requests of the published kinds, newest first — or, when polling with `updatedAfter`, oldest
     * change first so a client can page forward through what changed.
     */
    feed(filter: FeedFilter) {
      const params: unknown[] = [filter.kinds];
      const where = ['c.kind = ANY ($1::text[])', 'a.accused_org_id IS NULL'];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (filter.ids) add('a.id = ANY (?::uuid[])', filter.ids);
      if (filter.serviceCodes) add('c.code = ANY (?::text[])', filter.serviceCodes);
      if (filter.closed !== null) where.push(`a.status ${filter.closed ? '' : 'NOT '}IN ${CLOSED_STATES}`);
      if (filter.requested) {
        add('a.submitted_at >= ?', filter.requested.from);
        add('a.submitted_at <= ?', filter.requested.to);
      }
      if (filter.updatedAfter) add('a.updated_at > ?', filter.updatedAfter);
      const order = filter.updatedAfter ? 'a.updated_at, a.id' : 'a.submitted_at DESC, a.id DESC';
      params.push(filter.limit, filter.offset);
      return db.many<FeedRow>(
        `SELECT a.id, a.status, a.channel, a.content, c.code AS "categoryCode", c.name AS "categoryName",
           c.accept_days AS "acceptDays", c.finish_days AS "finishDays", ao.name AS "assignedOrgName",
           st.code AS "stationCode", COALESCE(st.name, g.name, o.name) AS "placeName",
           a.public_consent AS "publicConsent", a.lat, a.lng, a.address, a.merged_into AS "mergedInto",
           a.submitted_at AS "submittedAt", a.updated_at AS "updatedAt", a.closed_at AS "closedAt",
           a.finish_due_at AS "finishDueAt", r.address_string AS "addressString", r.address_id AS "addressId",
           r.media_url AS "mediaUrl"
         FROM appeal a
         JOIN category c ON c.id = a.category_id
         LEFT JOIN org_unit ao ON ao.id = a.assigned_org_id
         LEFT JOIN org_unit st ON st.id = a.station_id
         LEFT JOIN org_unit g ON g.id = a.grid_id
         JOIN org_unit o ON o.id = a.org_id
         LEFT JOIN open311_request r ON r.appeal_id = a.id
         WHERE ${where.join(' AND ')}
         ORDER BY ${order}
         LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params as never,
      );
    },

    /** The journal steps of some appeals with the given actions, oldest first (or only the latest). */
    steps(appealIds: string[], actions: string[], latestOnly: boolean) {
      if (!appealIds.length) return Promise.resolve([] as StepRow[]);
      const streams = appealIds.map((id) => `appeal:${id}`);
      return db.many<StepRow>(
        `SELECT ${latestOnly ? 'DISTINCT ON (stream)' : ''} substring(stream FROM 8) AS "appealId", action, data, at
         FROM journal WHERE stream = ANY ($1::text[]) AND action = ANY ($2::text[])
         ORDER BY stream, seq ${latestOnly ? 'DESC' : ''}`,
        [streams, actions],
      );
    },
  };
}
export type Open311Repository = ReturnType<typeof createOpen311Repository>;
