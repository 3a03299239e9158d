import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktopPage, launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  act,
  apiToken,
  bodyText,
  departmentId,
  screenshot,
  signedInPage,
  submitAppeal,
  watchConsole,
} from './support/staff.ts';

let doorstep: RunningDoorstep;
let browser: Browser;

// The server builds nothing but starts a real process with the demo district: on a loaded machine
// that takes longer than the default hook timeout.
beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

const WALL = { width: 1920, height: 1080 };
// Generous: CI machines run both databases' suites side by side.
const poll = { timeout: 30_000 };

/** Places inside the demo district (光明区), spread over several subdistricts. */
const PLACES = [
  { lat: 22.765, lng: 113.938 },
  { lat: 22.79, lng: 113.9 },
  { lat: 22.74, lng: 113.93 },
  { lat: 22.77, lng: 113.96 },
  { lat: 22.73, lng: 113.9 },
];

const kpi = (page: Page, key: string) =>
  page
    .locator(`[data-kpi="${key}"] .kpi-value`)
    .innerText()
    .then((text) => Number.parseInt(text.replace(/\D/g, ''), 10));

describe('the command big screen', { timeout: 120_000 }, () => {
  test('a leader’s wall at 1920×1080 shows today’s figures, the three rates, the trend, the map and the timetable', async () => {
    // A morning's work: five appeals in, three accepted, two of those dispatched to 城管.
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    const urban = await departmentId(doorstep.baseUrl, dispatcher, '城市管理');
    const appeals = [];
    for (const [index, place] of PLACES.entries()) {
      appeals.push(await submitAppeal(doorstep.baseUrl, `大屏测试：第 ${index + 1} 处井盖缺失`, place));
    }
    for (const appeal of appeals.slice(0, 3)) await act(doorstep.baseUrl, dispatcher, appeal.id, 'accept');
    for (const appeal of appeals.slice(0, 2)) {
      await act(doorstep.baseUrl, dispatcher, appeal.id, 'dispatch', { orgId: urban });
    }

    const page = await signedInPage(browser, doorstep.baseUrl, 'leader', WALL);
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/screen/`);
    await expect.poll(() => kpi(page, 'received'), poll).toBe(5);
    expect(await kpi(page, 'dispatched')).toBe(2);
    expect(await kpi(page, 'open')).toBe(5);
    expect(await kpi(page, 'resolved')).toBe(0);

    const text = await bodyText(page);
    expect(text).toContain('光明区群众诉求服务指挥大屏');
    for (const title of ['近 30 日办理趋势', '高发事项 TOP 8', '诉求分布', '近 30 日三率', '整改时间表']) {
      expect(text).toContain(title);
    }
    // 3 of 5 answered, all within the accept deadline: the response rate is 60 %.
    await expect.poll(() => page.locator('[data-rate="response"]').innerText(), poll).toContain('3 / 5');
    // Charts drew on their canvases; the map drew the district, its six subdistricts and five dots.
    await expect.poll(() => page.locator('.chart canvas').count(), poll).toBeGreaterThanOrEqual(5);
    await expect.poll(() => page.locator('.leaflet-overlay-pane path.dot').count(), poll).toBe(5);
    await expect
      .poll(() => page.locator('.leaflet-overlay-pane path:not(.dot)').count(), poll)
      .toBeGreaterThanOrEqual(7);
    expect(await page.locator('.leaflet-heatmap-layer').count()).toBe(1);
    // The five critical (井盖) appeals are high risk: all on the timetable, with their unit.
    expect(await page.locator('.timetable tbody tr').count()).toBe(5);
    expect(await page.locator('.timetable').innerText()).toContain('光明区城市管理和综合执法局');
    // Nothing spills out of the 1920×1080 stage.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await screenshot(page, 'screen-1-wall');

    // A resident submits while the wall is on: it updates itself from the live stream.
    await page.locator('.live--on').waitFor(poll);
    await submitAppeal(doorstep.baseUrl, '大屏测试：新的井盖缺失', PLACES[1]);
    await expect.poll(() => kpi(page, 'received'), poll).toBe(6);
    expect(problems).toEqual([]);
  });

  test('without a session the wall offers the console’s login instead of data', async () => {
    const page = await desktopPage(browser, WALL.width, WALL.height);
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/screen/`);
    await expect.poll(() => bodyText(page), poll).toContain('请先登录工作台');
    const link = page.getByRole('link', { name: '前往工作台登录' });
    expect(await link.getAttribute('href')).toBe('/console/');
    await screenshot(page, 'screen-2-signed-out');
    // The 401 of the session probe is expected and answered; nothing else goes wrong.
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });

  test('a department handler is told the wall is not for their role', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'dept-handler', WALL);
    await page.goto(`${doorstep.baseUrl}/screen/`);
    await expect.poll(() => bodyText(page), poll).toContain('当前账号无权查看指挥大屏');
  });
});
