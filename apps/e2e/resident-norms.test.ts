import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  consoleErrors,
  horizontalOverflow,
  marker,
  type Point,
  residentPage,
  screenshot,
  stationsNear,
} from './support/resident.ts';

/*
 * The resident H5 against the norms of 粤省事 / i深圳 / 浙里办 (issue #23 item 5): consent to the
 * personal-information notice before the first submission (个人信息保护法 art. 14), a 长辈版
 * remembered on the device, and a browser title per page.
 */
let doorstep: RunningDoorstep;
let browser: Browser;
let near: Point;

beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
  const [station] = await stationsNear(doorstep.baseUrl, { lat: 22.7687, lng: 113.9357 }, 5000);
  if (!station) throw new Error('the demo district has no station near its centre');
  near = { lat: station.location.lat + 0.0015, lng: station.location.lng };
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

describe('the resident H5’s norms', { timeout: 90_000 }, () => {
  test('refuses to submit before the resident agrees to the notice; agreeing from the notice sends it', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, near);
    await page.goto(`${doorstep.baseUrl}/report`);
    await page.getByTestId('category-field').click();
    await page.getByRole('button', { name: '不清楚类别，交给工作人员判断' }).click();
    await page.getByPlaceholder(/请说明发生了什么/).fill(`${marker()} 楼道灯坏了一个多月没人修`);
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/appeals'))
        posted.push(request.url());
    });
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('请阅读并同意个人信息保护告知');
    expect(posted).toEqual([]);
    expect(await page.getByTestId('tracking-code').count()).toBe(0);

    await page.getByTestId('privacy-notice-link').click();
    const notice = page.getByTestId('privacy-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('处理目的');
    await screenshot(page, 'resident-privacy-notice');
    await notice.getByRole('button', { name: '我已阅读并同意' }).click();
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByTestId('tracking-code').waitFor({ timeout: 15_000 });
    expect(posted).toHaveLength(1);
    expect(consoleErrors(page)).toEqual([]);
  });

  test('a mobile or a landline with its area code passes; other digits are refused before sending', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, near);
    await page.goto(`${doorstep.baseUrl}/report`);
    const phone = page.locator('input[name="phone"]');
    const submit = page.getByRole('button', { name: '提交', exact: true });
    const invalid = '请填写 11 位手机号码，或带区号的固定电话';
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/appeals'))
        posted.push(request.url());
    });
    for (const wrong of ['12345678', '0755-0234567', '+44 7700 900123']) {
      await phone.fill(wrong);
      await submit.click();
      await expect.poll(() => page.locator('body').innerText()).toContain(invalid);
    }
    await phone.fill('（0755）2345 6789');
    await phone.blur();
    await page.getByTestId('landline-hint').waitFor();
    await phone.fill('139 8765 4321');
    await phone.blur();
    await expect.poll(() => page.getByTestId('landline-hint').count()).toBe(0);
    expect(posted).toEqual([]);
  });

  test('长辈版 enlarges the pages, stays on across a reload, and nothing spills sideways at 390 px', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, near);
    await page.goto(`${doorstep.baseUrl}/`);
    const titleSize = () =>
      page
        .locator('.entry-title')
        .first()
        .evaluate((el) => el.getBoundingClientRect().height);
    const before = await titleSize();
    await page.getByTestId('elder-switch').click();
    await expect.poll(titleSize).toBeGreaterThan(before * 1.1);
    await page.reload();
    expect(await page.getByTestId('elder-switch').getAttribute('aria-pressed')).toBe('true');
    expect(await titleSize()).toBeGreaterThan(before * 1.1);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'resident-elder-home');
    await page.goto(`${doorstep.baseUrl}/report`);
    await page.getByTestId('category-field').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await page.goto(`${doorstep.baseUrl}/`);
    await page.getByTestId('elder-switch').click();
    await page.reload();
    expect(await page.getByTestId('elder-switch').getAttribute('aria-pressed')).toBe('false');
  });

  test('without a tile server the map names the grids around, and a place is found by name', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, near);
    await page.goto(`${doorstep.baseUrl}/report`);
    await expect.poll(() => page.locator('body').innerText()).toContain('未配置在线地图，仅显示辖区网格');
    await expect.poll(() => page.locator('.resident-map-area').count()).toBeGreaterThan(0);
    const places = (await (
      await fetch(`${doorstep.baseUrl}/api/v1/public/places?q=${encodeURIComponent('社区')}`)
    ).json()) as {
      items: { name: string; location: { lat: number; lng: number } }[];
    };
    const target = places.items[0]!;
    const search = page.getByTestId('place-search').locator('input');
    await search.fill(target.name);
    await search.press('Enter');
    const results = page.getByTestId('place-results');
    await results.getByText(target.name, { exact: true }).first().click();
    const pin = page.getByTestId('pin-text');
    await expect
      .poll(async () => Number(await pin.getAttribute('data-lat')))
      .toBeCloseTo(target.location.lat, 3);
    expect(Number(await pin.getAttribute('data-lng'))).toBeCloseTo(target.location.lng, 3);
    await screenshot(page, 'resident-map-no-tiles');
    expect(consoleErrors(page)).toEqual([]);
  });

  test('every page has its own browser title', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, near);
    const titles: Record<string, string> = {};
    for (const path of ['/', '/report', '/track', '/nearby']) {
      await page.goto(`${doorstep.baseUrl}${path}`);
      await page.locator('.app').waitFor();
      titles[path] = await page.title();
    }
    expect(new Set(Object.values(titles)).size).toBe(4);
    expect(titles['/report']).toMatch(/^我要反映 · /);
  });
});
