import { ACTION_NAMES, type ActionName, APPEAL_STATUSES } from '@doorstep/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { transitions } from '../src/modules/appeals/index.ts';
import { createAppealWorld, STAFF, WORLD_TIMEOUT_MS } from './support/appeals.ts';
import { assertProperty, FUZZ_SEED } from './support/hostile.ts';

/*
 * The workflow engine under random use (issue #18): random sequences of actions by random desks,
 * through the HTTP API, against the appeal machine. Whatever happens, the invariants hold: one
 * current state, reached only as the transition table says; the version grows with every accepted
 * action and never otherwise; no 5xx; deadlines never before submission; the journal chain valid.
 */

const world = await createAppealWorld();
const { h } = world;
afterAll(() => h.close());

const RUNS = Number(process.env.DOORSTEP_FUZZ_RUNS ?? 25);
const STEPS = 14;
let mergeTarget = '';

beforeAll(async () => {
  mergeTarget = (await world.newAppeal()).id;
});

/** A valid body for the action (validation is the contract test's concern; here the rules are). */
function bodyFor(action: ActionName, passed: boolean): Record<string, unknown> {
  const bodies: Record<ActionName, Record<string, unknown>> = {
    accept: {},
    reject: { reason: '不属于受理范围' },
    dispatch: { orgId: passed ? world.dept.urban : world.dept.housing },
    assign: { userId: '00000000-0000-4000-8000-000000000000' },
    claim: {},
    return: { reason: '不属于本部门' },
    start: {},
    note: { text: '已联系现场' },
    resolve: { summary: '已处理' },
    verify: { passed, note: '现场复核' },
    close: {},
    reopen: { reason: '居民再次反映' },
    merge: { intoId: mergeTarget },
    recategorize: { categoryCode: 'SP-SZ-003', reason: '实为路灯问题' },
    'mark-complex': { reason: '涉及多个部门，情况复杂' },
    'request-extension': { workingDays: 2, reason: '需要协调' },
    'approve-extension': {},
    'deny-extension': { reason: '不予延期' },
    whistle: { reason: '需要联合处置', summonOrgIds: [world.dept.housing] },
    'report-in': { note: '已报到' },
    supervise: { note: '请加快办理' },
    remind: {},
  };
  return bodies[action];
}

const step = fc.record({
  user: fc.constantFrom(...STAFF),
  action: fc.constantFrom(...ACTION_NAMES),
  /** Mostly an action the desk is offered, so sequences go deep into the machine. */
  offered: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  pick: fc.nat(),
  passed: fc.boolean(),
  stale: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

async function view(id: string) {
  const response = await h.app.inject({
    url: `/api/v1/appeals/${id}`,
    headers: world.as('district-dispatcher'),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('random action sequences through the appeal machine', () => {
  test('keep one state, a growing version, sane deadlines and a valid journal', {
    timeout: WORLD_TIMEOUT_MS * 3,
  }, async () => {
    let accepted = 0;
    await assertProperty(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: STEPS }), async (steps) => {
        const { id } = await world.newAppeal();
        let before = await view(id);
        for (const s of steps) {
          const mine = await h.app.inject({ url: `/api/v1/appeals/${id}`, headers: world.as(s.user) });
          const offered: ActionName[] = mine.statusCode === 200 ? mine.json().availableActions : [];
          const action = s.offered && offered.length ? offered[s.pick % offered.length]! : s.action;
          const version = s.stale ? before.version - 1 : before.version;
          const response = await world.act(s.user, id, action, bodyFor(action, s.passed), {
            'if-match': `"${version}"`,
          });
          expect(response.statusCode, `${s.user} ${action}: ${response.body}`).toBeLessThan(500);
          const after = await view(id);
          expect(APPEAL_STATUSES).toContain(after.status);
          if (response.statusCode === 200) {
            accepted++;
            expect(after.version).toBeGreaterThan(before.version);
            const rule = transitions[action];
            expect(rule.from).toContain(before.status);
            if (rule.to === null) expect(after.status).toBe(before.status);
            else if (rule.to === 'computed') expect(['verified', 'in_progress']).toContain(after.status);
            else expect(after.status).toBe(rule.to);
            expect(offered.length === 0 || offered.includes(action) || !s.offered).toBe(true);
          } else {
            expect(after.version).toBe(before.version);
            expect(after.status).toBe(before.status);
          }
          for (const due of [after.acceptDueAt, after.finishDueAt]) {
            if (due)
              expect(new Date(due).getTime()).toBeGreaterThanOrEqual(new Date(after.submittedAt).getTime());
          }
          before = after;
        }
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The sequences must reach into the machine, not only bounce off its refusals.
    expect(accepted).toBeGreaterThan(RUNS);
    expect((await h.services.journal.verify(h.services.db)).status).toBe('ok');
  });
});
