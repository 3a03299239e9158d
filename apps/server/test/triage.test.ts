import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newTrackingCode } from '../src/modules/appeals/index.ts';
import { createTrainingRepository } from '../src/modules/triage/triage.repository.ts';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { bearer } from './support/harness.ts';

/*
 * POST /api/v1/triage (issue #22): the shipped domain model's label, the units of the place with
 * the reason for each, and the open appeals the text may repeat — near in space and time, alike in
 * words, and within the caller's own subtree.
 */

let w: AppealWorld;
let tokens: Record<string, string>;
const POTHOLE = '光明大道路面有个大坑，车辆经过很危险，已经有电动车摔倒了';
const POTHOLE_AGAIN = '光明大道上路面出现一个大坑，电动车经过很危险，请尽快修补';

/** A point `metres` north of `at` (a degree of latitude is ~111.32 km everywhere). */
const north = (at: { lat: number; lng: number }, metres: number) => ({
  lat: at.lat + metres / 111_320,
  lng: at.lng,
});

const triage = (user: string | null, body: unknown) =>
  w.h.app.inject({
    method: 'POST',
    url: '/api/v1/triage',
    headers: user ? bearer(tokens[user]!) : {},
    payload: body as Record<string, unknown>,
  });

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'street2-dispatcher', 'dept-handler']);
  tokens = {
    'district-dispatcher': await w.h.login('district-dispatcher'),
    'street2-dispatcher': await w.h.login('street2-dispatcher'),
    'dept-handler': await w.h.login('dept-handler'),
  };
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

