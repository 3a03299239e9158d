import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type RunningDoorstep, startDoorstep } from './support/doorstep.ts';
import {
  act,
  actionOrder,
  apiToken,
  bodyText,
  departmentId,
  type Submitted,
  screenshot,
  serverActions,
  shownActions,
  signedInPage,
  signInWithForm,
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

const URBAN_MANAGEMENT = '光明区城市管理和综合执法局';
// Generous: CI machines run both databases' suites side by side.
const poll = { timeout: 30_000 };

async function openAppeal(page: Page, appeal: Submitted) {
  await page
    .getByRole('link', { name: maskTrackingCode(appeal.trackingCode) })
    .first()
    .click();
  await page.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);
}

async function press(page: Page, action: string) {
  await page.locator(`[data-testid="actions"] [data-action="${action}"]`).click();
}

/** The status the detail page shows, as the status code it marks itself with. */
const shownStatus = (page: Page) => page.locator('[data-testid="status"]').getAttribute('data-status');

describe('the staff console: an appeal from arrival to resolution', { timeout: 120_000 }, () => {
  let appeal: Submitted;
  /** Accepted by the dispatcher, not yet dispatched: the leader's, the whistle's and the extension's case. */
  let waiting: Submitted;

  test('the dispatcher sees a new appeal arrive in the inbox without reloading, and dispatches it to 城管 through the dialog', async () => {
    const page = await signInWithForm(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.locator('[data-menu="inbox"]').click();
    // The live stream is open before the resident submits: what follows arrives by SSE alone.
    await page.locator('.live--open').waitFor(poll);
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    appeal = await submitAppeal(doorstep.baseUrl, `光明大道路口井盖缺失，车辆经过很危险（控制台测试）`);
    await expect.poll(() => bodyText(page), poll).toContain(maskTrackingCode(appeal.trackingCode));
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await screenshot(page, 'console-1-inbox-live');

    await openAppeal(page, appeal);
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));
    expect(await shownActions(page)).toContain('accept');
    // The next step first; 不予受理 apart at the end, not first in red.
    const order = await actionOrder(page);
    expect(order[0]).toBe('accept');
    expect(order.at(-1)).toBe('reject');

    await press(page, 'accept');
    await page.locator('.el-message-box').getByRole('button', { name: '受理' }).click();
    await expect.poll(() => shownStatus(page), poll).toBe('accepted');
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));

    await press(page, 'dispatch');
    const dialog = page.locator('[data-testid="dispatch-dialog"]');
    const suggestion = dialog.locator(`[data-org="${URBAN_MANAGEMENT}"]`);
    await suggestion.waitFor(poll);
    // The category's responsible department is suggested first, with its reason.
    expect(await dialog.locator('[data-org]').first().getAttribute('data-org')).toBe(URBAN_MANAGEMENT);
    expect(await suggestion.innerText()).toContain('按事项职责');
    await suggestion.click();
    await screenshot(page, 'console-2-dispatch-dialog');
    await dialog.locator('[data-testid="dispatch-submit"]').click();

    await expect.poll(() => shownStatus(page), poll).toBe('dispatched');
    expect(await bodyText(page)).toContain(URBAN_MANAGEMENT);
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));
    await screenshot(page, 'console-3-dispatched');
    expect(problems).toEqual([]);
  });

  test('the 城管 handler finds it to claim, claims it and resolves it with a photo', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'dept-handler');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/inbox?tab=toClaim`);
    await expect.poll(() => bodyText(page), poll).toContain(maskTrackingCode(appeal.trackingCode));

    await openAppeal(page, appeal);
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));
    await press(page, 'claim');
    await page.locator('.el-message-box').getByRole('button', { name: '签收' }).click();
    await expect.poll(() => shownStatus(page), poll).toBe('claimed');
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));

    // A real photo, drawn by the browser: the server decodes and re-encodes every upload.
    const photo = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#5b6770';
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#2d3338';
      g.beginPath();
      g.arc(160, 120, 80, 0, Math.PI * 2);
      g.fill();
      return canvas.toDataURL('image/png').split(',')[1]!;
    });
    await press(page, 'resolve');
    const dialog = page.locator('[data-testid="action-dialog"]');
    await dialog.locator('textarea').fill('已更换新井盖并设置警示标志，现场恢复通行');
    await dialog.locator('[data-testid="photo-input"]').setInputFiles({
      name: 'cover.png',
      mimeType: 'image/png',
      buffer: Buffer.from(photo, 'base64'),
    });
    await dialog.locator('.thumb').waitFor(poll);
    await screenshot(page, 'console-4-resolve-dialog');
    await dialog.locator('[data-testid="action-submit"]').click();

    await expect.poll(() => shownStatus(page), poll).toBe('resolved');
    const text = await bodyText(page);
    expect(text).toContain('已更换新井盖');
    expect(await page.locator('.photo').count()).toBe(1);
    // The photo is served to staff and actually decodes.
    await expect
      .poll(() => page.locator('.photo img').evaluate((img) => (img as HTMLImageElement).naturalWidth), poll)
      .toBeGreaterThan(0);
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, appeal.id));
    await screenshot(page, 'console-5-resolved');
    expect(problems).toEqual([]);
  });

  test('the leader sees the buttons the server allows them — and no 派单', async () => {
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    waiting = await submitAppeal(doorstep.baseUrl, '小区门口道路积水严重，老人出行困难');
    await act(doorstep.baseUrl, dispatcher, waiting.id, 'accept');

    const page = await signedInPage(browser, doorstep.baseUrl, 'leader');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/appeals/${waiting.id}`);
    await page.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);

    const shown = await shownActions(page);
    expect(shown).toEqual(await serverActions(page, doorstep.baseUrl, waiting.id));
    expect(shown).not.toContain('dispatch');
    expect(shown).toContain('supervise');
    expect(await page.locator('[data-testid="actions"]').innerText()).not.toContain('派单');
    await screenshot(page, 'console-6-leader-detail');

    // The same appeal, as the dispatcher sees it: 派单 is there.
    const dispatcherPage = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    await dispatcherPage.goto(`${doorstep.baseUrl}/console/appeals/${waiting.id}`);
    await dispatcherPage.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);
    expect(await shownActions(dispatcherPage)).toContain('dispatch');
    expect(problems).toEqual([]);
  });

  test('the dispatcher blows the whistle: two departments are summoned and the numbered notice prints', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/appeals/${waiting.id}`);
    await page.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);

    await press(page, 'whistle');
    const dialog = page.locator('[data-testid="whistle-dialog"]');
    await dialog.locator('textarea').fill('积水涉及排水管网和道路，需水务、城管联合处置');
    // A searchable tree: the search narrows it, what was ticked stays ticked.
    const search = dialog.locator(
      'input[data-testid="whistle-search"], [data-testid="whistle-search"] input',
    );
    const tick = (name: string) =>
      dialog
        .locator('.el-tree-node__content', { has: page.locator(`[data-unit="${name}"]`) })
        .locator('.el-checkbox');
    await search.fill('城市管理');
    await tick(URBAN_MANAGEMENT).click();
    await search.fill('水务');
    expect(
      await dialog
        .locator('.el-tree-node__content:visible [data-unit]')
        .evaluateAll((units) => units.map((unit) => unit.getAttribute('data-unit'))),
    ).toEqual(['光明区水务局']);
    await tick('光明区水务局').click();
    await search.fill('');
    await dialog.locator('[data-testid="whistle-submit"]').click();

    const print = dialog.locator('[data-testid="notice-print"]');
    await print.waitFor(poll);
    const number = /光明-协调-\d{4}-\d{6}/.exec(await dialog.innerText())?.[0];
    expect(number).toBeDefined();
    await screenshot(page, 'console-7-whistle-issued');

    const [notice] = await Promise.all([page.context().waitForEvent('page'), print.click()]);
    await notice.waitForLoadState();
    const printed = await notice.locator('body').innerText();
    expect(printed).toContain(number!);
    expect(printed).toContain('光明区水务局');
    await screenshot(notice, 'console-8-notice-print');
    await notice.close();

    await dialog.getByRole('button', { name: '完成' }).click();
    // The detail lists the notice with both summoned units, not yet reported in.
    await expect.poll(() => bodyText(page), poll).toContain(number!);
    expect(await bodyText(page)).toContain('光明区水务局 · 未报到');
    expect(problems).toEqual([]);
  });

  test('the handler asks for more time and the dispatcher approves it in the console', async () => {
    const dispatcher = await apiToken(doorstep.baseUrl, 'district-dispatcher');
    const handler = await apiToken(doorstep.baseUrl, 'dept-handler');
    const urban = await departmentId(doorstep.baseUrl, dispatcher, '城市管理');
    await act(doorstep.baseUrl, dispatcher, waiting.id, 'dispatch', { orgId: urban });
    await act(doorstep.baseUrl, handler, waiting.id, 'claim');

    const handlerPage = await signedInPage(browser, doorstep.baseUrl, 'dept-handler');
    await handlerPage.goto(`${doorstep.baseUrl}/console/appeals/${waiting.id}`);
    await handlerPage.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);
    await press(handlerPage, 'request-extension');
    const dialog = handlerPage.locator('[data-testid="action-dialog"]');
    await dialog.locator('.el-input-number input').fill('5');
    await dialog.locator('textarea').fill('需等待排水管网改造材料到货');
    await dialog.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => bodyText(handlerPage), poll).toContain('待审批延期申请：5 个工作日');

    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/appeals/${waiting.id}`);
    await page.locator('[data-testid="actions"] [data-action]').first().waitFor(poll);
    expect(await shownActions(page)).toEqual(await serverActions(page, doorstep.baseUrl, waiting.id));
    expect(await bodyText(page)).toContain('需等待排水管网改造材料到货');
    await press(page, 'approve-extension');
    await page.locator('[data-testid="action-dialog"] [data-testid="action-submit"]').click();
    await expect.poll(() => bodyText(page), poll).toContain('已延期 5 个工作日');
    expect(await bodyText(page)).not.toContain('待审批延期申请');
    await screenshot(page, 'console-9-extension-approved');
    expect(problems).toEqual([]);
  });

  test('the appeal list filters by status and keeps a saved view across reloads', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/appeals`);
    await expect.poll(() => bodyText(page), poll).toContain(maskTrackingCode(appeal.trackingCode));

    await page.locator('.w-search input').fill(appeal.trackingCode);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('.appeal-table .el-table__row').count(), poll).toBe(1);
    // The total of the filter, and what it shows exported as a workbook.
    await expect.poll(() => page.getByTestId('list-total').innerText(), poll).toBe('共 1 件');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^appeals-\d{4}-\d{2}-\d{2}\.xlsx$/);

    await page.getByRole('button', { name: '保存为视图' }).click();
    await page.locator('.el-message-box input').fill('我的井盖件');
    await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click();
    await page.reload();
    await page.locator('[data-view="我的井盖件"]').click();
    await expect.poll(() => page.locator('.appeal-table .el-table__row').count(), poll).toBe(1);
    expect(await page.locator('.appeal-table').innerText()).toContain(maskTrackingCode(appeal.trackingCode));
    await screenshot(page, 'console-10-list-saved-view');
    expect(problems).toEqual([]);
  });

  test('the supervision board groups overdue work by unit', async () => {
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${doorstep.baseUrl}/console/supervision`);
    await expect.poll(() => bodyText(page), poll).toContain('督办看板');
    // A fresh district has no overdue work yet: the board says so rather than showing nothing.
    await expect.poll(() => bodyText(page), poll).toMatch(/共 \d+ 件超期/);
    await screenshot(page, 'console-11-supervision');
    expect(problems).toEqual([]);
  });
});

