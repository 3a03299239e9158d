import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import { bodyText, screenshot, signedInPage, submitAppeal, watchConsole } from './support/staff.ts';

/*
 * 智能研判 on the appeal page (issue #22): the same pothole reported twice, 50 m apart, on one
 * day — the second appeal shows the domain the shipped model sees and the first as a possible
 * duplicate, and the dispatcher merges it with one button.
 */

let doorstep: RunningDoorstep;
let browser: Browser;

beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

const poll = { timeout: 30_000 };
const AT = { lat: 22.765, lng: 113.938 };

describe('the appeal page’s triage', { timeout: 120_000 }, () => {
  test('a repeated report shows its duplicate and merges into it', async () => {
    const first = await submitAppeal(
      doorstep.baseUrl,
      '光明大道路面有个大坑，车辆经过很危险，已经有电动车摔倒了',
      {
        ...AT,
        address: '光明大道',
      },
    );
    const second = await submitAppeal(
      doorstep.baseUrl,
      '光明大道上路面出现一个大坑，电动车经过很危险，请尽快修补',
      {
        lat: AT.lat + 50 / 111_320,
        lng: AT.lng,
        address: '光明大道',
      },
    );
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/appeals/${second.id}`);
    const card = page.getByTestId('triage-card');
    await card.waitFor(poll);
    expect(await card.innerText()).toMatch(/领域：交通运输（置信度 \d+%）/);
    const duplicate = card.getByTestId('duplicate');
    await expect.poll(() => duplicate.count(), poll).toBe(1);
    expect(await duplicate.innerText()).toMatch(/相距 (4[5-9]|5[0-5]) 米/);
    await screenshot(page, 'console-triage-1-duplicate');

    await duplicate.getByRole('button', { name: '并入此件' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
    await expect.poll(() => bodyText(page), poll).toContain('已合并');
    const merged = await (
      await page.context().request.get(`${doorstep.baseUrl}/api/v1/appeals/${second.id}`)
    ).json();
    expect(merged).toMatchObject({ status: 'merged', mergedInto: first.id });
    expect(problems).toEqual([]);
  });
});
