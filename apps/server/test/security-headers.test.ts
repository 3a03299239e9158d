import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';
import { uploadPhoto } from './support/uploads.ts';

/*
 * Every reply — API, web app, error — carries the security headers, and the web apps' policy is
 * strict: only their own scripts, styles and connections; images also from data:/blob: and the
 * configured tile servers. HTTPS-only headers appear only when the site says it is on HTTPS.
 */

function directives(policy: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

const webRoot = mkdtempSync(path.join(tmpdir(), 'doorstep-web-'));
let h: Harness;
let https: Harness;

beforeAll(async () => {
  mkdirSync(path.join(webRoot, 'console'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>家门口</title>');
  writeFileSync(path.join(webRoot, 'console', 'index.html'), '<!doctype html><title>控制台</title>');
  h = await createHarness({
    app: { webRoot, tileOrigins: ['https://*.is.autonavi.com', 'https://tile.openstreetmap.org'] },
  });
  https = await createHarness({ demo: false, app: { cookieSecure: true } });
});
afterAll(async () => {
  await h?.close();
  await https?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('over plain HTTP (the default)', () => {
  test('the resident app at / gets the strict policy and the framing, sniffing and referrer headers', async () => {
    for (const url of ['/', '/console/appeals/42', '/report?station=x']) {
      const page = await h.app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      const csp = directives(page.headers['content-security-policy'] as string);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['script-src-attr']).toEqual(["'none'"]);
      expect(csp['style-src']).toEqual(["'self'"]);
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['img-src']).toEqual([
        "'self'",
        'data:',
        'blob:',
        'https://*.is.autonavi.com',
        'https://tile.openstreetmap.org',
      ]);
      expect(csp['upgrade-insecure-requests']).toBeUndefined();
      expect(page.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      });
      expect(page.headers['strict-transport-security']).toBeUndefined();
      expect(page.headers['x-powered-by']).toBeUndefined();
    }
  });

  test('API replies carry them too, refusals and errors included', async () => {
    for (const request of [
      { url: '/api/v1/public/categories' },
      { url: '/api/v1/orgs/tree' },
      { url: '/api/v1/nowhere' },
      { url: '/api/v1/auth/login', method: 'POST' as const, payload: [] },
    ]) {
      const reply = await h.app.inject(request);
      expect(reply.headers['content-security-policy'], request.url).toContain("default-src 'self'");
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['x-frame-options']).toBe('DENY');
    }
  });

  test('a photo keeps its own sandboxing policy', async () => {
    const id = await uploadPhoto(h.app);
    const photo = await h.app.inject({ url: `/api/v1/uploads/${id}` });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  test('the printable coordination notice may style itself inline but run nothing', async () => {
    const token = await h.login('district-dispatcher');
    const [category, station, dept] = await Promise.all([
      h.app.inject({ url: '/api/v1/categories?leaf=true&active=true', headers: bearer(token) }),
      h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(token) }),
      h.app.inject({ url: '/api/v1/orgs?level=department&limit=1', headers: bearer(token) }),
    ]);
    const submitted = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: {
        channel: 'h5',
        categoryCode: category.json().items[0].code,
        content: '楼道堆放杂物，存在消防隐患',
        stationCode: station.json().items[0].code,
        contact: { name: '赵六', phone: '13811112222' },
      },
    });
    const id = submitted.json().id;
    const act = (action: string, payload: object = {}) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/appeals/${id}/actions/${action}`,
        headers: bearer(token),
        payload,
      });
    expect((await act('accept')).statusCode).toBe(200);
    const whistled = await act('whistle', {
      reason: '需多部门协同',
      summonOrgIds: [dept.json().items[0].id],
    });
    expect(whistled.statusCode, whistled.body).toBe(200);
    const notice = whistled.json().notices[0];
    const page = await h.app.inject({ url: `/api/v1/notices/${notice.id}/print`, headers: bearer(token) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<style>');
    const csp = directives(page.headers['content-security-policy'] as string);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['style-src']).toEqual(["'unsafe-inline'"]);
    expect(csp['script-src']).toBeUndefined();
  });
});

describe('behind HTTPS (DOORSTEP_COOKIE_SECURE=true)', () => {
  test('HSTS for a year and insecure sub-requests upgraded', async () => {
    const reply = await https.app.inject({ url: '/api/v1/public/categories' });
    expect(reply.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(directives(reply.headers['content-security-policy'] as string)).toHaveProperty(
      'upgrade-insecure-requests',
    );
  });
});

// The policy holds only if the built pages keep every script and style in files of their own.
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
describe.skipIf(!existsSync(path.join(DIST, 'index.html')))('the built web apps (apps/web/dist)', () => {
  test('no page has an inline script, inline style or event-handler attribute', () => {
    const pages = [
      'index.html',
      ...readdirSync(DIST, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(DIST, entry.name, 'index.html')))
        .map((entry) => `${entry.name}/index.html`),
    ];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) {
      const html = readFileSync(path.join(DIST, page), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes, page).toMatch(/\bsrc="\/[^"]+"/);
        expect(body!.trim(), page).toBe('');
      }
      expect(html, page).not.toMatch(/<style\b/i);
      expect(html, page).not.toMatch(/\sstyle=/i);
      expect(html, page).not.toMatch(/\son[a-z]+=/i);
      expect(html, page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    }
  });
});
