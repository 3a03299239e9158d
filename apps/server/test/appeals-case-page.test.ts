import type { ExtraField } from '@doorstep/contracts';
import { afterAll, describe, expect, test } from 'vitest';
import { createAppealWorld } from './support/appeals.ts';

/*
 * A complete case page (issue #23 item 3): the reporter's answers to the item's questions in words,
 * and every step of the timeline with the person and the unit who took it.
 */
const world = await createAppealWorld();
const { h } = world;
afterAll(() => h.close());

describe('the case page', () => {
  test('shows the answers to the item’s questions, in words, in the item’s order', async () => {
    type Item = { code: string; extraFields: ExtraField[] };
    const catalogue = (await h.app.inject({ url: '/api/v1/public/categories' })).json() as {
      kinds: { items: Item[]; groups: { items: Item[] }[] }[];
    };
    const manhole = catalogue.kinds
      .flatMap((kind) => [...kind.items, ...kind.groups.flatMap((group) => group.items)])
      .find((item) => item.code === world.manholeCode)!;
    const question = manhole.extraFields.find((field) => field.values && field.values.length > 0)!;
    const choice = question.values!.at(-1)!;
    const { id } = await world.newAppeal({ attributes: { [question.code]: choice.key } });
    const detail = (await world.detail('district-dispatcher', id)).json();
    expect(detail.attributes).toEqual({ [question.code]: choice.key });
    expect(detail.answers).toEqual([
      { code: question.code, question: question.description, answer: choice.name },
    ]);
  });

  test('names the person and the unit of every staff step; the resident’s own steps name nobody', async () => {
    const { id } = await world.newAppeal();
    await world.must('district-dispatcher', id, 'accept');
    await world.must('district-dispatcher', id, 'dispatch', { orgId: world.dept.urban });
    await world.must('dept-handler', id, 'claim');
    const me = async (user: string) =>
      (await h.app.inject({ url: '/api/v1/auth/me', headers: world.as(user) })).json().user;
    const dispatcher = await me('district-dispatcher');
    const handler = await me('dept-handler');
    const timeline = (await world.detail('district-dispatcher', id)).json().timeline as {
      action: string;
      actorName: string | null;
      actorOrgName: string | null;
    }[];
    const step = (action: string) => timeline.find((entry) => entry.action === action)!;
    expect(step('appeal.accept')).toMatchObject({
      actorName: dispatcher.displayName,
      actorOrgName: dispatcher.orgName,
    });
    expect(step('appeal.dispatch')).toMatchObject({ actorName: dispatcher.displayName });
    expect(step('appeal.claim')).toMatchObject({
      actorName: handler.displayName,
      actorOrgName: handler.orgName,
    });
    expect(step('appeal.submitted')).toMatchObject({ actorName: null });
  });

  test('the resident’s tracking page speaks of states residents follow: a verified result is 已办结', async () => {
    const appeal = await world.driveTo('verified');
    const view = (await world.track(appeal.trackingCode)).json();
    expect(view.status).toBe('verified');
    expect(view.statusLabel).toBe('已办结');
    expect(view.timeline.map((step: { label: string }) => step.label)).toContain('结果已核实');
    expect(JSON.stringify(view)).not.toContain('复核');
  });

  test('a title made from a long text says it was cut (…); a short text stays whole', async () => {
    const long = await world.newAppeal({
      content: '小区东门外的人行道井盖已经缺失三天了，晚上经过非常危险，请尽快处理',
    });
    const short = await world.newAppeal({ content: '井盖缺失很危险' });
    const titleOf = async (id: string) =>
      (await world.detail('district-dispatcher', id)).json().title as string;
    expect(await titleOf(long.id)).toMatch(/：小区东门外的人行道井盖已经缺失三天了，晚…$/);
    expect(await titleOf(short.id)).toMatch(/：井盖缺失很危险$/);
  });
});
