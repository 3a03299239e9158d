import { randomUUID } from 'node:crypto';
import type { Patrol, PatrolKind } from '@doorstep/contracts';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaMidnightOf } from '../../platform/calendar/index.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { distanceM } from '../orgs/index.ts';
import { createPatrolRepository, type PatrolRow } from './patrols.repository.ts';

/** A point the phone says is less precise than this is kept but not walked (GPS drift indoors). */
const MAX_ACCURACY_M = 100;
/** A position may be up to this far in the future of the server's clock (phones drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface PatrolDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  places: {
    byId(id: number): Promise<{ id: number; name: string; path: string; level: string } | undefined>;
  };
}

/** Metres along the track, leaving out points the phone itself marked imprecise. */
export function walkedM(track: readonly { lat: number; lng: number; accuracyM: number | null }[]): number {
  const usable = track.filter((p) => p.accuracyM === null || p.accuracyM <= MAX_ACCURACY_M);
  let total = 0;
  for (let i = 1; i < usable.length; i++) total += distanceM(usable[i - 1]!, usable[i]!);
  return Math.round(total);
}

export function viewOf(row: PatrolRow): Patrol {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    user: { id: row.userId, name: row.userName },
    grid: { id: row.orgId, name: row.orgName },
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    distanceM: row.distanceM,
    points: row.pointCount,
    lastPosition:
      row.lastLat !== null && row.lastLng !== null && row.lastAt
        ? { lat: row.lastLat, lng: row.lastLng, at: row.lastAt.toISOString() }
        : null,
  };
}

/** The instant a China-time day begins, or a 400 for a day that does not exist (2026-13-45). */
function dayStart(date: string): Date {
  try {
    return chinaMidnightOf(date);
  } catch {
    throw errors.validation(`${date} is not a calendar day`, { field: 'date' });
  }
}

