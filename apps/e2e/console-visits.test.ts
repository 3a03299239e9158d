import { describe, expect, test } from 'vitest';
import { useProduct } from './support/product.ts';
import { horizontalOverflow } from './support/resident.ts';
import { apiToken, bodyText, screenshot, signedInPage, watchConsole } from './support/staff.ts';

/*
 * The reception desk (issue #24 item 1) on a hall's tablet at 1280×800: the clerk types the
 * visitor's phone and sees at once that they came before, registers a group of six, and prints
 * the receipt with the tracking code and its QR code.
 */
const product = useProduct();

const poll = { timeout: 30_000 };
const PHONE = '13912340001';

describe('the hall clerk’s reception desk at 1280×800', { timeout: 120_000 }, () => {
  test('a returning group of six is recognised, registered and given a printed receipt', async () => {
    // The same person came last week: registered through the API by the same desk.
    const clerk = await apiToken(product.doorstep.baseUrl, 'hall-clerk');
    const earlier = await fetch(`${product.doorstep.baseUrl}/api/v1/visits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clerk}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        phone: PHONE,
        groupSize: 1,
        appeal: { content: '上周来访：工地拖欠工资，包工头失联' },
      }),
    });
    expect(earlier.status).toBe(201);

    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'hall-clerk', {
      width: 1280,
      height: 800,
    });
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/`);
    await page.getByRole('menuitem', { name: '来访接待' }).click();
    await page.getByTestId('visit-desk').waitFor(poll);

    await page.locator('input[name="phone"]').fill(PHONE);
    await page.locator('input[name="name"]').fill('王师傅');
    await page.locator('input[name="phone"]').blur();
    await expect.poll(() => page.getByTestId('earlier').innerText(), poll).toContain('属重复来访');
    expect(await bodyText(page)).toContain('工地拖欠工资');

    await page.getByTestId('group-size').locator('input').fill('6');
    await page.locator('textarea[name="content"]').fill('六名工人再次来访：工资仍未发放，要求尽快处理');
    await screenshot(page, 'console-visit-desk');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('register-visit').click();

    const done = page.getByTestId('visit-done');
    await done.waitFor(poll);
    const code = await page.getByTestId('visit-code').innerText();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(await done.innerText()).toContain('集体访');
    expect(await done.innerText()).toContain('重复来访');
    await screenshot(page, 'console-visit-done');

    const [receipt] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('print-receipt').click(),
    ]);
    await receipt.waitForLoadState();
    expect(await receipt.locator('[data-testid="receipt-code"]').innerText()).toBe(code);
    expect(await receipt.locator('svg').count()).toBeGreaterThan(0);
    await screenshot(receipt, 'console-visit-receipt');

    await page.getByTestId('next-visitor').click();
    expect(await page.locator('input[name="phone"]').inputValue()).toBe('');
    expect(problems).toEqual([]);
  });

  test('the desk gives numbers and calls them; the hall screen shows who is called where', async () => {
    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'hall-clerk', {
      width: 1280,
      height: 800,
    });
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/visits`);
    const queue = page.getByTestId('hall-queue');
    await queue.waitFor(poll);
    await page.getByTestId('take-number').click();
    await expect
      .poll(() => page.getByTestId('queue-issued').innerText(), poll)
      .toMatch(/已取号 A\d{3}，前面还有 0 人/);
    await page.getByTestId('take-number').click();
    await expect.poll(() => queue.innerText(), poll).toContain('等候 2 人');
    await page.getByTestId('call-next').click();
    await expect.poll(() => page.getByTestId('queue-current').innerText(), poll).toBe('正在叫号：A001');

    const screen = await signedInPage(product.browser, product.doorstep.baseUrl, 'hall-clerk', {
      width: 1920,
      height: 1080,
    });
    await screen.goto(`${product.doorstep.baseUrl}/console/hall-board`);
    await expect
      .poll(() => screen.getByTestId('board-now').innerText(), poll)
      .toBe('请 A001 号到 1号窗口 办理');
    expect(await screen.getByTestId('board-stats').innerText()).toContain('当前等候 1 人');
    await screenshot(screen, 'console-hall-board');
    expect(problems).toEqual([]);
  });
});
