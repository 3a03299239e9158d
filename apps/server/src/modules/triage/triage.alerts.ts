import type { Queryable } from '../../db/db.ts';
import type { NewStaffEvent } from '../../platform/events/event-bus.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { clusterGroups } from './triage.hotspots.ts';
import { createHotspotRepository } from './triage.repository.ts';

const DAY_MS = 86_400_000;
/** How often the sweep runs: a cluster that doubles overnight is seen within the quarter hour. */
export const SWEEP_EVERY_MS = 15 * 60_000;
export const SWEEP_JOB = 'triage.hotspot_sweep';

export interface AlertDeps {
  journal: Journal;
  events: { publish(tx: Queryable, event: NewStaffEvent): Promise<void> };
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; runAt?: Date; dedupeKey?: string },
    ): Promise<void>;
  };
  settings: {
    /** A cluster alerts when it grew by this share over the day before (1 = doubled). */
    alertGrowth: number;
    /** … and holds at least this many reports today. */
    alertMinReports: number;
  };
}

/** The deepest unit holding every report of a cluster: its dispatchers are the ones told. */
function commonPath(paths: readonly string[]): string {
  let common = paths[0] ?? '/';
  for (const path of paths) {
    while (!path.startsWith(common)) common = common.replace(/\d+\/$/, '');
  }
  return common;
}

/**
 * Early warning: every quarter hour the last day's reports are clustered against the day before;
 * a cluster past the growth rate is journaled (stream `hotspots`, once a day per cluster) and
 * pushed to the staff of its area over the event stream (`hotspot.alert`), where the screen and
 * the console refresh.
 */
export function createHotspotAlerts(deps: AlertDeps) {
  const schedule = (tx: Queryable, from: Date) =>
    deps.jobs.enqueue(tx, {
      kind: SWEEP_JOB,
      payload: {},
      runAt: new Date(from.getTime() + SWEEP_EVERY_MS),
      dedupeKey: SWEEP_JOB,
    });

  return {
    /** Starts the sweep (idempotent: one pending sweep at a time), at server start. */
    schedule,

    handlers: {
      async [SWEEP_JOB](_payload: unknown, { tx, now }: { tx: Queryable; now: Date }) {
        const repo = createHotspotRepository(tx);
        const from = new Date(now.getTime() - DAY_MS);
        const rows = await repo.reportsSince('/', new Date(from.getTime() - DAY_MS), 20_000);
        const groups = clusterGroups(
          rows.filter((r) => r.submittedAt >= from),
          rows.filter((r) => r.submittedAt < from),
        );
        for (const { hotspot, rows: reports } of groups) {
          if (hotspot.count < deps.settings.alertMinReports || hotspot.growth < deps.settings.alertGrowth)
            continue;
          if (await repo.alertedSince(hotspot.key, new Date(now.getTime() - DAY_MS))) continue;
          const orgPath = commonPath(reports.map((r) => r.orgPath));
          await deps.journal.append(tx, {
            stream: 'hotspots',
            action: 'hotspot.alert',
            subjectType: 'hotspot',
            subjectId: hotspot.key,
            data: {
              key: hotspot.key,
              topic: hotspot.topic,
              count: hotspot.count,
              previous: hotspot.previous,
              growth: hotspot.growth,
              lat: hotspot.lat,
              lng: hotspot.lng,
              orgPath,
            },
          });
          await deps.events.publish(tx, { type: 'hotspot.alert', orgPath });
        }
        await schedule(tx, now);
      },
    },
  };
}
