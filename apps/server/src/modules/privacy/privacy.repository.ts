import type { Queryable } from '../../db/db.ts';

/*
 * Reads and erases across the tables that hold a resident's contact: appeal, open311_request and
 * outbox. A cross-module repository on purpose: erasure must see every copy in one place, and
 * the tables' own modules never need to know about it.
 */

export interface PersonAppealRow {
  id: string;
  trackingCode: string;
  channel: string;
  status: string;
  title: string | null;
  content: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  categoryName: string | null;
  areaName: string;
  contactNameEnc: string | null;
  contactPhoneEnc: string | null;
  rating: string | null;
  ratingComment: string | null;
  submittedAt: Date;
  closedAt: Date | null;
  attachments: string[] | null;
}

/** States after which nothing more happens to an appeal (short of a reopen). */
export const FINISHED_STATUSES = ['closed', 'rejected', 'merged'];

export function createPrivacyRepository(db: Queryable) {
  return {
    /** The appeals of one phone number (by its HMAC) in an org subtree, oldest first. */
    appealsOf: (phoneHmac: string, scopePath: string) =>
      db.many<PersonAppealRow>(
        `SELECT a.id, a.tracking_code AS "trackingCode", a.channel, a.status, a.title, a.content, a.address,
           a.lat, a.lng, c.name AS "categoryName", o.name AS "areaName",
           a.contact_name_enc AS "contactNameEnc", a.contact_phone_enc AS "contactPhoneEnc",
           a.rating, a.rating_comment AS "ratingComment", a.submitted_at AS "submittedAt", a.closed_at AS "closedAt",
           (SELECT array_agg(t.upload_id::text ORDER BY t.added_at) FROM appeal_attachment t
             WHERE t.appeal_id = a.id AND t.stage = 'submission') AS attachments
         FROM appeal a JOIN org_unit o ON o.id = a.org_id LEFT JOIN category c ON c.id = a.category_id
         WHERE a.phone_hmac = $1 AND starts_with(a.org_path, $2)
         ORDER BY a.submitted_at, a.id`,
        [phoneHmac, scopePath],
      ),

    /** Finished appeals closed before a moment whose contact is still held, oldest first. */
    dueForAnonymising: (before: Date, limit: number) =>
      db.many<{ id: string }>(
        `SELECT id FROM appeal
         WHERE anonymised_at IS NULL AND closed_at IS NOT NULL AND closed_at < $1 AND status = ANY ($2::text[])
         ORDER BY closed_at, id LIMIT $3`,
        [before, FINISHED_STATUSES, limit],
      ),

    /**
     * Erases one appeal's contact everywhere it is copied; only while it is still finished and
     * old enough (a reopen since the listing keeps it). True when it did.
     */
    async anonymise(id: string, before: Date, now: Date): Promise<boolean> {
      const done = await db.query(
        `UPDATE appeal SET contact_name_enc = NULL, contact_phone_enc = NULL, phone_hmac = NULL, anonymised_at = $3
         WHERE id = $1 AND anonymised_at IS NULL AND closed_at < $2 AND status = ANY ($4::text[])`,
        [id, before, now, FINISHED_STATUSES],
      );
      if (done.rowCount !== 1) return false;
      await db.query(
        'UPDATE open311_request SET email_enc = NULL, device_hmac = NULL, account_hmac = NULL WHERE appeal_id = $1',
        [id],
      );
      await db.query(
        `UPDATE outbox SET recipient_enc = NULL, recipient_masked = '（已匿名化）'
         WHERE appeal_id = $1 AND status <> 'pending'`,
        [id],
      );
      return true;
    },
  };
}
