import { randomPointIn } from '../../apps/server/src/modules/orgs/demo/voronoi-partition.ts';
import { entryHash, GENESIS_HASH } from '../../apps/server/src/platform/journal/journal.hash.ts';
import { type Actor, pickWeighted, type SeedContext } from './context.ts';

/** The appeal columns the generator fills; the rest keep their defaults. */
export const APPEAL_COLUMNS = [
  'id',
  'tracking_code',
  'channel',
  'category_id',
  'title',
  'content',
  'status',
  'urgency',
  'org_id',
  'org_path',
  'station_id',
  'grid_id',
  'lat',
  'lng',
  'address',
  'assigned_org_id',
  'assigned_org_path',
  'claimed_by',
  'anonymous',
  'accept_due_at',
  'finish_due_at',
  'overdue',
  'merged_into',
  'rating',
  'rated_at',
  'reopen_count',
  'return_count',
  'resolution_summary',
  'version',
  'submitted_at',
  'accepted_at',
  'dispatched_at',
  'claimed_at',
  'resolved_at',
  'closed_at',
  'updated_at',
  'district_code',
] as const;

export const JOURNAL_COLUMNS = [
  'stream',
  'seq',
  'at',
  'actor_id',
  'actor_org_id',
  'action',
  'subject_type',
  'subject_id',
  'data',
  'prev_hash',
  'hash',
  'district_code',
] as const;

