import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktopPage, launchBrowser, phonePage } from './support/browser.ts';
import { DEMO_PASSWORD, type RunningDoorstep, startDoorstep } from './support/doorstep.ts';

/*
 * The web apps work under the strict Content-Security-Policy the server sends: every page a
 * resident, a dispatcher and the command centre open renders, and the browser reports no
 * violation (a blocked script, style, image or connection would show here first).
 */

let doorstep: RunningDoorstep;
let browser: Browser;

beforeAll(async () => {
  [doorstep, browser] = await Promise.all([startDoorstep(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await doorstep?.stop();
});

/** Records every CSP violation the page reports, from its first script on. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return async () =>
    [
      ...fromConsole,
      ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])),
    ].filter((violation) => !EXPECTED.test(violation));
}

/**
 * Vant's icon font is embedded (a data: WOFF2) with a fallback on Alibaba's CDN. The policy blocks
 * the fallback on purpose: the embedded copy draws the icons, and no resident's browser is sent to
 * a third party (nor can it reach one on a closed government network).
 */
const EXPECTED = /font.*at\.alicdn\.com/;

describe('the web apps under the Content-Security-Policy', () => {
  test('the resident home, report and nearby pages render with no violation', async () => {
    const page = await phonePage(browser);
    const violations = await watch(page);
    const response = await page.goto(`${doorstep.baseUrl}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => page.locator('body').innerText()).toContain('我要反映');
    for (const path of ['/report', '/nearby']) {
      await page.goto(`${doorstep.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(await violations()).toEqual([]);
  });

  test('a dispatcher logs in and browses the console with no violation', async () => {
    const page = await desktopPage(browser);
    const violations = await watch(page);
    await page.goto(`${doorstep.baseUrl}/console/`);
    await page.getByLabel('用户名').fill('district-dispatcher');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('区分拨员');
    for (const path of ['/console/appeals', '/console/inbox', '/console/orgs']) {
      await page.goto(`${doorstep.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(await violations()).toEqual([]);
    // The console's unsafe requests ride on the cookie, as its API client sends them: the browser
    // names our origin (Referrer-Policy same-origin), so the CSRF check lets them through.
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
      return response.status;
    });
    expect(status).toBe(204);
  });

  test('the command-centre screen renders its charts with no violation', async () => {
    const page = await desktopPage(browser, 1920, 1080);
    const violations = await watch(page);
    await page.goto(`${doorstep.baseUrl}/screen/`);
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
  });
});
