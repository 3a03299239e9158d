import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktopPage, launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  apiToken,
  bodyText,
  screenshot,
  signedInPage,
  signInWithForm,
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

  test('a dispatcher sees the business menu and the unit directory, and none of the admin pages', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await expect
      .poll(() => menuOf(page), poll)
      .toEqual(['home', 'inbox', 'appeals', 'disputes', 'supervision', 'accountability', 'orgs']);
    // The directory: the search filters the tree, a unit shows its phone.
    await page.locator('[data-menu="orgs"]').click();
    await expect.poll(() => page.locator('.tree').innerText(), poll).toContain('公明街道');
    await page.getByPlaceholder('搜索单位名称').fill('光明街道');
    await expect.poll(() => page.locator('.tree').innerText(), poll).not.toContain('公明街道');
    await page.locator('.tree .el-tree-node__content', { hasText: '光明街道' }).first().click();
    await expect.poll(() => page.locator('.unit-name').innerText(), poll).toContain('光明街道');
    expect(problems).toEqual([]);
  });

  test('an account with a password the security admin gave changes it first, then works (issue #19)', async () => {
    const security = await apiToken(doorstep.baseUrl, 'security');
    const me = (await (
      await fetch(`${doorstep.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${security}` } })
    ).json()) as { user: { orgId: number } };
    const given = 'Given-By-Security-7';
    const created = await fetch(`${doorstep.baseUrl}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${security}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'first-day',
        displayName: '新同事',
        orgId: me.user.orgId,
        roles: ['district_dispatcher'],
        password: given,
      }),
    });
    expect(created.status).toBe(201);

    const page = await desktopPage(browser);
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await page.getByLabel('用户名').fill('first-day');
    await page.getByLabel('密码').fill(given);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const form = page.getByTestId('password-change');
    await form.waitFor(poll);
    expect(await bodyText(page)).toContain('请先修改密码');
    await form.getByLabel('当前密码').fill(given);
    await form.locator('input[name="new-password"]').fill('Zhangsan@1990');
    await form.locator('input[name="new-password-again"]').fill('Zhangsan@1990');
    await form.getByRole('button', { name: '修改并继续' }).click();
    // A pinyin name with a year is refused, in words.
    await expect.poll(() => form.getByRole('alert').innerText(), poll).toContain('姓名或地名拼音加数字');
    await screenshot(page, 'console-admin-4-first-password');
    await form.locator('input[name="new-password"]').fill('Lamp-Post-Ledger-42');
    await form.locator('input[name="new-password-again"]').fill('Lamp-Post-Ledger-42');
    await form.getByRole('button', { name: '修改并继续' }).click();
    await expect
      .poll(() => menuOf(page), poll)
      .toEqual(['home', 'inbox', 'appeals', 'disputes', 'supervision', 'accountability', 'orgs']);
    // The refused password (422) and the first /auth/me without a session (401) are expected replies.
    expect(problems.filter((p) => !/401|422/.test(p))).toEqual([]);
  });
});
