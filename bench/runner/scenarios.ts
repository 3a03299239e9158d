import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../apps/server/src/db/db.ts';
import { createAppealRepository } from '../../apps/server/src/modules/appeals/appeals.repository.ts';
import { createNoticeRepository } from '../../apps/server/src/modules/coordination/index.ts';
import { createStatsRepository } from '../../apps/server/src/modules/stats/stats.repository.ts';
import { readTimeIdCursor } from '../../apps/server/src/platform/paging.ts';
import type { Services } from '../../apps/server/src/services.ts';
import type { BenchFixtures } from './fixtures.ts';

/**
 * One measured request kind. `request(i)` is the i-th HTTP request autocannon sends; `baseline(q, i)`
 * does the same database work directly — the same repository functions (so the same SQL, by
 * construction), on the same database, without HTTP, Fastify, sessions, validation or views.
 */
export interface Scenario {
  name: string;
  /** Who sends it (a session is opened for them), or null for a resident without login. */
  as: 'district' | 'subdistrict' | 'community' | null;
  request(i: number): {
    method: 'GET' | 'POST';
    path: string;
    body?: string;
    headers?: Record<string, string>;
  };
  baseline(q: BaselineDb, i: number): Promise<void>;
}

/** The baseline's handle: the database itself (for transactions) and the services' building blocks. */
export interface BaselineDb {
  db: Db;
  /** Wraps a Queryable (recording statements for the EXPLAIN files when asked). */
  wrap(q: Queryable): Queryable;
  services: Services;
}

const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

function listPath(status: string, cursor: string | null) {
  const query = new URLSearchParams({ status, limit: '20' });
  if (cursor) query.set('cursor', cursor);
  return `/api/v1/appeals?${query}`;
}

function listScenario(f: BenchFixtures, level: 'district' | 'subdistrict' | 'community'): Scenario {
  const scope = f.scopes[level];
  // First pages and deeper pages alike: the cursors were collected by walking the real list.
  const pages = [null, ...scope.cursors];
  return {
    name: `list-${level}`,
    as: level,
    request: (i) => ({ method: 'GET', path: listPath(scope.status, pick(pages, i)) }),
    baseline: async (q, i) => {
      // The cursor decoded as the service decodes it, for the same keyset query.
      const cursor = pick(pages, i);
      const key = cursor ? readTimeIdCursor(cursor) : null;
      await createAppealRepository(q.wrap(q.db)).list({
        scopePath: scope.path,
        status: [scope.status as never],
        after: key ? { at: key.at, id: key.id } : undefined,
        limit: 21,
      });
    },
  };
}

export function scenarios(f: BenchFixtures): Scenario[] {
  const district = f.scopes.district;
  return [
    {
      name: 'intake',
      as: null,
      request: (i) => {
        const point = pick(f.points, i * 7919);
        const text = pick(f.texts, i * 104_729);
        return {
          method: 'POST',
          path: '/api/v1/appeals',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            channel: 'h5',
            categoryCode: point.categoryCode,
            title: text.title,
            content: text.content,
            location: { lat: point.lat, lng: point.lng },
            // A distinct phone per request: the per-phone limit is real and stays on.
            contact: {
              name: '测试',
              phone: `139${String(10_000_000 + ((i * 7_654_321) % 89_999_999)).padStart(8, '0')}`,
            },
          }),
        };
      },
      baseline: (q, i) => intakeBaseline(q, f, i),
    },
    {
      name: 'track',
      as: null,
      request: (i) => ({ method: 'GET', path: `/api/v1/track/${pick(f.codes, i * 31)}` }),
      baseline: async (q, i) => {
        const db = q.wrap(q.db);
        const repo = createAppealRepository(db);
        const row = await repo.findByTrackingCode(pick(f.codes, i * 31));
        if (!row) throw new Error('tracking code not found');
        await Promise.all([
          q.services.journal.list(db, { stream: `appeal:${row.id}`, limit: 1000 }),
          repo.attachments(row.id),
        ]);
      },
    },
    listScenario(f, 'district'),
    listScenario(f, 'subdistrict'),
    listScenario(f, 'community'),
    {
      name: 'detail',
      as: 'district',
      request: (i) => ({ method: 'GET', path: `/api/v1/appeals/${pick(f.ids, i * 17)}` }),
      baseline: async (q, i) => {
        const db = q.wrap(q.db);
        const repo = createAppealRepository(db);
        const row = await repo.findForActor(pick(f.ids, i * 17), { orgPath: district.path, userId: null });
        if (!row) throw new Error('appeal not found');
        await Promise.all([
          q.services.journal.list(db, { stream: `appeal:${row.id}`, limit: 1000 }),
          repo.attachments(row.id),
          createNoticeRepository(db).forSubject({ type: 'appeal', id: row.id }),
          repo.mergedChildren(row.id),
        ]);
      },
    },
    {
      name: 'dispatch',
      as: 'district',
      // Each request takes the next appeal of the pool (accepted, in the district): a transition
      // happens once, so the pool is split between the baseline (front) and HTTP (back).
      request: (i) => ({
        method: 'POST',
        path: `/api/v1/appeals/${f.acceptedPool.http[i % f.acceptedPool.http.length]}/actions/dispatch`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orgId: f.department.id }),
      }),
      baseline: (q, i) =>
        dispatchBaseline(q, f, f.acceptedPool.baseline[i % f.acceptedPool.baseline.length]!),
    },
    {
      name: 'stats',
      as: 'district',
      request: () => ({ method: 'GET', path: '/api/v1/stats' }),
      baseline: async (q) => {
        const repo = createStatsRepository(q.wrap(q.db));
        const now = new Date();
        const rows = await repo.figures({
          scopePath: district.path,
          from: new Date(now.getTime() - 30 * 86_400_000),
          to: now,
          now,
        });
        const categories = rows.filter((r) => r.dimension === 'category' && r.key !== null).slice(0, 10);
        await repo.categoryNames(categories.map((r) => Number(r.key)));
      },
    },
  ];
}

