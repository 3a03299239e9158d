import { randomUUID } from 'node:crypto';
import { type AppealStatus, GROUP_VISIT_SIZE, type NewVisit, type VisitCreated } from '@doorstep/contracts';
import { canonicalPhone } from '@doorstep/contracts/vocabulary';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { hmacHex } from '../../platform/crypto.ts';
import { errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { renderReceipt } from './visits.receipt.ts';
import { createVisitRepository } from './visits.repository.ts';

/** How long after the visit its receipt may be printed again (a jammed printer, a second copy). */
const RECEIPT_HOURS = 24;

export interface VisitDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  /** Keys the phone HMAC exactly as intake keys appeal.phone_hmac. */
  hmacKey: string;
  events: {
    publish(tx: Queryable, event: { type: string; orgPath: string; appealId?: string }): Promise<void>;
  };
  appeals: {
    /** Intake, with a record written in the appeal's own transaction. */
    submit(
      input: Record<string, unknown>,
      options: {
        actor: Actor;
        idempotencyKey?: string;
        alongside: { record(tx: Queryable, appealId: string): Promise<void> };
      },
    ): Promise<{ id: string; replayed: boolean }>;
    /** What this phone raised before in the caller's area (masked codes, staff labels). */
    earlierByPhone(
      actor: Actor,
      phoneHmac: string,
    ): Promise<
      {
        id: string;
        trackingCode: string;
        title: string;
        status: AppealStatus;
        statusLabel: string;
        submittedAt: string;
      }[]
    >;
    /** What the receipt and the reply need of the appeal. */
    brief(id: string): Promise<{
      trackingCode: string;
      title: string;
      categoryName: string | null;
      acceptDueAt: Date | null;
    }>;
  };
  staff: {
    findInUnit(userId: string, unitPath: string): Promise<{ id: string; active: boolean } | undefined>;
  };
  /** The district above a unit: the 代办员 comes from it, a 集体访 is told to it. */
  places: { districtOf(path: string): Promise<{ path: string } | undefined> };
}

