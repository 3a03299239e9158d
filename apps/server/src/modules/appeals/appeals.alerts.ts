import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { distanceM } from '../orgs/index.ts';
import { createAlertRepository } from './alerts.repository.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { createAppealRepository } from './appeals.repository.ts';

/** How many of the nearest on-duty workers a critical appeal calls at once. */
export const ALERTED_WORKERS = 3;
/** A last position older than this does not count: the worker may have gone off duty unseen. */
const FRESH_POSITION_MS = 30 * 60_000;

/**
 * A person in danger (urgency `critical`): the seeds' grid worker reached a suicide attempt on foot
 * in 5 minutes. The nearest on-duty walkers (an open patrol, a position in the last half hour) are
 * alerted at once, nearest first; the first to acknowledge takes it (named for it, as by 指派) and
 * the time to arrival is measured when they say they are there.
 */
export function createAppealAlerts(
  deps: Pick<AppealDeps, 'onDuty' | 'events' | 'places'> & { db: Db; journal: Journal; clock: Clock },
) {
  const { db, journal, clock } = deps;
  const appeals = createAppealRepository(db);

  async function entry(
    tx: Queryable,
    actor: Actor | null,
    appealId: string,
    action: string,
    data: Record<string, unknown>,
  ) {
    await journal.append(tx, {
      stream: `appeal:${appealId}`,
      action,
      actorId: actor?.userId ?? null,
      actorOrgId: actor?.orgId || null,
      subjectType: 'appeal',
      subjectId: appealId,
      data,
    });
  }

  return {
    /** After intake: a critical appeal with a place calls the nearest walkers. Answers whom, nearest first. */
    async alertNearest(appealId: string): Promise<{ userId: string; distanceM: number }[]> {
      if (!deps.onDuty) return [];
      const row = await appeals.findById(appealId);
      if (!row || row.urgency !== 'critical' || row.lat === null || row.lng === null) return [];
      const now = clock.now();
      const district = await deps.places.districtOf(row.orgPath);
      if (!district) return [];
      const walkers = (await deps.onDuty(district.path))
        .filter((w) => now.getTime() - w.at.getTime() <= FRESH_POSITION_MS)
        .map((w) => ({ ...w, distanceM: Math.round(distanceM(w, { lat: row.lat!, lng: row.lng! })) }))
        .sort((a, b) => a.distanceM - b.distanceM)
        .slice(0, ALERTED_WORKERS);
      if (!walkers.length) return [];
      await db.transaction(async (tx) => {
        const alerts = createAlertRepository(tx);
        for (const [i, w] of walkers.entries()) {
          await alerts.insert({ appealId, userId: w.userId, rank: i + 1, distanceM: w.distanceM, now });
        }
        await entry(tx, null, appealId, 'appeal.alerted', {
          workers: walkers.map((w, i) => ({ userId: w.userId, rank: i + 1, distanceM: w.distanceM })),
        });
        // Heard by the walkers' units even outside the appeal's area, and by the area's desks.
        await deps.events.publish(tx, {
          type: 'appeal.alert',
          appealId,
          orgPath: row.orgPath,
          assignedOrgIds: [...new Set(walkers.map((w) => w.orgId))],
        });
      });
      return walkers.map((w) => ({ userId: w.userId, distanceM: w.distanceM }));
    },

    /** The alerts still calling this person (none taken yet). */
    async openFor(actor: Actor) {
      const rows = actor.userId ? await createAlertRepository(db).openFor(actor.userId) : [];
      return rows.map((r) => ({
        appealId: r.appealId,
        title: r.title,
        rank: r.rank,
        distanceM: r.distanceM,
        alertedAt: r.alertedAt.toISOString(),
      }));
    },

    /** 我去: the first alerted worker to answer takes it; the others are told it is taken (409). */
    async acknowledge(actor: Actor, appealId: string) {
      return db.transaction(async (tx) => {
        const alerts = createAlertRepository(tx);
        const all = await alerts.ofAppeal(appealId, true);
        const mine = all.find((a) => a.userId === actor.userId);
        if (!mine) throw errors.notFound('an alert for you on this appeal', { appealId });
        const taken = all.find((a) => a.acknowledgedAt);
        if (taken) {
          throw new AppError(
            'alert_taken',
            409,
            taken.userId === actor.userId ? 'you already took it' : 'another worker took it first',
            {
              takenBy: taken.userId,
            },
          );
        }
        const now = clock.now();
        await alerts.acknowledge(appealId, mine.userId, now);
        await alerts.nameTaker(appealId, mine.userId, now);
        await entry(tx, actor, appealId, 'appeal.alert_acknowledged', {
          rank: mine.rank,
          distanceM: mine.distanceM,
          secondsToAnswer: Math.round((now.getTime() - mine.alertedAt.getTime()) / 1000),
        });
        const row = await createAppealRepository(tx).findById(appealId);
        await deps.events.publish(tx, { type: 'appeal.updated', appealId, orgPath: row!.orgPath });
        return { appealId, takenBy: mine.userId, rank: mine.rank, distanceM: mine.distanceM };
      });
    },

    /** 已到达: the taker is on site; the minutes from the alert are the time to arrival. */
    async arrive(actor: Actor, appealId: string) {
      return db.transaction(async (tx) => {
        const alerts = createAlertRepository(tx);
        const mine = (await alerts.ofAppeal(appealId, true)).find((a) => a.userId === actor.userId);
        if (!mine?.acknowledgedAt) throw errors.notFound('an alert you took on this appeal', { appealId });
        if (mine.arrivedAt) throw errors.conflict('arrival is already recorded', { code: 'already_arrived' });
        const now = clock.now();
        await alerts.arrive(appealId, mine.userId, now);
        const secondsToArrive = Math.round((now.getTime() - mine.alertedAt.getTime()) / 1000);
        await entry(tx, actor, appealId, 'appeal.arrived', { secondsToArrive, distanceM: mine.distanceM });
        return { appealId, secondsToArrive };
      });
    },
  };
}
