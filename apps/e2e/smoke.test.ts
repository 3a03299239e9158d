import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktopPage, launchBrowser, phonePage } from './support/browser.ts';
import { DEMO_PASSWORD, type RunningDoorstep, startDoorstep } from './support/doorstep.ts';

let doorstep: RunningDoorstep;
let browser: Browser;

beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

describe('the product in a real browser', () => {
  test('a resident opens the home page on a 360 px phone and sees the three entries', async () => {
    const page = await phonePage(browser);
    await page.goto(`${doorstep.baseUrl}/`);
    await expect.poll(() => page.title()).toContain('家门口');
    const body = await page.locator('body').innerText();
    expect(body).toContain('我要反映');
    expect(body).toContain('查询进度');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
  });

  test('the district dispatcher logs in to the console and sees the district’s 208 stations', async () => {
    const page = await desktopPage(browser);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await page.getByLabel('用户名').fill('district-dispatcher');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('区分拨员');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('208');
  });

  test('a wrong password shows a plain Chinese message, not a code', async () => {
    const page = await desktopPage(browser);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await page.getByLabel('用户名').fill('leader');
    await page.getByLabel('密码').fill('wrong-Passw0rd');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 15_000 })
      .toContain('用户名或密码错误');
    expect(await page.locator('body').innerText()).not.toContain('invalid_credentials');
  });
});
