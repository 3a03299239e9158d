import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disputeUpToAgreement, smsCode } from './support/disputes.ts';
import { useProduct } from './support/product.ts';
import { consoleErrors, residentPage, screenshot } from './support/resident.ts';

/*
 * A party to a dispute in the resident app (issue #21): the 查询码 of its registration SMS opens the
 * case in the same box as an appeal's, the session it is called to shows, and the 确认码 of the
 * second SMS confirms the agreement; the last party's confirmation makes it effective. The SMS are
 * read from the local gateway's file (DOORSTEP_SMS_FILE), the demo's stand-in for the phones.
 */

const smsDir = mkdtempSync(path.join(tmpdir(), 'doorstep-sms-'));
const smsFile = path.join(smsDir, 'sms.jsonl');
const APPLICANT = '13800003001';
const RESPONDENT = '13800003002';
const at = { lat: 22.7687, lng: 113.9357 };
const poll = { timeout: 30_000 };

const product = useProduct({ DOORSTEP_SMS_FILE: smsFile });
afterAll(() => {
  rmSync(smsDir, { recursive: true, force: true });
});

const sms = (phone: string, template: string, pattern: RegExp) => smsCode(smsFile, phone, template, pattern);

const resultText = (page: Page) => page.getByTestId('dispute-result').innerText();

describe('a party follows and confirms its mediation in the resident app', { timeout: 120_000 }, () => {
  let caseNumber: string;
  let trackingCode: string;

  beforeAll(async () => {
    ({ caseNumber } = await disputeUpToAgreement(
      product.doorstep.baseUrl,
      {
        kind: 'neighbour',
        summary: '楼上漏水导致楼下天花板受损，双方就维修费用协商未果（居民端测试）',
        parties: [
          { role: 'applicant', kind: 'person', name: '赵某某', phone: APPLICANT },
          { role: 'respondent', kind: 'person', name: '钱某某', phone: RESPONDENT },
        ],
        amountClaimed: 3200,
      },
      {
        notes: '双方同意由钱某某承担维修费',
        terms: '钱某某于十日内支付维修费2000元。',
        payments: [{ amount: 2000, dueDate: '2027-01-31' }],
      },
    ));
    trackingCode = await sms(APPLICANT, 'dispute.registered', /查询码 ([0-9A-Z-]+)/);
  }, 120_000);

  test('the 查询码 opens the case; a wrong 确认码 is refused; each party’s own code confirms', async () => {
    const page = await residentPage(product.browser, product.doorstep.baseUrl, at);
    await page.goto(`${product.doorstep.baseUrl}/track`);
    await page.getByLabel('查询码').fill(trackingCode.replaceAll('-', '').toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('dispute-result').waitFor(poll);
    const shown = await resultText(page);
    expect(shown).toContain(caseNumber);
    expect(shown).toContain('已达成协议');
    expect(shown).toContain('光明社区人民调解委员会');
    expect(shown).toContain('当事人确认 0/2');
    // Nothing personal: the holder of a code may be anyone the SMS was shown to.
    for (const secret of ['赵某某', '钱某某', APPLICANT, '2000', '漏水']) expect(shown).not.toContain(secret);
    await screenshot(page, 'resident-dispute-1-agreed');

    const code = await sms(APPLICANT, 'dispute.confirm_code', /确认码 (\d{6})/);
    const other = await sms(RESPONDENT, 'dispute.confirm_code', /确认码 (\d{6})/);
    const wrong = ['000000', '999999', '111111'].find((c) => c !== code && c !== other)!;
    const form = page.getByTestId('confirm-agreement');
    await form.locator('input[name="confirmation-code"]').fill(wrong);
    await form.getByRole('button', { name: '确认协议' }).click();
    await expect.poll(() => page.locator('.van-toast').innerText(), poll).toContain('确认码不正确');
    await expect.poll(() => resultText(page)).toContain('当事人确认 0/2');

    await form.locator('input[name="confirmation-code"]').fill(code);
    await form.getByRole('button', { name: '确认协议' }).click();
    await expect.poll(() => resultText(page), poll).toContain('当事人确认 1/2');
    await screenshot(page, 'resident-dispute-2-confirmed-one');

    await form.locator('input[name="confirmation-code"]').fill(other);
    await form.getByRole('button', { name: '确认协议' }).click();
    await expect.poll(() => resultText(page), poll).toContain('当事人确认 2/2');
    await expect.poll(() => resultText(page), poll).toMatch(/协议已于 .+ 生效/);
    expect(await page.getByTestId('confirm-agreement').count()).toBe(0);
    // Expected replies: 404 for the appeal the code is not (the box looks for one first), 422 for
    // the wrong code. Nothing else went wrong on the page.
    expect(consoleErrors(page).filter((e) => !/status of (404|422)/.test(e))).toEqual([]);
  });

  test('an unknown code is neither an appeal nor a dispute', async () => {
    const page = await residentPage(product.browser, product.doorstep.baseUrl, at);
    const unknown = trackingCode.startsWith('A') ? `B${trackingCode.slice(1)}` : `A${trackingCode.slice(1)}`;
    await page.goto(`${product.doorstep.baseUrl}/track/${unknown}`);
    await expect.poll(() => page.locator('.van-empty').innerText(), poll).toContain('没有找到');
    expect(await page.getByTestId('dispute-result').count()).toBe(0);
  });
});
