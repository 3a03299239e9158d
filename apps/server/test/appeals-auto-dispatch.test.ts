import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppealWorld, createAppealWorld, WORLD_TIMEOUT_MS } from './support/appeals.ts';

/**
 * 自动派单 (issue #24 item 3): with DOORSTEP_AUTO_DISPATCH on, an appeal whose item is known, whose
 * text the domain model reads with confidence and whose catalogue rules name one unit is accepted
 * and dispatched by the platform — journaled with no person as actor, the reason in the note.
 * Anything less certain waits for a person.
 */
let w: AppealWorld;

beforeAll(async () => {
  w = await createAppealWorld(['district-dispatcher', 'dept-handler'], { settings: { autoDispatch: true } });
}, WORLD_TIMEOUT_MS);
afterAll(() => w?.h.close());

type Entry = {
  action: string;
  actorId: string | null;
  actorName: string | null;
  data: Record<string, unknown>;
};

describe('the platform dispatches what is certain', () => {
  test('a missing manhole cover goes to 城管 at once, by the platform, with its reason', async () => {
    const appeal = await w.newAppeal();
    const detail = (await w.detail('district-dispatcher', appeal.id)).json();
    expect(detail.status).toBe('dispatched');
    expect(detail.assigned.name).toContain('城市管理');
    const steps = (detail.timeline as Entry[]).filter((e) =>
      ['appeal.accept', 'appeal.dispatch'].includes(e.action),
    );
    expect(steps.map((e) => e.action)).toEqual(['appeal.accept', 'appeal.dispatch']);
    for (const step of steps) expect(step).toMatchObject({ actorId: null, actorName: null });
    expect(String(steps[1]!.data.note)).toMatch(/^平台自动派单：事项「井盖缺失\/破损」.+置信度 \d+%$/);
    // The handler finds it to claim without anyone at the dispatch desk.
    const inbox = (await w.h.app.inject({ url: '/api/v1/inbox', headers: w.as('dept-handler') })).json();
    expect(inbox.toClaim.map((a: { id: string }) => a.id)).toContain(appeal.id);
  });

  test('without a known item it waits for a person', async () => {
    const reply = await w.submit({
      categoryCode: undefined,
      content: '家门口有个东西坏了，不知道该找谁，请帮忙看看',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect((await w.detail('district-dispatcher', reply.json().id)).json().status).toBe('submitted');
  });

  test('a text that repeats an open appeal nearby waits for a person (a merge may be the answer)', async () => {
    const first = await w.submit({ content: '光明大道人行道井盖丢了，有小孩差点掉下去，请尽快处理' });
    const again = await w.submit({ content: '光明大道人行道井盖丢了，有小孩差点掉下去，请尽快处理！' });
    expect(first.statusCode).toBe(201);
    const detail = (await w.detail('district-dispatcher', again.json().id)).json();
    expect(detail.triage.duplicates.length).toBeGreaterThan(0);
    expect(detail.status).toBe('submitted');
  });

  test('an appeal complaining about a unit waits for a person (信访工作条例 art. 46)', async () => {
    const reply = await w.submit({
      content: '城管执法人员在处理井盖问题时态度恶劣，投诉',
      accusedOrgId: w.dept.urban,
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect((await w.detail('district-dispatcher', reply.json().id)).json().status).toBe('submitted');
  });
});
