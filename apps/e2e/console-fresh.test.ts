import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useProduct } from './support/product.ts';
import { horizontalOverflow } from './support/resident.ts';
import { act, apiToken, screenshot, signedInPage, submitAppeal, watchConsole } from './support/staff.ts';

/*
 * A district on its first day (issue #23 items 2 and acceptance): nothing has been received, so
 * no rate has anything to count and the home page says "—", never 0 %. Then the desk widths a
 * district's PCs and tablets have: no console page scrolls sideways.
 */
const product = useProduct();

const poll = { timeout: 30_000 };

/** The rate cells of the home page, as label → shown value. */
async function shownRates(page: Page): Promise<Record<string, string>> {
  const rows = page.locator('.rate');
  await rows.first().waitFor(poll);
  const shown: Record<string, string> = {};
  for (const row of await rows.all()) {
    shown[(await row.locator('.rate-label').innerText()).trim()] = (
      await row.locator('.rate-value').innerText()
    ).trim();
  }
  return shown;
}

describe('the console of a district on its first day', { timeout: 120_000 }, () => {
  test('with nothing received, every rate on the home page reads “—”, never 0 %', async () => {
    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'leader', {
      width: 1280,
      height: 800,
    });
    const errors = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/`);
    const rates = await shownRates(page);
    expect(Object.keys(rates)).toEqual(['及时响应率', '办结率', '满意率']);
    expect(Object.values(rates)).toEqual(['—', '—', '—']);
    await screenshot(page, 'console-fresh-home');
    expect(errors).toEqual([]);
  });

  test('once an appeal is received and still inside its deadline, the response rate is still “—”', async () => {
    await submitAppeal(product.doorstep.baseUrl, '首日测试：小区门口路灯不亮');
    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'leader', {
      width: 1280,
      height: 800,
    });
    await page.goto(`${product.doorstep.baseUrl}/console/`);
    expect((await shownRates(page)).及时响应率).toBe('—');
  });

  test('no console page scrolls sideways at 1280×800, 1366×768 or 1920×1080', async () => {
    const dispatcher = await apiToken(product.doorstep.baseUrl, 'district-dispatcher');
    const appeal = await submitAppeal(product.doorstep.baseUrl, '宽度测试：人行道地砖松动，雨天踩下去溅水');
    await act(product.doorstep.baseUrl, dispatcher, appeal.id, 'accept');
    const pages = [
      '/console/',
      '/console/inbox',
      '/console/appeals',
      `/console/appeals/${appeal.id}`,
      '/console/orgs',
      '/console/supervision',
    ];
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      const page = await signedInPage(
        product.browser,
        product.doorstep.baseUrl,
        'district-dispatcher',
        viewport,
      );
      for (const path of pages) {
        await page.goto(`${product.doorstep.baseUrl}${path}`);
        await page.locator('main, .el-main').first().waitFor(poll);
        await page.waitForLoadState('networkidle');
        expect(await horizontalOverflow(page), `${path} at ${viewport.width}`).toBeLessThanOrEqual(0);
      }
      await page.close();
    }
  });
});
