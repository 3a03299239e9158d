import { canonicalMobile, maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { type FieldCipher, hmacHex } from '../../platform/crypto.ts';
import { errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { createPrivacyRepository, type PersonAppealRow } from './privacy.repository.ts';

/** The same normalisation intake applies before hashing (appeals.intake.ts). */
const BATCH = 200;

export interface PrivacyDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  cipher: FieldCipher;
  /** Keys appeal.phone_hmac (the data key as hex, as in intake). */
  hmacKey: string;
}

function personAppeal(row: PersonAppealRow, cipher: FieldCipher) {
  return {
    id: row.id,
    // Masked as everywhere staff look: the officer running the export hands it over, and the
    // resident already holds the code on their receipt.
    trackingCode: maskTrackingCode(row.trackingCode),
    channel: row.channel,
    status: row.status,
    category: row.categoryName,
    area: row.areaName,
    title: row.title,
    content: row.content,
    location:
      row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng, address: row.address } : null,
    contact: {
      name: row.contactNameEnc ? cipher.decrypt(row.contactNameEnc) : null,
      phone: row.contactPhoneEnc ? cipher.decrypt(row.contactPhoneEnc) : null,
    },
    rating: row.rating,
    ratingComment: row.ratingComment,
    photoIds: row.attachments ?? [],
    submittedAt: row.submittedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

/**
 * PIPL duties towards residents: a copy of what is held about a person (art. 45), and erasure of
 * contact data once it is no longer needed (art. 47, 19) — the appeal's substance and its journal
 * stay, because they are the public record of what the government was told and did.
 */
export function createPrivacyService(deps: PrivacyDeps) {
  const { db, journal, clock, cipher } = deps;
  const repo = createPrivacyRepository(db);

  return {
    /** Everything held about one phone number in the actor's subtree, journaled with the reason. */
    async exportPerson(actor: Actor, input: { phone: string; reason: string }) {
      // The same canonical form intake stored and hashed: however the officer types it, it matches.
      const phone = canonicalMobile(input.phone);
      if (!phone) {
        throw errors.validation('the phone must be a mainland China mobile number', { field: 'phone' });
      }
      const reason = input.reason.trim();
      if (!reason) throw errors.validation('state why this person’s data is exported', { field: 'reason' });
      const phoneHmac = hmacHex(deps.hmacKey, phone);
      const rows = await repo.appealsOf(phoneHmac, actor.orgPath);
      const now = clock.now();
      await db.transaction((tx) =>
        journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'people.exported',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'person',
          // Never the number itself: the journal is read by auditors and kept for ever.
          subjectId: phoneHmac.slice(0, 16),
          data: { reason, appeals: rows.length, result: 'ok' },
        }),
      );
      return {
        generatedAt: now.toISOString(),
        subject: { phone },
        appeals: rows.map((row) => personAppeal(row, cipher)),
      };
    },

    /**
     * Blanks the contact of every finished appeal closed more than `retentionDays` ago: on the
     * appeal, its Open311 record and its delivered messages. One transaction per appeal, each
     * with its journal entry; safe to run again (and concurrently: a row is taken only once).
     */
    async anonymiseClosed(options: { retentionDays: number }) {
      if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
        throw errors.validation('the retention period must be a whole number of days', options);
      }
      const now = clock.now();
      const before = new Date(now.getTime() - options.retentionDays * 86_400_000);
      let anonymised = 0;
      for (;;) {
        const due = await repo.dueForAnonymising(before, BATCH);
        for (const { id } of due) {
          const done = await db.transaction(async (tx) => {
            if (!(await createPrivacyRepository(tx).anonymise(id, before, now))) return false;
            await journal.append(tx, {
              stream: `appeal:${id}`,
              action: 'appeal.anonymised',
              actorId: null,
              subjectType: 'appeal',
              subjectId: id,
              data: { retentionDays: options.retentionDays, fields: ['contact'] },
            });
            return true;
          });
          if (done) anonymised++;
        }
        if (due.length < BATCH) break;
      }
      await db.transaction((tx) =>
        journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'privacy.anonymised',
          actorId: null,
          data: {
            retentionDays: options.retentionDays,
            closedBefore: before.toISOString(),
            appeals: anonymised,
          },
        }),
      );
      return { anonymised, closedBefore: before.toISOString() };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
