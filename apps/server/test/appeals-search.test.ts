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
});
