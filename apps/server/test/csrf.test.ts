import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, DEMO_PASSWORD, type Harness } from './support/harness.ts';

/*
 * The console is signed in by its session cookie, which the browser attaches by itself. A page of
 * another site must not be able to make that browser change anything: every unsafe request that
 * rides on the cookie must show it comes from our own origin. Bearer-token clients (curl, the
 * apps' API users) are not affected: no foreign page can set their Authorization header.
 */

let h: Harness;
let cookie: string;
let appealId: string;
const HOST = 'doorstep.example.cn';

beforeAll(async () => {
  h = await createHarness();
  const login = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { host: HOST, origin: `https://${HOST}` },
    payload: { username: 'district-dispatcher', password: DEMO_PASSWORD },
  });
  cookie = login.cookies.find((c) => c.name === 'doorstep_session')!.value;
  const station = (
    await h.app.inject({ url: '/api/v1/orgs?level=station&limit=1', headers: bearer(login.json().token) })
  ).json().items[0];
  const category = (
    await h.app.inject({
      url: '/api/v1/categories?leaf=true&active=true',
      headers: bearer(login.json().token),
    })
  ).json().items[0];
  const submitted = await h.app.inject({
    method: 'POST',
    url: '/api/v1/appeals',
    payload: {
      channel: 'h5',
      categoryCode: category.code,
      content: '路口红绿灯坏了',
      stationCode: station.code,
      contact: { name: '钱七', phone: '13911112222' },
    },
  });
  appealId = submitted.json().id;
});
afterAll(() => h?.close());

/** The dispatcher's browser pressing "受理" on the appeal, with whatever headers the page causes. */
function accept(headers: Record<string, string>) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/appeals/${appealId}/actions/accept`,
    headers: { host: HOST, ...headers },
    cookies: { doorstep_session: cookie },
  });
}

async function version() {
  const detail = await h.app.inject({
    url: `/api/v1/appeals/${appealId}`,
    headers: { host: HOST },
    cookies: { doorstep_session: cookie },
  });
  return detail.json().version as number;
}

describe('a cookie session changes things only from our own pages', () => {
  test('a foreign page’s request is refused with 403 csrf_rejected and changes nothing', async () => {
    const before = await version();
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example.com' },
      { origin: `https://${HOST}.evil.example.com` },
      { origin: 'null' },
      { referer: 'https://evil.example.com/page' },
      {},
    ]) {
      const refused = await accept(headers);
      expect([JSON.stringify(headers), refused.statusCode]).toEqual([JSON.stringify(headers), 403]);
      expect(refused.json().error.code).toBe('csrf_rejected');
    }
    expect(await version()).toBe(before);
  });

  test('reading is never refused: a GET changes nothing', async () => {
    const read = await h.app.inject({
      url: `/api/v1/appeals/${appealId}`,
      headers: { host: HOST, origin: 'https://evil.example.com' },
      cookies: { doorstep_session: cookie },
    });
    expect(read.statusCode).toBe(200);
  });

  test('the console’s own request (same origin; scheme may differ behind a TLS proxy) goes through', async () => {
    const accepted = await accept({ origin: `http://${HOST}` });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
  });

  test('without Origin, a same-origin Referer is enough (older browsers)', async () => {
    const noted = await h.app.inject({
      method: 'POST',
      url: `/api/v1/appeals/${appealId}/actions/note`,
      headers: { host: HOST, referer: `https://${HOST}/console/appeals/${appealId}` },
      cookies: { doorstep_session: cookie },
      payload: { text: '已电话联系居民' },
    });
    expect(noted.statusCode, noted.body).toBe(200);
  });

  test('a public form that would act as the signed-in dispatcher is refused too', async () => {
    const forged = await h.app.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      headers: { host: HOST, origin: 'https://evil.example.com' },
      cookies: { doorstep_session: cookie },
      payload: { channel: 'hotline', categoryCode: 'x', content: '伪造' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('csrf_rejected');
  });

  test('logging out from the console works; from elsewhere it does not', async () => {
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { host: HOST, origin: 'https://evil.example.com' },
      cookies: { doorstep_session: cookie },
    });
    expect(foreign.statusCode).toBe(403);
    const own = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { host: HOST, origin: `https://${HOST}` },
      cookies: { doorstep_session: cookie },
    });
    expect(own.statusCode).toBe(204);
  });
});

describe('bearer tokens are not affected', () => {
  test('an API client with a token and no Origin acts as before, cookie or not', async () => {
    const token = await h.login('district-dispatcher');
    const noted = await h.app.inject({
      method: 'POST',
      url: `/api/v1/appeals/${appealId}/actions/note`,
      headers: { ...bearer(token), host: HOST },
      cookies: { doorstep_session: 'stale-cookie' },
      payload: { text: '热线回访' },
    });
    expect(noted.statusCode, noted.body).toBe(200);
  });
});
