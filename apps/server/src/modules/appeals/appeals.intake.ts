import { createHash } from 'node:crypto';
import type { NewAppeal } from '@doorstep/contracts';
import { canonicalPhone } from '@doorstep/contracts/vocabulary';
import canonicalize from 'canonicalize';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Role } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { type FieldCipher, hmacHex } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { checkAnswers } from '../catalog/index.ts';
import { notifyResident } from './appeals.notify.ts';
import type { AppealDeps, CategoryInfo } from './appeals.ports.ts';
import { createAppealRepository } from './appeals.repository.ts';
import { PUBLIC_CHANNELS } from './appeals.types.ts';
import { newRatingToken, newTrackingCode } from './tracking-code.ts';

/** What intake takes: the route's own contract (the Open311 module builds the same shape). */
export type NewAppealInput = NewAppeal;

/** Who may take an appeal in on a resident's behalf, per staff channel. */
const STAFF_INTAKE: Record<string, readonly Role[]> = {
  hall: ['hall_clerk', 'community_staff', 'station_staff', 'subdistrict_dispatcher', 'district_dispatcher'],
  hotline: ['district_dispatcher', 'subdistrict_dispatcher', 'community_staff'],
  patrol: ['grid_worker', 'station_staff', 'community_staff'],
  snapshot: ['grid_worker', 'station_staff', 'community_staff'],
  import: ['district_dispatcher'],
};

/**
 * The contact number in its canonical form, or a 400 naming the field: a mainland mobile (it gets
 * SMS) or a mainland landline with its area code (staff call it back; it gets no SMS). A foreign
 * number is refused: a premium number abroad is how SMS pumping is paid.
 */
function contactPhone(typed: string | undefined): string | undefined {
  if (!typed?.trim()) return undefined;
  const phone = canonicalPhone(typed);
  if (!phone) {
    throw errors.validation(
      'the contact phone must be a mainland China mobile (11 digits, 1[3-9]…) or a landline with its area code',
      { field: 'contact.phone' },
    );
  }
  return phone.number;
}

/**
 * The answers to the item's questions, checked against its fields (a 400 lists every problem):
 * unknown questions, wrong types and over-long text never reach the database. JSON values become
 * the catalogue's list-of-strings form first; objects and nested lists are not answers. A required
 * question may go unanswered here (unlike Open311): the H5 form insists, but a hotline operator or
 * a grid worker may not know the answer, and the appeal must still be taken in.
 */
function checkedAnswers(category: CategoryInfo | undefined, given: NewAppealInput['attributes']) {
  if (!given || !Object.keys(given).length) return {};
  const problems: string[] = [];
  const asLists: Record<string, string[]> = {};
  for (const [code, value] of Object.entries(given)) {
    if (typeof value === 'string') asLists[code] = [value];
    else if (typeof value === 'number' && Number.isFinite(value)) asLists[code] = [String(value)];
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) asLists[code] = value;
    else problems.push(`attributes.${code.slice(0, 60)} must be text, a number or a list of keys`);
  }
  const optional = (category?.extraFields ?? []).map((field) => ({ ...field, required: false }));
  const checked = checkAnswers(optional, asLists, {
    nameOf: (code) => `attributes.${code}`,
    itemWord: 'item',
    parseDateTime: (raw) => {
      const at = ZONED_DATETIME.test(raw) ? new Date(raw) : null;
      return at && !Number.isNaN(at.getTime()) ? at : null;
    },
  });
  problems.push(...checked.problems);
  if (problems.length) {
    throw errors.validation('the answers to the item’s questions are not valid', {
      field: 'attributes',
      problems,
    });
  }
  return checked.answers;
}

