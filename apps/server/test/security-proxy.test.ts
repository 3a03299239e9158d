import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createHarness, DEMO_PASSWORD, type Harness } from './support/harness.ts';

/**
 * Issue #19, finding 9: DOORSTEP_TRUST_PROXY was a boolean that trusted every hop (any client
 * could forge its address, and so its rate-limit bucket), and the session cookie lacked `Secure`
 * when HTTPS ended at a proxy. Now the proxies are named, and their X-Forwarded-Proto counts.
 */
const PROXY = '127.0.0.1';
let behindProxy: Harness;
let direct: Harness;
beforeAll(async () => {
  behindProxy = await createHarness({ app: { trustProxy: [PROXY] } });
  direct = await createHarness();
});
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
});

const login = (h: Harness, headers: Record<string, string>, remoteAddress = PROXY) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers,
    payload: { username: 'leader', password: DEMO_PASSWORD },
  });

describe('behind a named HTTPS proxy', () => {
  test('the session cookie is Secure when the proxy says the request came over HTTPS', async () => {
    const reply = await login(behindProxy, { 'x-forwarded-proto': 'https' });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(String(reply.headers['set-cookie'])).toMatch(/;\s*Secure/i);
  });

  test('a client that is not the proxy cannot claim HTTPS or another address', async () => {
    const reply = await login(
      behindProxy,
      { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
      '203.0.113.9',
    );
    expect(reply.statusCode).toBe(200);
    expect(String(reply.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
    const journal = await behindProxy.services.journal.list(behindProxy.services.db, {
      stream: 'security',
      action: 'auth.login',
      limit: 1,
    });
    expect(journal[0]!.data).toMatchObject({ ip: '203.0.113.9' });
  });

  test('without DOORSTEP_TRUST_PROXY no forwarded header is believed', async () => {
    const reply = await login(direct, { 'x-forwarded-proto': 'https' });
    expect(String(reply.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });
});

describe('DOORSTEP_TRUST_PROXY', () => {
  const env = { DOORSTEP_DATA_DIR: '/tmp/doorstep-config-test' };
  test('takes addresses and CIDRs; "true" (trust every hop) is refused with a clear message', () => {
    expect(loadConfig({ ...env, DOORSTEP_TRUST_PROXY: '10.0.0.5, 10.0.1.0/24' }).trustProxy).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
    ]);
    expect(loadConfig({ ...env, DOORSTEP_TRUST_PROXY: 'false' }).trustProxy).toEqual([]);
    expect(() => loadConfig({ ...env, DOORSTEP_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, DOORSTEP_TRUST_PROXY: 'true' })).toThrow(
      /addresses of your reverse proxies/,
    );
    expect(() => loadConfig({ ...env, DOORSTEP_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(
      /DOORSTEP_PUBLIC_URL/,
    );
  });
});