export type Value = string | number | boolean | Date | null;
export interface Generated {
  appeal: Value[];
  journal: Value[][];
  status: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_SPACE = 30n ** 10n;
// Odd and not a multiple of 3 or 5, so i → (i·A + B) mod 30¹⁰ is a bijection: codes never collide.
const CODE_STEP = 104_729n * 7_919n * 13n;

/** A tracking code in the intake's format, unique per index. */
export function trackingCodeFor(index: number, offset: bigint): string {
  let n = (BigInt(index) * CODE_STEP + offset) % CODE_SPACE;
  let symbols = '';
  for (let i = 0; i < 10; i++) {
    symbols += ALPHABET[Number(n % 30n)];
    n /= 30n;
  }
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/** The channel mix of a district's intake: most come by the hotline and the WeChat H5 page. */
const CHANNELS: [string, number][] = [
  ['hotline', 0.5],
  ['h5', 0.25],
  ['qr', 0.06],
  ['hall', 0.06],
  ['patrol', 0.08],
  ['snapshot', 0.05],
];

function pick<T>(random: () => number, items: [T, number][]): T {
  let u = random();
  for (const [item, weight] of items) {
    u -= weight;
    if (u < 0) return item;
  }
  return items[items.length - 1]![0];
}

const between = (random: () => number, lo: number, hi: number) => lo + random() * (hi - lo);
/** Calendar time for a number of working days (5 of 7), without a holiday table: close enough here. */
const workingDays = (days: number) => (days * 7 * DAY) / 5;

/**
 * One appeal and its journal: the lifecycle is planned in full from `submittedAt`, then cut at
 * `now`, so old appeals are mostly closed and the last weeks hold the open work — the state mix a
 * real district has. Each step writes the entry the service writes, hash-chained per stream.
 */
export function generateAppeal(
  ctx: SeedContext,
  random: () => number,
  input: {
    id: string;
    trackingCode: string;
    submittedAt: Date;
    now: Date;
    mergeTarget: () => { id: string; trackingCode: string } | null;
  },
): Generated {
  const { id, submittedAt, now } = input;
  const category = ctx.categories[pickWeighted(ctx.categoryWeights, random())]!;
  const channel =
    category.kind === 'patrol' || category.kind === 'snapshot'
      ? category.kind
      : pick(random, CHANNELS.slice(0, 4));
  const text = ctx.texts[Math.floor(random() * ctx.texts.length)]!;
  // One appeal in twelve has no usable location (a hotline caller without an address): the district takes it.
  const located = channel !== 'hotline' || random() > 0.08;
  const grid = located ? ctx.grids[pickWeighted(ctx.gridWeights, random())]! : null;
  const point = grid ? randomPointIn(grid.boundary, random) : null;
  const area = grid ? { id: grid.id, path: grid.path } : ctx.district;

  const journal: Value[][] = [];
  let prevHash = GENESIS_HASH;
  const append = (at: Date, action: string, actor: Actor | null, data: Record<string, unknown>) => {
    const content = {
      stream: `appeal:${id}`,
      seq: journal.length + 1,
      at,
      actorId: actor?.userId ?? null,
      actorOrgId: actor?.orgId ?? null,
      action,
      subjectType: 'appeal',
      subjectId: id,
      data,
    };
    const hash = entryHash(prevHash, content);
    journal.push([
      content.stream,
      content.seq,
      at,
      content.actorId,
      content.actorOrgId,
      action,
      'appeal',
      id,
      JSON.stringify(data),
      prevHash,
      hash,
      ctx.district.code,
    ]);
    prevHash = hash;
  };

  const anonymous = random() < 0.12;
  append(submittedAt, 'appeal.submitted', null, {
    channel,
    categoryCode: category.code,
    orgId: area.id,
    anonymous,
    attachments: 0,
  });
  const s = {
    status: 'submitted',
    acceptedAt: null as Date | null,
    dispatchedAt: null as Date | null,
    claimedAt: null as Date | null,
    resolvedAt: null as Date | null,
    closedAt: null as Date | null,
    finishDueAt: null as Date | null,
    assigned: null as { id: number; name: string; path: string } | null,
    claimedBy: null as string | null,
    mergedInto: null as string | null,
    summary: null as string | null,
    rating: null as string | null,
    ratedAt: null as Date | null,
    reopenCount: 0,
    returnCount: 0,
    updatedAt: submittedAt,
  };
  let t = submittedAt.getTime();
  /** Moves the clock on; false when the step would lie in the future (the appeal stops there). */
  const step = (hours: [number, number]) => {
    t += between(random, hours[0], hours[1]) * HOUR;
    return t <= now.getTime();
  };
  const act = (action: string, to: string, actor: Actor, extra: Record<string, unknown> = {}) => {
    const at = new Date(t);
    append(at, `appeal.${action}`, actor, { from: s.status, to, ...extra });
    s.status = to;
    s.updatedAt = at;
    return at;
  };
  const { dispatcher, handler } = ctx.actors;
  const acceptDueAt = new Date(submittedAt.getTime() + workingDays(category.acceptDays));

  const lifecycle = () => {
    if (!step([0.2, 10])) return;
    const u = random();
    if (u < 0.04) {
      s.closedAt = act('reject', 'rejected', dispatcher, {
        reason: '不属于受理范围，已告知诉求人向有关部门反映',
      });
      return;
    }
    const target = u < 0.06 ? input.mergeTarget() : null;
    if (target) {
      s.mergedInto = target.id;
      act('merge', 'merged', dispatcher, { intoId: target.id, intoTrackingCode: target.trackingCode });
      return;
    }
    s.acceptedAt = new Date(t);
    s.finishDueAt = new Date(t + workingDays(category.finishDays));
    act('accept', 'accepted', dispatcher, { finishDueAt: s.finishDueAt.toISOString() });
    for (let round = 0; round < 3; round++) {
      if (!step([0.3, 20])) return;
      s.assigned =
        random() < 0.6 && ctx.departments.length
          ? ctx.departments[Math.floor(random() * ctx.departments.length)]!
          : grid
            ? { id: grid.communityId, name: grid.communityName, path: grid.communityPath }
            : ctx.departments[0]!;
      s.dispatchedAt = act('dispatch', 'dispatched', dispatcher, {
        orgId: s.assigned.id,
        orgName: s.assigned.name,
        coHandlerIds: [],
        note: null,
      });
      s.claimedBy = null;
      if (!step([0.3, 16])) return;
      if (random() < 0.03) {
        act('return', 'returned', handler, { reason: '不属于本单位职责', fromOrgId: s.assigned.id });
        s.assigned = null;
        s.returnCount++;
        continue;
      }
      s.claimedBy = handler.userId;
      s.claimedAt = act('claim', 'claimed', handler);
      if (!step([0.5, 24])) return;
      act('start', 'in_progress', handler);
      // Most finish inside the deadline; one in fifteen runs late.
      const finishHours = (workingDays(category.finishDays) / HOUR) * (random() < 0.07 ? 1.6 : 0.8);
      if (!step([2, Math.max(3, finishHours)])) return;
      s.summary = '已现场核查处置，问题已解决并向诉求人反馈';
      s.resolvedAt = act('resolve', 'resolved', handler, { summary: s.summary });
      if (!step([2, 48])) return;
      const passed = random() > 0.03;
      act('verify', passed ? 'verified' : 'in_progress', dispatcher, {
        passed,
        note: passed ? '回访核实，已办结' : '现场复核未解决',
      });
      if (!passed) {
        if (!step([12, 72])) return;
        s.resolvedAt = act('resolve', 'resolved', handler, { summary: s.summary });
        if (!step([2, 24])) return;
        act('verify', 'verified', dispatcher, { passed: true, note: '回访核实，已办结' });
      }
      if (!step([1, 24])) return;
      s.closedAt = act('close', 'closed', dispatcher);
      if (random() > 0.7 || !step([2, 120])) return;
      const r = random();
      const score = r < 0.8 ? 'satisfied' : r < 0.95 ? 'basically_satisfied' : 'unsatisfied';
      const to = score === 'unsatisfied' ? 'reopened' : 'closed';
      s.rating = score;
      s.ratedAt = new Date(t);
      append(s.ratedAt, 'appeal.rated', null, { score, comment: null, from: 'closed', to });
      s.status = to;
      s.updatedAt = s.ratedAt;
      if (to === 'closed') return;
      s.reopenCount++;
      s.closedAt = null;
      s.assigned = null;
    }
  };
  lifecycle();

  const open = !['closed', 'rejected', 'merged'].includes(s.status);
  const overdue =
    open && s.status !== 'resolved' && s.status !== 'verified'
      ? (s.finishDueAt ?? acceptDueAt) < now
      : Boolean(s.resolvedAt && s.finishDueAt && s.resolvedAt > s.finishDueAt);
  const address = grid ? `光明区${grid.communityName}${grid.name}附近` : null;
  return {
    status: s.status,
    journal,
    appeal: [
      id,
      input.trackingCode,
      channel,
      category.id,
      text.title,
      text.content,
      s.status,
      category.urgency,
      area.id,
      area.path,
      grid?.stationId ?? null,
      grid?.id ?? null,
      point ? point[1]! : null,
      point ? point[0]! : null,
      address,
      s.assigned?.id ?? null,
      s.assigned?.path ?? null,
      s.claimedBy,
      anonymous,
      acceptDueAt,
      s.finishDueAt,
      overdue,
      s.mergedInto,
      s.rating,
      s.ratedAt,
      s.reopenCount,
      s.returnCount,
      s.summary,
      journal.length,
      submittedAt,
      s.acceptedAt,
      s.dispatchedAt,
      s.claimedAt,
      s.resolvedAt,
      s.closedAt,
      s.updatedAt,
      ctx.district.code,
    ],
  };
}