/** An entry on the appeal's own journal stream, as the workflow writes it. */
const record = (q: BaselineDb, tx: Queryable, id: string, action: string, data: Record<string, unknown>) =>
  q.services.journal.append(tx, {
    stream: `appeal:${id}`,
    action,
    subjectType: 'appeal',
    subjectId: id,
    data,
  });

/** One of the appeal's timers, keyed as platform/workflow/deadlines.ts keys them. */
const timer = (q: BaselineDb, tx: Queryable, id: string, kind: string, runAt: Date) =>
  q.services.jobs.enqueue(tx, {
    kind: `appeal.${kind}`,
    payload: { appealId: id },
    runAt,
    dedupeKey: `appeal:${id}:${kind}`,
  });

/** The writes an intake commits: the appeal, its first journal entry, its timer, the SMS, the event. */
async function intakeBaseline(q: BaselineDb, f: BenchFixtures, i: number) {
  const point = pick(f.points, i * 7919);
  const text = pick(f.texts, i * 104_729);
  const { events, notifier, cipher } = q.services;
  const now = new Date();
  await q.db.transaction(async (raw) => {
    const tx = q.wrap(raw);
    const id = await createAppealRepository(tx).insert({
      trackingCode: `B${randomUUID().replaceAll('-', '').slice(0, 11).toUpperCase()}`,
      channel: 'h5',
      categoryId: point.categoryId,
      title: text.title,
      content: text.content,
      urgency: 'normal',
      orgId: point.areaId,
      orgPath: point.areaPath,
      stationId: point.stationId,
      gridId: point.gridId,
      lat: point.lat,
      lng: point.lng,
      address: null,
      accusedOrgId: null,
      accusedOrgPath: null,
      anonymous: false,
      contactNameEnc: f.cipherSamples.name,
      contactPhoneEnc: f.cipherSamples.phone,
      phoneHmac: f.cipherSamples.phoneHmac,
      ratingTokenEnc: f.cipherSamples.token,
      publicConsent: false,
      privacyConsentAt: null,
      submittedBy: null,
      attributes: {},
      acceptDueAt: new Date(now.getTime() + 86_400_000),
      idempotencyKey: randomUUID(),
      idempotencyHash: 'bench',
      now,
    });
    await record(q, tx, id, 'appeal.submitted', {
      channel: 'h5',
      orgId: point.areaId,
      anonymous: false,
      attachments: 0,
    });
    await timer(q, tx, id, 'accept_overdue', new Date(now.getTime() + 86_400_000));
    await notifier.send(tx, {
      appealId: id,
      channel: 'sms',
      to: cipher.decrypt(f.cipherSamples.phone),
      template: 'appeal.submitted',
      params: { code: 'BENCH', token: 'BENCH' },
    });
    await events.publish(tx, { type: 'appeal.created', appealId: id, orgPath: point.areaPath });
  });
}

/** The writes a dispatch commits: the locked row, its new state, journal entry, timer, SMS, event. */
async function dispatchBaseline(q: BaselineDb, f: BenchFixtures, id: string) {
  const { events, notifier, cipher } = q.services;
  const now = new Date();
  await q.db.transaction(async (raw) => {
    const tx = q.wrap(raw);
    const repo = createAppealRepository(tx);
    const row = await repo.findForActor(id, { orgPath: f.scopes.district.path, userId: null }, true);
    if (!row) throw new Error('appeal not found');
    const finishDueAt = new Date(now.getTime() + 3 * 86_400_000);
    await repo.update(
      id,
      row.version,
      {
        status: 'dispatched',
        assignedOrgId: f.department.id,
        assignedOrgPath: f.department.path,
        dispatchedAt: now,
        finishDueAt,
      },
      now,
    );
    await record(q, tx, id, 'appeal.dispatch', { orgId: f.department.id });
    await timer(q, tx, id, 'finish_warning', new Date(finishDueAt.getTime() - 86_400_000));
    await timer(q, tx, id, 'finish_overdue', finishDueAt);
    await notifier.send(tx, {
      appealId: id,
      channel: 'sms',
      to: cipher.decrypt(f.cipherSamples.phone),
      template: 'appeal.dispatched',
      params: { code: row.trackingCode, org: '相关部门' },
    });
    await events.publish(tx, { type: 'appeal.updated', appealId: id, orgPath: row.orgPath });
  });
}
