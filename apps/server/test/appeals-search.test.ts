import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await createHarness();
  token = await h.login('district-dispatcher');
  const texts = [
    '小区楼下烧烤油烟扰民，晚上十二点还在营业',
    '公园公厕缺失，老人孩子很不方便',
    '楼上装修噪音扰民，周末早上七点就开始',
  ];
  for (const content of texts) {
    await h.app.inject({ method: 'POST', url: '/api/v1/appeals', payload: { channel: 'h5', content } });
  }
});
afterAll(() => h?.close());

const search = async (query: string) =>
  (await h.app.inject({ url: `/api/v1/appeals?${query}`, headers: bearer(token) })).json();

describe('staff find appeals', () => {
  test('by a Chinese phrase anywhere in the text', async () => {
    const found = await search(`q=${encodeURIComponent('扰民')}`);
    expect(found.items).toHaveLength(2);
    expect((await search(`q=${encodeURIComponent('公厕')}`)).items).toHaveLength(1);
    expect((await search(`q=${encodeURIComponent('井盖')}`)).items).toHaveLength(0);
  });

  test('by tracking code, in any case', async () => {
    const all = await search('limit=10');
    const code = all.items[0].trackingCode as string;
    const found = await search(`q=${code.toLowerCase()}`);
    expect(found.items.map((a: { trackingCode: string }) => a.trackingCode)).toEqual([code]);
  });

  test('page by page with a cursor, newest first, without repeats', async () => {
    const first = await search('limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next).toBeTruthy();
    const second = await search(`limit=2&cursor=${first.next}`);
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(3);
    expect(
      (await h.app.inject({ url: '/api/v1/appeals?cursor=garbage', headers: bearer(token) })).statusCode,
    ).toBe(400);
  });

  test('by status and channel', async () => {
    expect((await search('status=submitted&channel=h5')).items).toHaveLength(3);
    expect((await search('status=closed')).items).toHaveLength(0);
    expect(
      (await h.app.inject({ url: '/api/v1/appeals?status=bogus', headers: bearer(token) })).statusCode,
    ).toBe(400);
  });

  test('with a total when asked for, on the first page only', async () => {
    const first = await search('limit=1&count=true');
    expect(first.total).toEqual({ count: 3, capped: false });
    expect(first.items).toHaveLength(1);
    const second = await search(`limit=1&count=true&cursor=${encodeURIComponent(first.next)}`);
    expect(second.total).toBeNull();
    expect((await search('limit=1')).total).toBeNull();
    expect((await search(`count=true&q=${encodeURIComponent('扰民')}`)).total.count).toBe(2);
  });

  test('sorted by the finish deadline, soonest first, page after page', async () => {
    // Two accepted on different days have finish deadlines; the one never accepted has none.
    const all = (await search('limit=10')).items as { id: string; submittedAt: string }[];
    const [newest, middle] = all;
    const act = (id: string, action: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/appeals/${id}/actions/${action}`,
        headers: bearer(token),
      });
    expect((await act(newest!.id, 'accept')).statusCode).toBe(200);
    h.clock.advance(2 * 86_400_000);
    token = await h.login('district-dispatcher');
    expect((await act(middle!.id, 'accept')).statusCode).toBe(200);
    const page1 = await search('sort=due&limit=1&count=true');
    expect(page1.total.count).toBe(2);
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([newest!.id]);
    const page2 = await search(`sort=due&limit=1&cursor=${encodeURIComponent(page1.next)}`);
    expect(page2.items.map((i: { id: string }) => i.id)).toEqual([middle!.id]);
    expect(page2.next).toBeNull();
    expect(
      (await h.app.inject({ url: '/api/v1/appeals?sort=oldest', headers: bearer(token) })).statusCode,
    ).toBe(400);
  });
});