describe('what residents typed reaches the maps as text, never as markup', { timeout: 120_000 }, () => {
  test('an address carrying an <img> tag shows as text in the detail map’s tooltip and runs nothing', async () => {
    const planted = '光明大道<img src="/api/v1/planted-probe" onerror="window.__planted=1">1号';
    const appeal = await submitAppeal(doorstep.baseUrl, '路灯不亮，晚上很黑（地图标注测试）', {
      address: planted,
    });
    const page = await signedInPage(browser, doorstep.baseUrl, 'district-dispatcher');
    const probes: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('planted-probe')) probes.push(request.url());
    });
    await page.goto(`${doorstep.baseUrl}/console/appeals/${appeal.id}`);
    // The appeal's own point, over the area's outline; the map redraws once the outline arrives, so
    // hover until the point's tooltip shows.
    const point = page.locator('.leaflet-overlay-pane .appeal-point');
    const tooltip = page.locator('.leaflet-tooltip', { hasText: 'planted-probe' });
    await expect
      .poll(async () => {
        await point.hover({ force: true, timeout: 5000 }).catch(() => undefined);
        return tooltip.count();
      }, poll)
      .toBe(1);
    expect(await tooltip.innerText()).toContain('<img src="/api/v1/planted-probe"');
    expect(await tooltip.locator('img').count()).toBe(0);
    expect(probes).toEqual([]);
    expect(
      await page.evaluate(() => (window as unknown as { __planted?: number }).__planted),
    ).toBeUndefined();
  });
});