export function createPatrolService(deps: PatrolDeps) {
  const { db, journal, clock } = deps;
  const repo = createPatrolRepository(db);

  async function own(tx: Queryable, id: string, actor: Actor) {
    const row = await createPatrolRepository(tx).findOwn(id, actor.userId ?? '', true);
    if (!row) throw errors.notFound('the patrol', { id });
    return row;
  }

  return {
    /** Starts a patrol of a grid in the walker's area (their own unit when none is named). */
    async start(actor: Actor, input: { kind: PatrolKind; gridId?: number }) {
      const unit = await deps.places.byId(input.gridId ?? actor.orgId);
      if (!unit || (!unit.path.startsWith(actor.orgPath) && !actor.orgPath.startsWith(unit.path))) {
        throw errors.unprocessable('invalid_grid', 'this grid is not in your area', { gridId: input.gridId });
      }
      if (!['grid', 'station', 'community'].includes(unit.level)) {
        throw errors.unprocessable(
          'invalid_grid',
          'a patrol walks a grid, a station’s or a community’s area',
          {
            gridId: unit.id,
          },
        );
      }
      const id = randomUUID();
      const now = clock.now();
      try {
        await db.transaction(async (tx) => {
          await createPatrolRepository(tx).insert({
            id,
            kind: input.kind,
            userId: actor.userId!,
            orgId: unit.id,
            orgPath: unit.path,
            now,
          });
          await journal.append(tx, {
            stream: `patrol:${id}`,
            action: 'patrol.started',
            actorId: actor.userId,
            actorOrgId: actor.orgId || null,
            subjectType: 'patrol',
            subjectId: id,
            data: { kind: input.kind, orgId: unit.id },
          });
        });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          const open = await repo.openOf(actor.userId!);
          throw new AppError('patrol_open', 409, 'finish the patrol you are on before starting another', {
            id: open?.id ?? null,
          });
        }
        throw error;
      }
      return { id, status: 'started' as const };
    },

    /**
     * Adds positions to one's own open patrol. The same position time again adds nothing, so a
     * phone resending a batch after being offline is safe. Times before the start or ahead of the
     * clock are refused (422): a track is evidence of where the worker was.
     */
    async track(
      actor: Actor,
      id: string,
      points: readonly { lat: number; lng: number; at: string; accuracyM?: number }[],
    ) {
      return db.transaction(async (tx) => {
        const row = await own(tx, id, actor);
        if (row.status !== 'started')
          throw errors.conflict('the patrol is finished', { code: 'patrol_finished' });
        const now = clock.now();
        const parsed = points.map((p) => ({
          lat: p.lat,
          lng: p.lng,
          at: new Date(p.at),
          accuracyM: p.accuracyM ?? null,
        }));
        const outside = parsed.filter(
          (p) =>
            p.at.getTime() < row.startedAt.getTime() - 60_000 ||
            p.at.getTime() > now.getTime() + CLOCK_SKEW_MS,
        );
        if (outside.length) {
          throw errors.unprocessable(
            'point_out_of_patrol',
            'a position is from before the patrol or ahead of the clock',
            {
              at: outside[0]!.at.toISOString(),
            },
          );
        }
        const repoTx = createPatrolRepository(tx);
        const accepted = await repoTx.addPoints(id, parsed);
        if (accepted) await repoTx.refreshSummary(id);
        const after = await repoTx.findOwn(id, actor.userId ?? '');
        return { accepted, duplicates: parsed.length - accepted, points: after?.pointCount ?? 0 };
      });
    },

    /** Ends one's patrol: the distance walked is the sum of its track (twice finishing is a 409). */
    async finish(actor: Actor, id: string) {
      return db.transaction(async (tx) => {
        const row = await own(tx, id, actor);
        if (row.status !== 'started')
          throw errors.conflict('the patrol is finished', { code: 'patrol_finished' });
        const repoTx = createPatrolRepository(tx);
        const track = await repoTx.track(id);
        const walked = walkedM(track);
        const now = clock.now();
        await repoTx.finish(id, walked, now);
        await journal.append(tx, {
          stream: `patrol:${id}`,
          action: 'patrol.finished',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'patrol',
          subjectId: id,
          data: { distanceM: walked, points: track.length },
        });
        return { id, status: 'finished' as const, distanceM: walked, points: track.length };
      });
    },

    /** The caller's own open patrol, if any (the workbench resumes it after a reload). */
    async current(actor: Actor) {
      const row = await repo.openOf(actor.userId ?? '');
      return { patrol: row ? viewOf(row) : null };
    },

    /**
     * Coverage (巡查覆盖) per unit walked over China-time days [from, to]: finished patrols, metres
     * walked and how many people walked it. Units nobody walked are not listed.
     */
    async coverage(actor: Actor, from: string, to: string) {
      const start = dayStart(from);
      const end = new Date(dayStart(to).getTime() + 86_400_000);
      if (end <= start) throw errors.validation('to is before from', { field: 'to' });
      if (end.getTime() - start.getTime() > 366 * 86_400_000) {
        throw errors.validation('a period is at most a year', { field: 'to' });
      }
      const rows = await repo.coverage(actor.orgPath, start, end);
      return {
        items: rows.map((r) => ({
          grid: { id: r.orgId, name: r.orgName },
          patrols: r.patrols,
          distanceM: r.distanceM,
          walkers: r.walkers,
        })),
      };
    },

    /** A day's patrols of the caller's area, each with its track, for the wall and the desk. */
    async ofDay(actor: Actor, date: string, orgId?: number) {
      const unit = orgId ? await deps.places.byId(orgId) : undefined;
      if (orgId && (!unit || !unit.path.startsWith(actor.orgPath)))
        throw errors.notFound('the unit', { orgId });
      const from = dayStart(date);
      const to = new Date(from.getTime() + 86_400_000);
      const rows = await repo.ofDay(actor.orgPath, from, to, unit?.path ?? null);
      const tracks = await Promise.all(rows.map((row) => repo.track(row.id)));
      return {
        items: rows.map((row, i) => ({
          ...viewOf(row),
          track: tracks[i]!.map((p) => [p.lat, p.lng] as [number, number]),
        })),
      };
    },
  };
}
export type PatrolService = ReturnType<typeof createPatrolService>;
