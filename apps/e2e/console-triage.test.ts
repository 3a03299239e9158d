import { describe, expect, test } from 'vitest';
import { useProduct } from './support/product.ts';
import { bodyText, screenshot, signedInPage, submitAppeal, watchConsole } from './support/staff.ts';

/*
 * 智能研判 on the appeal page (issue #22): the same pothole reported twice, 50 m apart, on one
 * day — the second appeal shows the domain the shipped model sees and the first as a possible
 * duplicate, and the dispatcher merges it with one button.
 */

const product = useProduct();

const poll = { timeout: 30_000 };
const AT = { lat: 22.765, lng: 113.938 };

describe('the appeal page’s triage', { timeout: 120_000 }, () => {
  test('a repeated report shows its duplicate and merges into it', async () => {
    const first = await submitAppeal(
      product.doorstep.baseUrl,
      '光明大道路面有个大坑，车辆经过很危险，已经有电动车摔倒了',
      {
        ...AT,
        address: '光明大道',
      },
    );
    const second = await submitAppeal(
      product.doorstep.baseUrl,
      '光明大道上路面出现一个大坑，电动车经过很危险，请尽快修补',
      {
        lat: AT.lat + 50 / 111_320,
        lng: AT.lng,
        address: '光明大道',
      },
    );
    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/appeals/${second.id}`);
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
      await page.context().request.get(`${product.doorstep.baseUrl}/api/v1/appeals/${second.id}`)
    ).json();
    expect(merged).toMatchObject({ status: 'merged', mergedInto: first.id });
    expect(problems).toEqual([]);
  });

  test('a dispatcher corrects the category (改类) by searching the catalogue', async () => {
    const appeal = await submitAppeal(product.doorstep.baseUrl, '小区门口的路灯坏了一个月，晚上一片漆黑', {
      lat: 22.76,
      lng: 113.93,
    });
    const page = await signedInPage(product.browser, product.doorstep.baseUrl, 'district-dispatcher');
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/appeals/${appeal.id}`);
    await page.locator('[data-testid="actions"] [data-action="recategorize"]').click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.locator('.el-cascader').click();
    await page.keyboard.type('路灯不亮');
    await page.locator('.el-cascader__suggestion-item').first().click();
    await dialog.locator('textarea').fill('实为路灯问题');
    await screenshot(page, 'console-triage-2-recategorize');
    await dialog.getByTestId('action-submit').click();
    await expect
      .poll(async () => {
        const detail = await (
          await page.context().request.get(`${product.doorstep.baseUrl}/api/v1/appeals/${appeal.id}`)
        ).json();
        return detail.category?.name;
      }, poll)
      .toContain('路灯不亮');
    await expect.poll(() => bodyText(page), poll).toContain('改类（纠正事项类别）');
    expect(problems).toEqual([]);
  });
});
