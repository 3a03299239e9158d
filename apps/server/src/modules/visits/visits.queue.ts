import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaDateOf } from '../../platform/calendar/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { createQueueRepository, type TicketRow } from './queue.repository.ts';

/** How a number reads on the ticket and the hall screen: A007. */
export const ticketLabel = (number: number) => `A${String(number).padStart(3, '0')}`;

const view = (t: TicketRow) => ({
  id: t.id,
  number: t.number,
  label: ticketLabel(t.number),
  status: t.status,
  window: t.windowName,
  takenAt: t.createdAt.toISOString(),
  calledAt: t.calledAt?.toISOString() ?? null,
});

/**
 * The walk-in queue of the desk's hall (the clerk's unit), per China day: take a number, call the
 * next one to a window, and the board the hall's screen shows (who is called where, how many wait,
 * the average wait today).
 */
export function createHallQueue(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const repo = createQueueRepository(db);
  const today = () => chinaDateOf(clock.now());

  return {
    async take(actor: Actor) {
      const day = today();
      for (let attempt = 0; ; attempt++) {
        try {
          const ticket = (await repo.take(actor.orgId, day, clock.now()))!;
          return { ...view(ticket), waitingAhead: await repo.waitingAhead(actor.orgId, day, ticket.number) };
        } catch (error) {
          // Two desks took a number at the same instant: the unique key refused one; take again.
          if ((error as { code?: string }).code === '23505' && attempt < 5) continue;
          throw error;
        }
      }
    },

    async callNext(actor: Actor, windowName: string) {
      const called = await db.transaction((tx) =>
        createQueueRepository(tx).callNext(actor.orgId, today(), windowName, clock.now()),
      );
      if (!called) throw new AppError('queue_empty', 409, 'nobody is waiting', {});
      return view(called);
    },

    async board(actor: Actor) {
      const day = today();
      const [calling, summary] = await Promise.all([
        repo.recentlyCalled(actor.orgId, day, 6),
        repo.summary(actor.orgId, day),
      ]);
      return {
        hall: actor.orgName,
        calling: calling.map(view),
        waiting: summary?.waiting ?? 0,
        served: summary?.served ?? 0,
        averageWaitMinutes: summary?.averageWaitS == null ? null : Math.round(summary.averageWaitS / 6) / 10,
      };
    },
  };
}
export type HallQueue = ReturnType<typeof createHallQueue>;
