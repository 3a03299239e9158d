import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_OTP_USERS, demoLoginBody, otpAt } from '../../server/test/support/demo-otp.ts';
import { desktopPage } from './browser.ts';
import { DEMO_PASSWORD } from './doorstep.ts';

/** Screenshots of each step, for people to look at: `<repo>/test-results/`. */
export const SCREENSHOTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results',
);

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let opening and closing dialogs and toasts finish their 0.3 s transitions: a picture, not a check.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Everything the page complains about: console errors and uncaught exceptions. A finished product
 * logs none; the test asserts the list is empty.
 */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** A staff member signed in through the login form, as a person does it. */
export async function signInWithForm(browser: Browser, baseUrl: string, username: string): Promise<Page> {
  const page = await desktopPage(browser);
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  // The admin desks must give a one-time code, read here from the demo secret as an app shows it.
  if (DEMO_OTP_USERS.includes(username)) await page.getByLabel('动态口令').fill(otpAt(new Date()));
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.locator('.el-menu').waitFor({ timeout: 30_000 });
  return page;
}

/** A staff member whose browser already holds a session cookie (login through the API). */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await desktopPage(browser, viewport.width, viewport.height);
  const post = (at: Date) =>
    page
      .context()
      .request.post(`${baseUrl}/api/v1/auth/login`, { data: demoLoginBody(username, DEMO_PASSWORD, at) });
  let response = await post(new Date());
  // A one-time code is good once: a second login within its 30 seconds takes the next step's code.
  if (response.status() === 401) response = await post(new Date(Date.now() + 30_000));
  if (!response.ok()) throw new Error(`login of ${username} failed: ${response.status()}`);
  return page;
}

/** A bearer token for API calls made by the test itself (not the page under test). */
export async function apiToken(baseUrl: string, username: string): Promise<string> {
  const post = (at: Date) =>
    fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(demoLoginBody(username, DEMO_PASSWORD, at)),
    });
  let response = await post(new Date());
  if (response.status === 401) response = await post(new Date(Date.now() + 30_000));
  if (!response.ok) throw new Error(`login of ${username} failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export interface Submitted {
  id: string;
  trackingCode: string;
}

let residents = 0;
/** A different resident each time: the server limits submissions per phone number (5 an hour). */
const nextPhone = () =>
  `139${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}${String(++residents).padStart(4, '0')}`;

/** A resident's submission through the public API (no login), in the demo district. */
export async function submitAppeal(
  baseUrl: string,
  content: string,
  options: { categoryCode?: string; lat?: number; lng?: number; address?: string } = {},
): Promise<Submitted> {
  const response = await fetch(`${baseUrl}/api/v1/appeals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'h5',
      categoryCode: options.categoryCode ?? 'SP-SZ-001',
      content,
      location: { lat: options.lat ?? 22.765, lng: options.lng ?? 113.938, address: options.address },
      contact: { name: '张三', phone: nextPhone() },
    }),
  });
  if (response.status !== 201) throw new Error(`submit failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Submitted;
}

/** Takes an action as a user through the API (to set up a state the test then looks at). */
export async function act(
  baseUrl: string,
  token: string,
  id: string,
  action: string,
  body?: Record<string, unknown>,
): Promise<{ status: string; version: number; availableActions: string[] }> {
  const response = await fetch(`${baseUrl}/api/v1/appeals/${id}/actions/${action}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${action} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { status: string; version: number; availableActions: string[] };
}

export async function departmentId(baseUrl: string, token: string, nameContains: string): Promise<number> {
  const response = await fetch(
    `${baseUrl}/api/v1/orgs?level=department&q=${encodeURIComponent(nameContains)}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const { items } = (await response.json()) as { items: { id: number; name: string }[] };
  if (!items[0]) throw new Error(`no department named like ${nameContains}`);
  return items[0].id;
}

/** The action buttons the detail page shows, in order. */
/** The action buttons the page shows, as a set (sorted): the console orders them by the workflow. */
export async function shownActions(page: Page): Promise<string[]> {
  const shown = await page
    .locator('[data-testid="actions"] [data-action]')
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action') ?? ''));
  return shown.sort();
}

/** The action buttons in the order the page shows them. */
export const actionOrder = (page: Page) =>
  page
    .locator('[data-testid="actions"] [data-action]')
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action') ?? ''));

/** The server’s availableActions for the page’s signed-in user (same cookie as the page), sorted. */
export async function serverActions(page: Page, baseUrl: string, id: string): Promise<string[]> {
  const response = await page.context().request.get(`${baseUrl}/api/v1/appeals/${id}`);
  return [...((await response.json()) as { availableActions: string[] }).availableActions].sort();
}

export const bodyText = (page: Page) => page.locator('body').innerText();