export function createVisitService(deps: VisitDeps) {
  const { db, journal, clock } = deps;
  const repo = createVisitRepository(db);

  /** The phone in its canonical form, or a 400 naming the field. */
  function phoneOf(typed: string) {
    const phone = canonicalPhone(typed);
    if (!phone) {
      throw errors.validation('the phone must be a mainland mobile or a landline with its area code', {
        field: 'phone',
      });
    }
    return phone;
  }

  return {
    /** What this phone raised before in the desk's area: shown as soon as the clerk types it. */
    async lookup(actor: Actor, typed: string) {
      const earlier = await deps.appeals.earlierByPhone(actor, hmacHex(deps.hmacKey, phoneOf(typed).number));
      return { repeatVisit: earlier.length > 0, previousAppeals: earlier };
    },

    /**
     * Registers a visit and takes its appeal in, in one transaction: the visitor is recognised by
     * their phone (重访 whatever they say), a group of five or more is flagged to the district
     * (集体访), and a 代办员 filing on their behalf is recorded beside the desk clerk.
     */
    async create(actor: Actor, input: NewVisit, idempotencyKey?: string): Promise<VisitCreated> {
      const phone = phoneOf(input.phone);
      const districtPath = (await deps.places.districtOf(actor.orgPath))?.path ?? actor.orgPath;
      if (input.proxyUserId) {
        const proxy = await deps.staff.findInUnit(input.proxyUserId, districtPath);
        if (!proxy?.active) {
          throw errors.unprocessable(
            'unknown_proxy',
            'the 代办员 named is not a staff member of this district',
            {
              proxyUserId: input.proxyUserId,
            },
          );
        }
      }
      const phoneHmac = hmacHex(deps.hmacKey, phone.number);
      const earlier = await deps.appeals.earlierByPhone(actor, phoneHmac);
      const groupVisit = input.groupSize >= GROUP_VISIT_SIZE;
      const visitId = randomUUID();
      const { id: appealId, replayed } = await deps.appeals.submit(
        {
          ...input.appeal,
          channel: 'hall',
          contact: { phone: input.phone, ...(input.name ? { name: input.name } : {}) },
        },
        {
          actor,
          // The visit's key, kept apart from keys a resident's phone sends for its own appeals.
          idempotencyKey: idempotencyKey ? `visit:${actor.userId}:${idempotencyKey}` : undefined,
          alongside: {
            async record(tx, id) {
              const now = clock.now();
              await createVisitRepository(tx).insert({
                id: visitId,
                appealId: id,
                orgId: actor.orgId,
                orgPath: actor.orgPath,
                phoneHmac,
                groupSize: input.groupSize,
                declaredFirstVisit: input.firstVisit ?? null,
                repeatVisit: earlier.length > 0,
                groupVisit,
                idChecked: input.idChecked ?? false,
                receivedBy: actor.userId!,
                proxyUserId: input.proxyUserId ?? null,
                now,
              });
              // No personal data: the journal is kept for years.
              await journal.append(tx, {
                stream: `appeal:${id}`,
                action: groupVisit ? 'visit.group_registered' : 'visit.registered',
                actorId: actor.userId,
                actorOrgId: actor.orgId || null,
                subjectType: 'visit',
                subjectId: visitId,
                data: {
                  groupSize: input.groupSize,
                  repeatVisit: earlier.length > 0,
                  proxyUserId: input.proxyUserId ?? null,
                  idChecked: input.idChecked ?? false,
                },
              });
              // 集体访: every desk of the district hears of it at once, not only the hall's subtree.
              if (groupVisit) {
                await deps.events.publish(tx, { type: 'visit.group', orgPath: districtPath, appealId: id });
              }
            },
          },
        },
      );
      const visit = replayed ? await repo.findByAppeal(appealId) : undefined;
      const brief = await deps.appeals.brief(appealId);
      const shown = earlier.filter((a) => a.id !== appealId);
      return {
        id: visit?.id ?? visitId,
        appealId,
        trackingCode: brief.trackingCode,
        repeatVisit: visit?.repeatVisit ?? shown.length > 0,
        previousAppeals: shown,
        groupVisit: visit?.groupVisit ?? groupVisit,
        acceptDueAt: brief.acceptDueAt?.toISOString() ?? null,
      };
    },

    /**
     * The receipt as a printable page, for the clerk who registered the visit and within a day:
     * it carries the tracking code in full, which staff otherwise never see whole.
     */
    async receipt(actor: Actor, id: string, trackBase: string): Promise<string> {
      const visit = await repo.findInScope(id, actor.orgPath);
      if (!visit) throw errors.notFound('the visit', { id });
      const now = clock.now();
      if (
        visit.receivedBy !== actor.userId ||
        now.getTime() - visit.createdAt.getTime() > RECEIPT_HOURS * 3600_000
      ) {
        throw errors.forbidden('a receipt is printed by the desk that registered the visit, on the day');
      }
      const brief = await deps.appeals.brief(visit.appealId);
      await db.transaction((tx) =>
        journal.append(tx, {
          stream: `appeal:${visit.appealId}`,
          action: 'visit.receipt_printed',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'visit',
          subjectId: visit.id,
          data: {},
        }),
      );
      return renderReceipt({
        trackingCode: brief.trackingCode,
        title: brief.title,
        categoryName: brief.categoryName,
        hallName: visit.orgName,
        hallPhone: visit.orgPhone,
        receivedAt: visit.createdAt,
        acceptDueAt: brief.acceptDueAt,
        groupSize: visit.groupSize,
        trackUrl: `${trackBase}/track/${brief.trackingCode}`,
      });
    },
  };
}
export type VisitService = ReturnType<typeof createVisitService>;
