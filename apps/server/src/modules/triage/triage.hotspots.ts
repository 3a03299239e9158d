import type { EmployerFlag, Hotspot, HotspotsReply } from '@doorstep/contracts';
import { errors } from '../../platform/errors.ts';
import { distanceM } from '../orgs/index.ts';
import { employerNames } from './triage.employers.ts';
import { createHotspotRepository, type ReportRow } from './triage.repository.ts';

const DAY_MS = 86_400_000;
/** Side of a cell, in metres: a block of streets, what a grid worker walks. */
export const CELL_M = 300;
const METRES_PER_DEGREE = 111_320;
const DEFAULT_DAYS = 7;
const MAX_DAYS = 90;
/** The sweep's rule (the Huimin practice): an employer named in this many wage appeals in this many days. */
export const EMPLOYER_APPEALS = 3;
export const EMPLOYER_DAYS = 30;
/** Reports read per window at most: a district's busiest week stays far below it. */
const MAX_REPORTS = 20_000;

/** The cell of a point: rows of CELL_M in latitude, columns of CELL_M at that row's latitude. */
function cellOf(lat: number, lng: number): string {
  const row = Math.floor((lat * METRES_PER_DEGREE) / CELL_M);
  const rowLat = ((row + 0.5) * CELL_M) / METRES_PER_DEGREE;
  const col = Math.floor((lng * METRES_PER_DEGREE * Math.cos((rowLat * Math.PI) / 180)) / CELL_M);
  return `${row}:${col}`;
}

/**
 * How hot a cluster is: reports, weighted up by how many different people made them (one person
 * calling ten times is not ten problems) and by growth over the window before.
 */
export function heatOf(count: number, reporters: number, growth: number): number {
  return Math.round(count * (1 + Math.log2(Math.max(1, reporters))) * (1 + Math.max(0, growth)) * 10) / 10;
}

const centroid = (rows: readonly { lat: number; lng: number }[]) => ({
  lat: rows.reduce((sum, r) => sum + r.lat, 0) / rows.length,
  lng: rows.reduce((sum, r) => sum + r.lng, 0) / rows.length,
});

interface Cluster {
  key: string;
  topic: string;
  rows: ReportRow[];
  /** The mean of its reports' places, kept up to date as cells join. */
  at: { lat: number; lng: number };
}

/**
 * Reports grouped by cell and topic, then cells of one topic whose centres lie within a cell's
 * side joined (largest first): a cluster that straddles a cell border is still one cluster.
 */
function group(rows: readonly ReportRow[]): Cluster[] {
  const cells = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const key = `${cellOf(r.lat, r.lng)}:${r.topic}`;
    const cell = cells.get(key);
    if (cell) cell.push(r);
    else cells.set(key, [r]);
  }
  const joined: Cluster[] = [];
  for (const [key, members] of [...cells.entries()].sort(
    (a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1),
  )) {
    const here = centroid(members);
    const topic = members[0]!.topic;
    const near = joined.find((g) => g.topic === topic && distanceM(g.at, here) <= CELL_M);
    if (near) {
      near.rows.push(...members);
      near.at = centroid(near.rows);
    } else joined.push({ key, topic, rows: [...members], at: here });
  }
  return joined;
}

export function clusterReports(current: ReportRow[], previous: ReportRow[]): Hotspot[] {
  return clusterGroups(current, previous).map(({ hotspot }) => hotspot);
}

/** The clusters with the reports they are made of (the alerts need their areas). */
export function clusterGroups(current: ReportRow[], previous: ReportRow[]) {
  const earlier = group(previous);
  return group(current)
    .map(({ key, topic, rows, at }) => {
      const reporters = new Set(rows.map((r) => r.phoneHmac ?? r.id)).size;
      // The window before: the reports of the same topic around the same place.
      const prior = earlier
        .filter((g) => g.topic === topic && distanceM(g.at, at) <= CELL_M)
        .reduce((sum, g) => sum + g.rows.length, 0);
      const growth = Math.round(((rows.length - prior) / Math.max(prior, 1)) * 100) / 100;
      const hotspot: Hotspot = {
        key,
        topic,
        lat: at.lat,
        lng: at.lng,
        count: rows.length,
        reporters,
        previous: prior,
        growth,
        heat: heatOf(rows.length, reporters, growth),
        appeals: rows.slice(0, 5).map((r) => ({ id: r.id, title: r.title })),
      };
      return { hotspot, rows };
    })
    .sort(
      (a, b) =>
        b.hotspot.heat - a.hotspot.heat ||
        b.hotspot.count - a.hotspot.count ||
        (a.hotspot.key < b.hotspot.key ? -1 : 1),
    );
}

/** Employers named in EMPLOYER_APPEALS or more of the wage appeals given (newest first). */
export function flagEmployers(appeals: { id: string; text: string; submittedAt: Date }[]): EmployerFlag[] {
  const named = new Map<string, { ids: string[]; lastAt: Date }>();
  for (const appeal of appeals) {
    for (const employer of employerNames(appeal.text)) {
      const entry = named.get(employer) ?? { ids: [], lastAt: appeal.submittedAt };
      entry.ids.push(appeal.id);
      if (appeal.submittedAt > entry.lastAt) entry.lastAt = appeal.submittedAt;
      named.set(employer, entry);
    }
  }
  return [...named.entries()]
    .filter(([, e]) => e.ids.length >= EMPLOYER_APPEALS)
    .map(([employer, e]) => ({
      employer,
      appeals: e.ids.length,
      appealIds: e.ids,
      lastAt: e.lastAt.toISOString(),
    }))
    .sort((a, b) => b.appeals - a.appeals || (a.employer < b.employer ? -1 : 1));
}

/** Hotspots of the caller's subtree and the wage-dispute sweep (GET /api/v1/hotspots). */
export function createHotspots(deps: {
  db: Parameters<typeof createHotspotRepository>[0];
  clock: { now(): Date };
}) {
  const repo = createHotspotRepository(deps.db);
  return async (scopePath: string, since?: string): Promise<HotspotsReply> => {
    const to = deps.clock.now();
    const from = since ? new Date(since) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (from >= to) throw errors.validation('since must be in the past', { since });
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS)
      throw errors.validation(`a window is at most ${MAX_DAYS} days`, { since });
    const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
    const rows = await repo.reportsSince(scopePath, previousFrom, MAX_REPORTS);
    const current = rows.filter((r) => r.submittedAt >= from);
    const previous = rows.filter((r) => r.submittedAt < from);
    const wage = await repo.wageAppealsSince(scopePath, new Date(to.getTime() - EMPLOYER_DAYS * DAY_MS));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      hotspots: clusterReports(current, previous).slice(0, 20),
      employers: flagEmployers(wage),
    };
  };
}
