import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import { bodyText, screenshot, signedInPage, signInWithForm, watchConsole } from './support/staff.ts';

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

// Generous: CI machines run both databases' suites side by side.
const poll = { timeout: 30_000 };

/** The menu entries the page shows, by route. */
const menuOf = (page: Page) =>
  page.locator('[data-menu]').evaluateAll((items) => items.map((item) => item.getAttribute('data-menu')));

describe('separation of duties in the console (三权分立)', { timeout: 120_000 }, () => {
  test('the auditor sees only the audit trail, and verifying the journal says 正常', async () => {
    const page = await signInWithForm(browser, doorstep.baseUrl, 'auditor');
    const problems = watchConsole(page);
    await expect.poll(() => menuOf(page), poll).toEqual(['audit']);
    // Their first page is the audit trail, with the logins just made in it.
    await expect.poll(() => bodyText(page), poll).toContain('审计日志');
    await expect.poll(() => bodyText(page), poll).toContain('登录');

    await page.locator('[data-testid="verify"]').click();
    const verdict = page.locator('[data-testid="verify-result"]');
    await verdict.waitFor(poll);
    expect(await verdict.innerText()).toContain('正常');
    await screenshot(page, 'console-admin-1-audit');

    // A typed address of another role's page falls back to their own.
    await page.goto(`${doorstep.baseUrl}/console/users`);
    await expect.poll(() => page.url(), poll).toContain('/console/audit');
    expect(await menuOf(page)).toEqual(['audit']);
    expect(problems).toEqual([]);
  });

  test('the security admin sees only users and roles, and finds the department handler’s account', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'security');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await expect.poll(() => menuOf(page), poll).toEqual(['users']);
    await expect.poll(() => bodyText(page), poll).toContain('dept-handler');
    expect(await bodyText(page)).toContain('部门办理人');
    await screenshot(page, 'console-admin-2-users');
    expect(problems).toEqual([]);
  });

  test('the system admin sees only the org tree, read-only, with the district’s six subdistricts', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'admin');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await expect.poll(() => menuOf(page), poll).toEqual(['orgs']);
    for (const name of ['光明街道', '公明街道', '新湖街道', '凤凰街道', '玉塘街道', '马田街道']) {
      await expect.poll(() => page.locator('.tree').innerText(), poll).toContain(name);
    }
    // The district's outline is drawn even without any map tiles.
    await expect.poll(() => page.locator('.leaflet-overlay-pane path').count(), poll).toBeGreaterThan(0);
    await screenshot(page, 'console-admin-3-orgs');
    expect(problems).toEqual([]);
  });

  test('a dispatcher sees the business menu and none of the admin pages', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    await page.goto(`${doorstep.baseUrl}/console/`);
    await expect.poll(() => menuOf(page), poll).toEqual(['home', 'inbox', 'appeals', 'supervision']);
  });
});