describe('routing', () => {
  test('a point inside: the domain’s department, the grid, the nearest stations, community and subdistrict', async () => {
    const reply = await triage('district-dispatcher', {
      title: '出租车拒载',
      content: '在光明大道打车，出租车拒载还绕路，司机态度恶劣，希望交通部门管一管',
      location: w.pin,
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const result = reply.json();
    expect(result.domain).toMatchObject({ label: '交通运输' });
    expect(result.domain.confidence).toBeGreaterThan(0.6);
    expect(result.needsHuman).toBe(false);
    expect(result.categories).toEqual([]);
    const reasons = result.routes.map((r: { reason: string }) => r.reason);
    expect(result.routes[0]).toMatchObject({ name: '光明区交通运输局', level: 'department' });
    expect(reasons[0]).toContain('事项主管部门');
    expect(reasons).toContain('所在网格');
    expect(reasons).toContain('所在社区');
    expect(reasons).toContain('所在街道');
    expect(reasons.some((r: string) => /^距离 \d+ 米$/.test(r))).toBe(true);
    const community = result.routes.find((r: { reason: string }) => r.reason === '所在社区');
    expect(community.name).toContain('光明社区');
  });

  test('a point on the district’s edge is still inside; a point far outside has no units', async () => {
    const district = await w.h.testDb.db.one<{
      boundary: { type: string; coordinates: number[][][] | number[][][][] };
    }>("SELECT boundary FROM org_unit WHERE level = 'district' LIMIT 1");
    const ring = (
      district!.boundary.type === 'Polygon'
        ? (district!.boundary.coordinates as number[][][])[0]
        : (district!.boundary.coordinates as number[][][][])[0]![0]
    )!;
    const [lng, lat] = ring[0]!;
    const edge = (
      await triage('district-dispatcher', { content: '路灯不亮', location: { lat: lat!, lng: lng! } })
    ).json();
    expect(edge.routes.length).toBeGreaterThan(0);
    const far = (
      await triage('district-dispatcher', { content: '路灯不亮', location: { lat: 39.9, lng: 116.4 } })
    ).json();
    expect(far.routes).toEqual([]);
    expect(far.duplicates).toEqual([]);
  });

  test('the units holding a point are found through the spatial index, not a scan of every unit', async () => {
    const db = w.h.testDb.db;
    // With sequential scans discouraged the planner must have the GiST index to use (tables this
    // small would otherwise be scanned, index or not). The expression is the one boxesContaining
    // queries (orgs.repository.ts); with its level condition the planner may combine indexes.
    const plan = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      return tx.many<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM org_unit
          WHERE box(point(min_lng, min_lat), point(max_lng, max_lat)) @> box(point(113.93, 22.76), point(113.93, 22.76))`,
      );
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('org_unit_bbox');
  });
});

describe('duplicates', () => {
  let first: { id: string; trackingCode: string };

  beforeAll(async () => {
    first = await w.newAppeal({ content: POTHOLE, location: { ...w.pin, address: '光明大道' } });
  });

  test('the same pothole 50 m away on the same day is offered, with similarity and distance', async () => {
    const result = (
      await triage('district-dispatcher', { content: POTHOLE_AGAIN, location: north(w.pin, 50) })
    ).json();
    expect(result.duplicates).toHaveLength(1);
    expect(result.duplicates[0]).toMatchObject({ id: first.id, status: 'submitted' });
    expect(result.duplicates[0].distanceM).toBeGreaterThanOrEqual(45);
    expect(result.duplicates[0].distanceM).toBeLessThanOrEqual(55);
    expect(result.duplicates[0].similarity).toBeGreaterThan(0.3);
    // Staff see tracking codes masked.
    expect(result.duplicates[0].trackingCode).toContain('*');
  });

  test('the same text 5 km away, another matter nearby, or one from last week is not', async () => {
    const far = (
      await triage('district-dispatcher', { content: POTHOLE, location: north(w.pin, 5000) })
    ).json();
    expect(far.duplicates).toEqual([]);
    const other = (
      await triage('district-dispatcher', {
        content: '楼下餐馆油烟太大，晚上噪音扰民',
        location: north(w.pin, 20),
      })
    ).json();
    expect(other.duplicates).toEqual([]);
    // A drain reported eight days ago, 100 m further on: past DOORSTEP_DUPLICATE_DAYS (7).
    const drain = '光明大道旁边的下水道井盖堵塞，一下雨就积水';
    const old = await w.newAppeal({
      content: drain,
      location: { ...north(w.pin, 100), address: '光明大道' },
    });
    await w.h.testDb.db.query(
      "UPDATE appeal SET submitted_at = submitted_at - interval '8 days' WHERE id = $1",
      [old.id],
    );
    const later = (
      await triage('district-dispatcher', { content: drain, location: north(w.pin, 100) })
    ).json();
    expect(later.duplicates).toEqual([]);
    await w.h.testDb.db.query(
      "UPDATE appeal SET submitted_at = submitted_at + interval '7 days' WHERE id = $1",
      [old.id],
    );
    const recent = (
      await triage('district-dispatcher', { content: drain, location: north(w.pin, 100) })
    ).json();
    expect(recent.duplicates.map((d: { id: string }) => d.id)).toEqual([old.id]);
  });

  test('intake keeps the triage on the appeal: its dispatcher sees the domain and the duplicate, then merges', async () => {
    const second = await w.newAppeal({
      content: POTHOLE_AGAIN,
      location: { ...north(w.pin, 50), address: '光明大道' },
    });
    const detail = (await w.detail('district-dispatcher', second.id)).json();
    expect(detail.triage.domain.label).toBe('交通运输');
    expect(detail.triage.needsHuman).toBe(false);
    expect(detail.triage.duplicates.map((d: { id: string }) => d.id)).toEqual([first.id]);
    expect(detail.triage.duplicates[0].title).toContain('光明大道');
    const stored = await w.h.testDb.db.one<{ triage: { duplicates: { id: string }[] } }>(
      'SELECT triage FROM appeal WHERE id = $1',
      [second.id],
    );
    expect(stored!.triage.duplicates[0]!.id).toBe(first.id);
    // The dispatcher merges the later report into the first: the duplicate is no longer offered.
    await w.must('district-dispatcher', second.id, 'merge', { intoId: first.id });
    const third = await w.newAppeal({
      content: POTHOLE,
      location: { ...north(w.pin, 30), address: '光明大道' },
    });
    const offered = (await w.detail('district-dispatcher', third.id)).json().triage.duplicates;
    expect(offered.map((d: { id: string }) => d.id)).toEqual([first.id]);
    // The merged report's reporter follows the surviving case: its dispatch reaches them by SMS.
    await w.must('district-dispatcher', first.id, 'accept');
    await w.must('district-dispatcher', first.id, 'dispatch', { orgId: w.dept.urban });
    const sms = await w.h.testDb.db.many<{ body: string }>(
      "SELECT body FROM outbox WHERE appeal_id = $1 AND template = 'appeal.merged_progress'",
      [second.id],
    );
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain(second.trackingCode);
    expect(sms[0]!.body).toContain(first.trackingCode);
    expect(sms[0]!.body).toContain('已转交');
    // The merged report's own tracking code shows the surviving case's steps since the merge.
    const tracked = (await w.track(second.trackingCode)).json();
    expect(tracked.mergedInto).toBe(first.trackingCode);
    const followed = tracked.timeline.filter((e: { detail?: string }) =>
      e.detail?.startsWith('合并办理的事项'),
    );
    expect(followed.length).toBeGreaterThanOrEqual(2);
  });

  test('another subdistrict’s dispatcher is not shown 光明’s appeals', async () => {
    const result = (
      await triage('street2-dispatcher', { content: POTHOLE_AGAIN, location: north(w.pin, 50) })
    ).json();
    expect(result.duplicates).toEqual([]);
  });
});

describe('hotspots and the wage sweep', () => {
  const hotspots = (user: string | null, query = '') =>
    w.h.app.inject({ url: `/api/v1/hotspots${query}`, headers: user ? bearer(tokens[user]!) : {} });

  test('eight neighbours complaining of one restaurant make the hottest cluster; growth over last week counts', async () => {
    const spot = north(w.pin, 900);
    // Last week: one report; this week: eight, from eight phones, within 100 m.
    const old = await w.newAppeal({
      content: '楼下餐馆油烟太大，熏得没法开窗',
      location: spot,
      contact: { phone: '13700000000' },
    });
    await w.h.testDb.db.query(
      "UPDATE appeal SET submitted_at = submitted_at - interval '8 days' WHERE id = $1",
      [old.id],
    );
    for (let i = 0; i < 8; i++) {
      await w.newAppeal({
        content: `楼下餐馆油烟太大，晚上噪音扰民，第${i + 1}户邻居反映`,
        location: north(spot, i * 10),
        contact: { name: '邻居', phone: `1370000000${i + 1}` },
      });
    }
    const reply = await hotspots('district-dispatcher');
    expect(reply.statusCode, reply.body).toBe(200);
    const top = reply.json().hotspots[0];
    expect(top).toMatchObject({ topic: '环境保护', count: 8, reporters: 8, previous: 1, growth: 7 });
    expect(top.heat).toBeGreaterThan(100);
    expect(top.appeals).toHaveLength(5);
    expect(Math.abs(top.lat - spot.lat)).toBeLessThan(0.002);
  });

  test('an employer named in three wage appeals is flagged; another subdistrict sees none of it', async () => {
    const texts = [
      '我在深圳市光明某电子有限公司工作三个月，公司拖欠工资',
      '光明某电子有限公司三个月没发工资，老板不见了',
      '我们是光明某电子有限公司的员工，被欠薪',
    ];
    for (const [i, content] of texts.entries()) {
      await w.newAppeal({ content, location: north(w.pin, 1500), contact: { phone: `1360000000${i}` } });
    }
    const employers = (await hotspots('district-dispatcher')).json().employers;
    expect(employers).toEqual([expect.objectContaining({ employer: '光明某电子有限公司', appeals: 3 })]);
    const other = (await hotspots('street2-dispatcher')).json();
    expect(other.employers).toEqual([]);
    expect(other.hotspots.filter((h: { topic: string }) => h.topic === '环境保护')).toEqual([]);
  });

  test('a department handler may not ask; a window longer than 90 days or in the future is a 400', async () => {
    expect((await hotspots('dept-handler')).statusCode).toBe(403);
    expect((await hotspots(null)).statusCode).toBe(401);
    expect((await hotspots('district-dispatcher', '?since=2020-01-01T00:00:00Z')).statusCode).toBe(400);
    expect((await hotspots('district-dispatcher', '?since=2099-01-01T00:00:00Z')).statusCode).toBe(400);
    expect((await hotspots('district-dispatcher', '?since=yesterday')).statusCode).toBe(400);
  });
});

describe('who may ask, and bad input', () => {
  test('a department handler is refused; an anonymous caller must log in', async () => {
    expect((await triage('dept-handler', { content: '路灯不亮' })).statusCode).toBe(403);
    expect((await triage(null, { content: '路灯不亮' })).statusCode).toBe(401);
  });

  test('a missing text or a location off the globe is a 400 with the field named', async () => {
    const empty = await triage('district-dispatcher', { title: '无内容' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('validation_failed');
    const off = await triage('district-dispatcher', { content: '路灯不亮', location: { lat: 95, lng: 0 } });
    expect(off.statusCode).toBe(400);
    expect(JSON.stringify(off.json().error.details)).toContain('lat');
  });
});

describe('learning from dispatchers', () => {
  test('a dispatcher’s 改类 is journaled as a correction and labels the appeal in the next training set', async () => {
    const appeal = await w.newAppeal({
      content: '小区门口的路灯坏了一个月，晚上一片漆黑',
      location: north(w.pin, 2500),
    });
    // Only the area's desks correct a category; a department handler is refused.
    expect(
      (await w.act('dept-handler', appeal.id, 'recategorize', { categoryCode: 'SP-SZ-003' })).statusCode,
    ).toBe(404);
    const corrected = await w.must('district-dispatcher', appeal.id, 'recategorize', {
      categoryCode: 'SP-SZ-003',
      reason: '实为路灯问题',
    });
    expect((corrected.category as { code: string }).code).toBe('SP-SZ-003');
    const again = await w.act('district-dispatcher', appeal.id, 'recategorize', {
      categoryCode: 'SP-SZ-003',
    });
    expect(again.statusCode).toBe(409);
    const unknown = await w.act('district-dispatcher', appeal.id, 'recategorize', {
      categoryCode: 'NO-SUCH',
    });
    expect(unknown.statusCode).toBe(422);
    const entry = (corrected.timeline as { action: string; data: Record<string, unknown> }[]).find(
      (e) => e.action === 'appeal.recategorize',
    );
    expect(entry?.data).toMatchObject({ correction: true, to: { code: 'SP-SZ-003' } });

    const before = await createTrainingRepository(w.h.services.db).finishedSince(null);
    expect(before.map((r) => r.content)).not.toContain('小区门口的路灯坏了一个月，晚上一片漆黑');
    await w.must('district-dispatcher', appeal.id, 'accept');
    await w.must('district-dispatcher', appeal.id, 'dispatch', { orgId: w.dept.urban });
    await w.must('dept-handler', appeal.id, 'claim');
    await w.must('dept-handler', appeal.id, 'resolve', { summary: '已更换灯泡' });
    const set = await createTrainingRepository(w.h.services.db).finishedSince(null);
    const example = set.find((r) => r.content === '小区门口的路灯坏了一个月，晚上一片漆黑');
    expect(example).toMatchObject({ label: 'SP-SZ-003', corrected: true });
    expect(example!.labelName).toContain('路灯');
  });
});

describe('the district’s own item model', () => {
  test('trained from finished appeals, evaluated and versioned, it suggests the item at triage and intake', async () => {
    // Twelve finished appeals each of two items in 光明's grid, as the district's history.
    const area = (await w.h.testDb.db.one<{ id: number; path: string }>(
      "SELECT id, path FROM org_unit WHERE level = 'grid' ORDER BY id LIMIT 1",
    ))!;
    const history: [string, string[]][] = [
      ['SP-SZ-003', ['路灯不亮', '路灯坏了', '路灯闪烁', '灯杆倒了', '晚上路灯熄灭']],
      ['SP-SZ-001', ['井盖缺失', '井盖破损', '下水道盖丢了', '窨井盖塌陷', '井盖不见了']],
    ];
    for (const [code, phrases] of history) {
      for (let i = 0; i < 12; i++) {
        await w.h.testDb.db.query(
          `INSERT INTO appeal (tracking_code, channel, category_id, title, content, status, org_id, org_path,
             submitted_at, updated_at)
           SELECT $1, 'h5', c.id, $2, $3, 'closed', $4, $5, now(), now() FROM category c WHERE c.code = $6`,
          [
            newTrackingCode(),
            phrases[i % 5]!,
            `小区${i + 1}号楼附近${phrases[i % 5]}，请尽快处理`,
            area.id,
            area.path,
            code,
          ],
        );
      }
    }
    const results = await w.h.services.db.transaction((tx) =>
      w.h.services.triage.items.trainAll(tx, w.h.clock.now()),
    );
    expect(results[0]).toMatchObject({ version: 1, labels: 2 });
    const stored = await w.h.testDb.db.one<{
      version: number;
      evaluation: { macroF1: number; folds: number };
    }>('SELECT version, evaluation FROM triage_model WHERE active');
    expect(stored!.evaluation.folds).toBe(3);
    expect(stored!.evaluation.macroF1).toBeGreaterThan(0.8);

    const reply = (
      await triage('district-dispatcher', { content: '楼下的路灯一直不亮，晚上很黑', location: w.pin })
    ).json();
    expect(reply.categories[0]).toMatchObject({ code: 'SP-SZ-003' });
    expect(reply.categories[0].label).toContain('路灯');
    expect(reply.categories.length).toBe(2);
    const appeal = await w.newAppeal({ content: '小区门口井盖不见了，很危险', location: w.pin });
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail.triage.categories[0].code).toBe('SP-SZ-001');
    // A second training is the next version; only one is active.
    await w.h.services.db.transaction((tx) => w.h.services.triage.items.trainAll(tx, w.h.clock.now()));
    const versions = await w.h.testDb.db.many<{ version: number; active: boolean }>(
      'SELECT version, active FROM triage_model ORDER BY version',
    );
    expect(versions).toEqual([
      { version: 1, active: false },
      { version: 2, active: true },
    ]);
  });
});

describe('early warning', () => {
  test('a cluster that grew past the rate is journaled once a day and pushed to its area', async () => {
    const heard: { type: string; orgPath: string }[] = [];
    const unsubscribe = await w.h.services.events.subscribe((event) => heard.push(event));
    const sweep = async () => {
      await w.h.services.db.transaction((tx) => w.h.services.hotspotAlerts.schedule(tx, w.h.clock.now()));
      w.h.clock.advance(16 * 60_000);
      await w.h.services.jobs.runDue(w.h.services.jobHandlers);
    };
    try {
      await sweep();
      const alerts = await w.h.testDb.db.many<{ data: { topic: string; count: number; orgPath: string } }>(
        "SELECT data FROM journal WHERE stream = 'hotspots' AND action = 'hotspot.alert' ORDER BY seq",
      );
      // The restaurant's eight neighbours (hotspots test above): eight today, none the day before.
      const smoke = alerts.filter((a) => a.data.topic === '环境保护');
      expect(smoke).toHaveLength(1);
      expect(smoke[0]!.data.count).toBe(8);
      expect(smoke[0]!.data.orgPath).toMatch(/^(\/\d+)+\/$/);
      await expect.poll(() => heard.filter((e) => e.type === 'hotspot.alert').length).toBeGreaterThan(0);
      // The next sweep finds the same cluster: no second alert the same day.
      await sweep();
      const again = await w.h.testDb.db.many(
        "SELECT 1 FROM journal WHERE stream = 'hotspots' AND action = 'hotspot.alert' AND data->>'topic' = '环境保护'",
      );
      expect(again).toHaveLength(1);
      // The sweep keeps itself going: one pending sweep.
      const pending = await w.h.testDb.db.many(
        "SELECT 1 FROM job WHERE kind = 'triage.hotspot_sweep' AND done_at IS NULL AND failed_at IS NULL",
      );
      expect(pending).toHaveLength(1);
    } finally {
      unsubscribe();
    }
  });
});
