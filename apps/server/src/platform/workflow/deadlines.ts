import type { Queryable } from '../../db/db.ts';

/** Share of the working time after which the holder is warned (预警): three quarters. */
export const WARNING_SHARE = 0.75;

export interface DeadlineDeps {
  calendar: {
    workingMinutesBetween(from: Date, to: Date): number;
    addWorkingMinutes(from: Date, minutes: number): Date;
  };
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; runAt: Date; dedupeKey: string },
    ): Promise<unknown>;
  };
}

/**
 * Schedules the warning at WARNING_SHARE of the working time and the overdue check at the
 * deadline, as jobs `<subject>.<name>_warning` and `<subject>.<name>_overdue`. Called whenever the
 * deadline is set or moved: the dedupe keys make a later call replace the earlier timers, and each
 * job re-reads the record, so a timer whose deadline has moved since does nothing.
 */
export async function scheduleDeadline(
  deps: DeadlineDeps,
  tx: Queryable,
  deadline: {
    subject: string;
    id: string;
    name: string;
    /** When the clock started (working time is counted from here). */
    from: Date;
    due: Date;
    payload: Record<string, unknown>;
  },
) {
  const { subject, id, name, from, due, payload } = deadline;
  if (due < from) throw new Error(`a deadline cannot fall before its start (${subject} ${id} ${name})`);
  const total = deps.calendar.workingMinutesBetween(from, due);
  const warnAt = deps.calendar.addWorkingMinutes(from, total * WARNING_SHARE);
  await deps.jobs.enqueue(tx, {
    kind: `${subject}.${name}_warning`,
    payload,
    runAt: warnAt,
    dedupeKey: `${subject}:${id}:${name}_warning`,
  });
  await deps.jobs.enqueue(tx, {
    kind: `${subject}.${name}_overdue`,
    payload,
    runAt: due,
    dedupeKey: `${subject}:${id}:${name}_overdue`,
  });
}
