import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  agreeAndSubmit,
  marker,
  phonePhoto,
  residentPage,
  screenshot,
  staffApi,
} from './support/resident.ts';

let doorstep: RunningDoorstep;
let browser: Browser;

// Generous: the server loads the demo district before it answers, slow on a busy machine.
beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

const APPEALS = '**/api/v1/appeals';
const UPLOADS = '**/api/v1/uploads';
const outboxSize = (page: Page) =>
  page.evaluate(
    () => JSON.parse(localStorage.getItem('doorstep.resident.outbox.v1') ?? '[]').length as number,
  );
const goOnline = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('online')));

describe('a submission made without a network', () => {
  test('is kept as 待发送 and sent exactly once when the network is back, photo included', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, { lat: 22.7687, lng: 113.9357 });
    await page.goto(`${doorstep.baseUrl}/report`);
    await expect.poll(() => page.getByTestId('pin-text').getAttribute('data-lat')).toBe('22.7687');

    // The network drops: neither the photo nor the appeal can reach the server.
    const offline = (route: Route) => route.abort('internetdisconnected');
    await page.route(APPEALS, offline);
    await page.route(UPLOADS, offline);

    await page.getByTestId('category-field').click();
    await page.getByRole('button', { name: '噪音扰民', exact: true }).click();
    await page.getByRole('radio', { name: '广场舞' }).click();
    const text = `${marker()} 每晚十点后广场舞音响声音很大，影响休息`;
    await page.getByPlaceholder(/请说明发生了什么/).fill(text);
    await page.locator('input[type=file]').setInputFiles({
      name: 'noise.jpg',
      mimeType: 'image/jpeg',
      buffer: await phonePhoto(1200, 900),
    });
    await expect.poll(() => page.locator('body').innerText()).toContain('待上传');
    await agreeAndSubmit(page);

    const pending = page.getByTestId('receipt-pending');
    await pending.waitFor({ timeout: 15_000 });
    expect(await pending.innerText()).toContain('待发送');
    expect(await pending.innerText()).toContain('1 张照片将在发送时上传');
    expect(await outboxSize(page)).toBe(1);
    await screenshot(page, 'resident-outbox-pending');

    // Next visit, still offline: the home page lists it as 待发送, and nothing reached the server.
    await page.goto(`${doorstep.baseUrl}/`);
    await expect.poll(() => page.getByTestId('outbox').innerText()).toContain('噪音扰民');
    const staff = await staffApi(doorstep.baseUrl);
    expect(await staff.appealsMatching(text.slice(0, 11))).toHaveLength(0);

    // The network comes back flaky: the upload and the appeal reach the server, but the answer to
    // the appeal is lost on the way back. The page cannot know it was stored.
    await page.unrouteAll();
    let lost = 0;
    await page.route(APPEALS, async (route) => {
      await route.fetch();
      lost++;
      await route.abort('connectionreset');
    });
    await goOnline(page);
    await expect.poll(() => lost, { timeout: 15_000 }).toBe(1);
    expect(await outboxSize(page)).toBe(1);

    // Fully back: the retry carries the same Idempotency-Key and gets the stored appeal back.
    await page.unrouteAll();
    await goOnline(page);
    await expect.poll(() => outboxSize(page), { timeout: 15_000 }).toBe(0);
    const recent = page.getByTestId('recent');
    await expect.poll(() => recent.innerText()).toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}/);
    const shownCode = /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}/.exec(await recent.innerText())![0];

    const appeals = await staff.appealsMatching(text.slice(0, 11));
    expect(appeals).toHaveLength(1);
    expect(appeals[0]).toMatchObject({
      trackingCode: maskTrackingCode(shownCode),
      category: { code: 'SP-RM-001' },
    });
    const detail = await staff.appeal(String(appeals[0]!.id));
    expect(detail).toMatchObject({ content: text, attributes: { source: 'square_dance' } });
    expect(detail.attachments).toHaveLength(1);

    // Another visit sends nothing again.
    await page.reload();
    await page.getByTestId('recent').waitFor();
    await goOnline(page);
    await page.waitForTimeout(500);
    expect(await staff.appealsMatching(text.slice(0, 11))).toHaveLength(1);
  }, 90_000);

  test('the pending receipt turns into the tracking code once the outbox has sent it', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, { lat: 22.7687, lng: 113.9357 });
    await page.goto(`${doorstep.baseUrl}/report`);
    await page.route(APPEALS, (route) => route.abort('internetdisconnected'));

    await page.getByTestId('category-field').click();
    await page.getByRole('button', { name: '不清楚类别，交给工作人员判断' }).click();
    const text = `${marker()} 楼道灯坏了一个多月没人修`;
    await page.getByPlaceholder(/请说明发生了什么/).fill(text);
    await agreeAndSubmit(page);
    await page.getByTestId('receipt-pending').waitFor({ timeout: 15_000 });

    await page.unrouteAll();
    await goOnline(page);
    const code = page.getByTestId('tracking-code');
    await code.waitFor({ timeout: 15_000 });
    const staff = await staffApi(doorstep.baseUrl);
    const appeals = await staff.appealsMatching(text.slice(0, 11));
    expect(appeals.map((a) => a.trackingCode)).toEqual([maskTrackingCode(await code.innerText())]);
    expect(appeals[0]!.category).toBeNull();
  }, 60_000);
});
