import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import { agreeAndSubmit, consoleErrors, marker, residentPage, staffApi } from './support/resident.ts';

let doorstep: RunningDoorstep;
let browser: Browser;

// One appeal per address per window: the second must go through the proof of work.
beforeAll(async () => {
  [doorstep, browser] = await Promise.all([
    startDoorstep({ DOORSTEP_RATE_LIMITS: 'intake=1/10m', DOORSTEP_TRUSTED_NETWORKS: '' }),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

describe('a resident behind an address that has used up its intake limit', () => {
  test('still files: the page answers the proof of work without asking anything', async () => {
    const page = await residentPage(browser, doorstep.baseUrl, { lat: 22.7687, lng: 113.9357 });
    const proofs: string[] = [];
    page.on('request', (request) => {
      const proof = request.headers()['x-doorstep-proof'];
      if (request.url().endsWith('/api/v1/appeals') && proof) proofs.push(proof);
    });

    const texts: string[] = [];
    for (const round of [1, 2]) {
      await page.goto(`${doorstep.baseUrl}/report`);
      await expect.poll(() => page.getByTestId('pin-text').getAttribute('data-lat')).toBe('22.7687');
      await page.getByTestId('category-field').click();
      await page.getByRole('button', { name: '噪音扰民', exact: true }).click();
      await page.getByRole('radio', { name: '广场舞' }).click();
      const text = `${marker()} 第${round}次反映：每晚十点后广场舞音响声音很大`;
      texts.push(text);
      await page.getByPlaceholder(/请说明发生了什么/).fill(text);
      await agreeAndSubmit(page);
      const code = page.getByTestId('tracking-code');
      await code.waitFor({ timeout: 30_000 });
      expect(await code.innerText()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    }

    expect(proofs).toHaveLength(1); // the first went through plainly, the second with a proof
    const staff = await staffApi(doorstep.baseUrl);
    for (const text of texts) expect(await staff.appealsMatching(text.slice(0, 11))).toHaveLength(1);
    expect(consoleErrors(page).filter((line) => !line.includes('429'))).toEqual([]);
  }, 90_000);
});
