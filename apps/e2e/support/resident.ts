import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { onTestFailed } from 'vitest';
import { phonePage } from './browser.ts';
import { DEMO_PASSWORD } from './doorstep.ts';

/** Screenshots of the resident pages land here, for a human to look at after a run. */
export const SCREENSHOTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test-results',
);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // From the top: a full-page shot of a scrolled page paints the fixed title bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface Point {
  lat: number;
  lng: number;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Console errors and uncaught exceptions of a page made by residentPage(), in order. */
export const consoleErrors = (page: Page): string[] => pageErrors.get(page) ?? [];

/**
 * A 360 px phone whose owner allows the page to know where it is. Call it inside a test: when the
 * test fails, the page as it was is saved to test-results/failed-<test>.png, with its console.
 */
export async function residentPage(browser: Browser, baseUrl: string, at: Point): Promise<Page> {
  const page = await phonePage(browser);
  const consoleLines: string[] = [];
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('console', (message) => {
    consoleLines.push(`${message.type()}: ${message.text()}`);
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => {
    consoleLines.push(`pageerror: ${error.message}`);
    errors.push(error.message);
  });
  onTestFailed(async ({ task }) => {
    const name = `failed-${task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}`;
    await screenshot(page, name).catch(() => undefined);
    console.error(`${name}: ${page.url()}\n${consoleLines.join('\n')}`);
  });
  await page.context().grantPermissions(['geolocation'], { origin: baseUrl });
  await page.context().setGeolocation({ latitude: at.lat, longitude: at.lng });
  return page;
}

/**
 * A photo as a phone takes it: 6 megapixels, about 2.3 MB of JPEG, grainy enough not to compress to
 * nothing (pure noise would make the page's compressor iterate for long on a busy machine).
 */
export function phonePhoto(width = 3000, height = 2000): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 110, g: 130, b: 90 },
      noise: { type: 'gaussian', mean: 120, sigma: 12 },
    },
  })
    .jpeg({ quality: 92 })
    .toBuffer();
}

export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** A nonce that makes an appeal's text findable through the staff API's full-text filter. */
export const marker = () => `E2E${Math.random().toString(36).slice(2, 10).toUpperCase()}`;

/** The staff side, to check what the resident's page really sent. */
export async function staffApi(baseUrl: string, username = 'district-dispatcher') {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const get = <T>(route: string) => call<T>('GET', route);
  return {
    get,
    /** An action on an appeal, e.g. `act(id, 'dispatch', { orgId }, version)`. */
    act: (id: string, action: string, body?: unknown, version?: number) =>
      call<Record<string, unknown>>(
        'POST',
        `/appeals/${id}/actions/${action}`,
        body,
        version === undefined ? {} : { 'if-match': String(version) },
      ),
    appealsMatching: (text: string) =>
      get<{ items: Record<string, unknown>[] }>(`/appeals?q=${encodeURIComponent(text)}`).then(
        (r) => r.items,
      ),
    appeal: (id: string) => get<Record<string, unknown>>(`/appeals/${id}`),
    /** Uploads a photo as this staff member; answers its upload id (to attach to an action). */
    async upload(photo: Buffer, name = 'photo.jpg'): Promise<string> {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), name);
      const response = await fetch(`${baseUrl}/api/v1/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
  };
}

export interface NearbyStation {
  code: string;
  name: string;
  location: Point;
  distanceM: number;
  openingHours: string | null;
  services: string[];
}

export async function stationsNear(baseUrl: string, at: Point, radius = 500): Promise<NearbyStation[]> {
  const response = await fetch(
    `${baseUrl}/api/v1/public/stations?lat=${at.lat}&lng=${at.lng}&radius=${radius}`,
  );
  return ((await response.json()) as { items: NearbyStation[] }).items;
}

/** Agrees to the personal-information notice (the form refuses without it), then submits. */
export async function agreeAndSubmit(page: Page): Promise<void> {
  await page.getByTestId('privacy-consent').getByRole('checkbox').click();
  await page.getByRole('button', { name: '提交', exact: true }).click();
}
