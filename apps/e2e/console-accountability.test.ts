import { describe, expect, test } from 'vitest';
import { useProduct } from './support/product.ts';
import { horizontalOverflow } from './support/resident.ts';
import {
  act,
  apiToken,
  departmentId,
  screenshot,
  signedInPage,
  submitAppeal,
  watchConsole,
} from './support/staff.ts';

/*
 * 问责 in the console (issue #24 item 5): work 城管 returned twice shows on the leader's page, and
 * the leader waives it with a reason.
 */
const product = useProduct();

const poll = { timeout: 30_000 };

describe('the leader’s 问责 page', { timeout: 120_000 }, () => {
  test('work returned twice is listed; the leader waives it with a reason and it moves to 已免责', async () => {
    const dispatcher = await apiToken(product.doorstep.baseUrl, 'district-dispatcher');
    const handler = await apiToken(product.doorstep.baseUrl, 'dept-handler');
    const urban = await departmentId(product.doorstep.baseUrl, dispatcher, '城市管理');
    const appeal = await submitAppeal(
      product.doorstep.baseUrl,
      '问责测试：小区门口井盖松动，车辆经过响声很大',
    );
    await act(product.doorstep.baseUrl, dispatcher, appeal.id, 'accept');
    for (const reason of ['不属于本部门职责', '仍不属于本部门职责']) {
      await act(product.doorstep.baseUrl, dispatcher, appeal.id, 'dispatch', { orgId: urban });
      await act(product.doorstep.baseUrl, handler, appeal.id, 'return', { reason });
    }

    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'leader', {
      width: 1280,
      height: 800,
    });
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/`);
    await page.getByRole('menuitem', { name: '问责管理' }).click();
    const table = page.getByTestId('accountability');
    // The page's lead already names 多次退单: wait for the row itself.
    await expect.poll(() => table.innerText(), poll).toContain('退单 2 次');
    expect(await table.locator('.el-table').innerText()).toContain('多次退单');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'console-accountability');

    await page.locator('[data-waive]').first().click();
    await page.locator('.el-message-box textarea').fill('职责确有争议，已由区分拨中心另行协调');
    await page.locator('.el-message-box').getByRole('button', { name: '提交' }).click();
    await expect.poll(() => table.innerText(), poll).toContain('暂无记录');
    await page.getByRole('tab', { name: '已免责' }).click();
    await expect.poll(() => table.innerText(), poll).toContain('职责确有争议');
    expect(problems).toEqual([]);
  });
});
