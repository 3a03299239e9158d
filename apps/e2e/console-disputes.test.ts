import { beforeAll, describe, expect, test } from 'vitest';
import { callApi, disputeUpToAgreement } from './support/disputes.ts';
import { useProduct } from './support/product.ts';
import { apiToken, bodyText, screenshot, signInWithForm, watchConsole } from './support/staff.ts';

const product = useProduct();

const poll = { timeout: 30_000 };

describe('the console’s mediation pages', { timeout: 120_000 }, () => {
  let caseId: string;
  let caseNumber: string;

  beforeAll(async () => {
    const created = await disputeUpToAgreement(
      product.doorstep.baseUrl,
      {
        kind: 'wage',
        summary: '某电子厂拖欠12名工人三个月工资共计31万元（控制台测试）',
        parties: [
          {
            role: 'applicant',
            kind: 'person',
            name: '张建国',
            phone: '13800001001',
            idNumber: '44030619900101100X',
          },
          {
            role: 'respondent',
            kind: 'organisation',
            name: '深圳市光明某电子有限公司',
            phone: '13900009999',
            creditCode: '91440300MA5F02221B',
          },
        ],
        amountClaimed: 310000,
        peopleInvolved: 12,
      },
      {
        notes: '公司同意分两期支付',
        terms: '一、公司于本月20日前支付工资20万元；二、于下月20日前支付余款11万元。',
        payments: [
          { amount: 200000, dueDate: '2027-01-20' },
          { amount: 110000, dueDate: '2027-02-20' },
        ],
      },
    );
    caseId = created.id;
    caseNumber = created.caseNumber;
  }, 120_000);

  test('the mediator finds the case, its parties masked, its session, and the agreement PDF', async () => {
    const page = await signInWithForm(product.browser, product.doorstep.baseUrl, 'mediator');
    const problems = watchConsole(page);
    await page.locator('[data-menu="disputes"]').click();
    await page.getByRole('link', { name: caseNumber }).waitFor(poll);
    // 调解成效 above the list: this year's one case, agreed, so resolved: a 化解率 of 100 %.
    const figures = page.getByTestId('dispute-figures');
    await expect.poll(() => figures.locator('[data-figure="rate"]').innerText(), poll).toContain('100%');
    expect(await figures.locator('[data-figure="received"]').innerText()).toMatch(/受理\s*1/);
    expect(await figures.locator('[data-figure="amountAgreed"]').innerText()).toContain('310,000.00');
    await screenshot(page, 'console-disputes-1-list');

    const pdf = page.waitForResponse((response) =>
      response.url().includes(`/disputes/${caseId}/agreement.pdf`),
    );
    await page.getByRole('link', { name: caseNumber }).click();
    await page.locator('[data-testid="dispute-parties"]').waitFor(poll);
    const parties = await page.locator('[data-testid="dispute-parties"]').innerText();
    expect(parties).toContain('张**');
    expect(parties).toContain('138****1001');
    expect(parties).not.toContain('张建国');
    expect(parties).toContain('深圳市光明某电子有限公司');
    const sessions = await page.locator('[data-testid="dispute-sessions"]').innerText();
    expect(sessions).toContain('光明社区人民调解室');
    expect(sessions).toContain('公司同意分两期支付');
    const payments = await page.locator('[data-testid="dispute-payments"]').innerText();
    expect(payments).toContain('2027-01-20');
    expect(payments).toContain('200,000.00');

    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    // The frame hands the document to Chromium's PDF viewer; the bytes are read again to check them.
    const bytes = await (await page.context().request.get(response.url())).body();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await page.locator('[data-testid="agreement-pdf"]').getAttribute('src')).toContain(
      'agreement.pdf',
    );

    // The buttons are the server's availableActions for this mediator.
    const shown = await page
      .locator('[data-testid="dispute-actions"] [data-action]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')));
    const detail = await (
      await page.context().request.get(`${product.doorstep.baseUrl}/api/v1/disputes/${caseId}`)
    ).json();
    expect(shown).toEqual(detail.availableActions);
    expect(shown).toContain('confirm-agreement');
    await screenshot(page, 'console-disputes-2-detail');

    // A note through the action dialog lands in the timeline.
    await page.locator('[data-testid="dispute-actions"] [data-action="note"]').click();
    await page.locator('.el-dialog textarea').fill('已电话通知双方于约定日期履行');
    await page.locator('[data-testid="dispute-action-submit"]').click();
    await expect
      .poll(async () => (await bodyText(page)).match(/备注/g)?.length ?? 0, poll)
      .toBeGreaterThan(1);
    await screenshot(page, 'console-disputes-3-note');
    expect(problems).toEqual([]);
  });

  test('a party signs on the tablet: the signature confirms the agreement for that party', async () => {
    const page = await signInWithForm(product.browser, product.doorstep.baseUrl, 'mediator');
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/disputes/${caseId}`);
    await page.locator('[data-testid="dispute-actions"] [data-action="confirm-agreement"]').click();
    const dialog = page.locator('.el-dialog');
    await dialog.locator('.el-select').first().click();
    await page.locator('.el-select-dropdown__item:visible').first().click();
    await dialog.getByText('现场签名').click();
    // A stroke across the pad, as a finger on the hall's tablet would draw it.
    const pad = dialog.getByTestId('signature-pad');
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 100);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + 100 - Math.sin(i) * 40);
    await page.mouse.up();
    await screenshot(page, 'console-disputes-5-signature');
    await page.locator('[data-testid="dispute-action-submit"]').click();
    await dialog.waitFor({ state: 'hidden', ...poll });

    const token = await apiToken(product.doorstep.baseUrl, 'mediator');
    const detail = await callApi(product.doorstep.baseUrl, token, 'GET', `/disputes/${caseId}`);
    const signedBy = detail.parties.filter(
      (p: { confirmedBy: string | null }) => p.confirmedBy === 'signature',
    );
    expect(signedBy).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  test('the sessions calendar shows the case’s session on its day and opens the case', async () => {
    const page = await signInWithForm(product.browser, product.doorstep.baseUrl, 'community-worker');
    const problems = watchConsole(page);
    await page.goto(`${product.doorstep.baseUrl}/console/disputes?tab=calendar`);
    const session = page.getByTestId('calendar-session').filter({ hasText: caseNumber });
    await session.waitFor(poll);
    // On the China day of its start (an hour after the set-up), in the cell of that day.
    const day = await session.evaluate((el) => el.closest('[data-day]')?.getAttribute('data-day'));
    const startedAt = await callApi(
      product.doorstep.baseUrl,
      await apiToken(product.doorstep.baseUrl, 'community-worker'),
      'GET',
      `/disputes/${caseId}`,
    );
    const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(startedAt.sessions[0].startsAt),
    );
    expect(day).toBe(chinaDay);
    expect(await session.innerText()).toContain('光明社区人民调解室');
    await screenshot(page, 'console-disputes-4-calendar');
    await session.click();
    await page.locator('[data-testid="dispute-parties"]').waitFor(poll);
    expect(new URL(page.url()).pathname).toBe(`/console/disputes/${caseId}`);
    expect(problems).toEqual([]);
  });

  test('a desk of another subdistrict does not find the case', async () => {
    const token = await apiToken(product.doorstep.baseUrl, 'street2-dispatcher');
    const list = await callApi(product.doorstep.baseUrl, token, 'GET', '/disputes');
    expect(list.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    const page = await signInWithForm(product.browser, product.doorstep.baseUrl, 'street2-dispatcher');
    await page.goto(`${product.doorstep.baseUrl}/console/disputes/${caseId}`);
    await page.locator('.el-result').waitFor(poll);
    expect(await bodyText(page)).not.toContain(caseNumber);
  });
});