/** ISO 8601 with a zone (Z or ±hh:mm): a time without one means a different moment to each reader. */
const ZONED_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function createAppealIntake(
  deps: AppealDeps & { db: Db; journal: Journal; clock: Clock; cipher: FieldCipher; hmacKey: string },
) {
  const { db, journal, clock, cipher } = deps;
  const repo = createAppealRepository(db);

  function checkChannel(input: NewAppealInput, actor: Actor | null, viaOpen311: boolean) {
    if (viaOpen311 !== (input.channel === 'open311')) {
      throw errors.validation('open311 requests enter through the Open311 endpoint', { field: 'channel' });
    }
    if (viaOpen311 || PUBLIC_CHANNELS.includes(input.channel)) return;
    if (!actor) throw errors.unauthenticated(`the ${input.channel} channel is for staff; please log in`);
    const allowed = STAFF_INTAKE[input.channel] ?? [];
    if (!actor.roles.some((role) => allowed.includes(role))) {
      throw errors.forbidden(`your role cannot take in appeals through the ${input.channel} channel`);
    }
  }

  /** Units that are a place on the map (a desk there takes in what happens there). */
  const AREA_LEVELS = ['subdistrict', 'community', 'station', 'grid'];

  /**
   * A given station decides; else the map pin; else, at a hall, the hall's own unit (a visitor at
   * 光明街道's hall is 光明街道's to handle unless a place says otherwise); else the district dispatcher.
   */
  async function place(input: NewAppealInput, actor: Actor | null) {
    if (input.stationCode) {
      const station = await deps.places.stationByCode(input.stationCode);
      if (station?.level !== 'station') {
        throw errors.unprocessable('unknown_station', 'no station has this code', {
          stationCode: input.stationCode,
        });
      }
      return { area: station, stationId: station.id, gridId: null as number | null };
    }
    if (input.location) {
      const found = await deps.places.locate(input.location.lng, input.location.lat);
      if (found) return found;
    }
    if (input.channel === 'hall' && actor) {
      const hall = await deps.places.byId(actor.orgId);
      if (hall && AREA_LEVELS.includes(hall.level)) return { area: hall, stationId: null, gridId: null };
    }
    return { area: await deps.places.fallbackArea(), stationId: null, gridId: null };
  }

  function requestHash(input: NewAppealInput): string {
    return createHash('sha256')
      .update(canonicalize(input) ?? '')
      .digest('hex');
  }

  return {
    /**
     * Takes an appeal in. With an idempotency key, a retry returns the first appeal and never
     * creates a second; the same key with a different body is refused.
     */
    async submit(
      input: NewAppealInput,
      options: {
        actor: Actor | null;
        idempotencyKey?: string;
        /**
         * Set only by the Open311 module (never from a request body): admits the open311 channel and
         * records what the request carries beyond an appeal, in the appeal's own transaction.
         */
        viaOpen311?: { record(tx: Queryable, appealId: string): Promise<void> };
        /**
         * What a neighbour records with the appeal, in its transaction (the reception desk's visit):
         * both exist or neither does.
         */
        alongside?: { record(tx: Queryable, appealId: string): Promise<void> };
      },
    ) {
      checkChannel(input, options.actor, Boolean(options.viaOpen311));
      const hash = requestHash(input);
      /** The first submission under this key, if any; a different body under it is refused. */
      const replay = async (key: string) => {
        const earlier = await repo.findByIdempotencyKey(key);
        if (earlier && earlier.idempotencyHash !== hash) {
          throw new AppError(
            'idempotency_key_reused',
            422,
            'this Idempotency-Key was used for a different submission',
          );
        }
        return earlier ? { id: earlier.id, replayed: true } : undefined;
      };
      if (options.idempotencyKey) {
        const earlier = await replay(options.idempotencyKey);
        if (earlier) return earlier;
      }
      const category = input.categoryCode ? await deps.categories.findByCode(input.categoryCode) : undefined;
      if (input.categoryCode && !category) {
        throw errors.unprocessable('unknown_category', 'no category has this code', {
          categoryCode: input.categoryCode,
        });
      }
      const attributes = checkedAnswers(category, input.attributes);
      const where = await place(input, options.actor);
      // A finding on patrol keeps the walk it was found on.
      const patrolId =
        input.channel === 'patrol' && options.actor?.userId
          ? ((await deps.patrols?.openOf(options.actor.userId)) ?? null)
          : null;
      const area = where.area;
      const accused = input.accusedOrgId ? await deps.places.byId(input.accusedOrgId) : undefined;
      if (input.accusedOrgId && !accused)
        throw errors.unprocessable('unknown_org', 'the accused unit does not exist');
      const now = clock.now();
      const anonymous = input.anonymous ?? false;
      const phone = anonymous ? undefined : contactPhone(input.contact?.phone);
      const name = anonymous ? undefined : input.contact?.name?.trim();
      // Without a title: the item and the first 20 characters, with … when the text goes on.
      const chars = [...input.content.trim()];
      const title =
        input.title?.trim() ||
        `${category?.name ?? '群众诉求'}：${chars.slice(0, 20).join('')}${chars.length > 20 ? '…' : ''}`;
      const acceptDueAt = deps.calendar.addWorkingDays(now, category?.acceptDays ?? 1);
      const phoneEnc = phone ? cipher.encrypt(phone) : null;
      const actor = options.actor;
      // Before the transaction: the model and the neighbourhood search hold no locks.
      const triage = deps.triage
        ? await deps.triage.forIntake(
            { title: input.title, content: input.content },
            input.location,
            area.path,
          )
        : null;
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const txRepo = createAppealRepository(tx);
            const trackingCode = newTrackingCode();
            const ratingTokenEnc = cipher.encrypt(newRatingToken());
            const id = await txRepo.insert({
              trackingCode,
              channel: input.channel,
              categoryId: category?.id ?? null,
              title,
              content: input.content.trim(),
              urgency: category?.urgency ?? 'normal',
              orgId: area.id,
              orgPath: area.path,
              stationId: where.stationId,
              gridId: where.gridId,
              lat: input.location?.lat ?? null,
              lng: input.location?.lng ?? null,
              address: input.location?.address?.trim() || null,
              accusedOrgId: accused?.id ?? null,
              accusedOrgPath: accused?.path ?? null,
              anonymous,
              contactNameEnc: name ? cipher.encrypt(name) : null,
              contactPhoneEnc: phoneEnc,
              phoneHmac: phone ? hmacHex(deps.hmacKey, phone) : null,
              ratingTokenEnc,
              publicConsent: input.publicConsent ?? false,
              privacyConsentAt: input.privacyConsent ? now : null,
              triage,
              submittedBy: actor?.userId ?? null,
              patrolId,
              attributes,
              acceptDueAt,
              idempotencyKey: options.idempotencyKey ?? null,
              idempotencyHash: options.idempotencyKey ? hash : null,
              now,
            });
            const claimed = input.attachments?.length
              ? await deps.uploads.claimForAppeal(tx, input.attachments, id)
              : [];
            if (input.attachments && claimed.length !== input.attachments.length) {
              throw errors.unprocessable(
                'unknown_upload',
                'an attachment is unknown, too old or already used',
                {
                  attachments: input.attachments.filter((a) => !claimed.includes(a)),
                },
              );
            }
            await txRepo.addAttachments(id, claimed, 'submission', now);
            await journal.append(tx, {
              stream: `appeal:${id}`,
              action: 'appeal.submitted',
              actorId: actor?.userId ?? null,
              actorOrgId: actor?.orgId || null,
              subjectType: 'appeal',
              subjectId: id,
              // No personal data in the journal: it is kept for years and shown to auditors.
              data: {
                channel: input.channel,
                categoryCode: category?.code ?? null,
                orgId: area.id,
                anonymous,
                attachments: claimed.length,
              },
            });
            await options.viaOpen311?.record(tx, id);
            await options.alongside?.record(tx, id);
            await deps.jobs.enqueue(tx, {
              kind: 'appeal.accept_overdue',
              payload: { appealId: id },
              runAt: acceptDueAt,
              dedupeKey: `appeal:${id}:accept_overdue`,
            });
            await notifyResident(
              deps,
              tx,
              { id, trackingCode, anonymous, contactPhoneEnc: phoneEnc, ratingTokenEnc },
              'submitted',
              {},
            );
            await deps.events.publish(tx, { type: 'appeal.created', appealId: id, orgPath: area.path });
            return { id, replayed: false };
          });
        } catch (error) {
          // A tracking-code collision (≈ never) or a racing replay of the same idempotency key.
          if ((error as { code?: string }).code === '23505' && attempt < 3) {
            if (options.idempotencyKey) {
              // The racing request may have had a different body: the same check as above.
              const earlier = await replay(options.idempotencyKey);
              if (earlier) return earlier;
            }
            continue;
          }
          throw error;
        }
      }
    },
  };
}
