import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createHarness, type Harness } from './support/harness.ts';
import { FORM, form, STREET_LIGHT, V2 } from './support/open311.ts';
import {
  createStore,
  jsonOutput,
  runCli,
  type ServerProcess,
  type Store,
  startServer,
  stopAll,
} from './support/processes.ts';

// An operator issues, lists and revokes partner keys with the `doorstep` command on the server;
// the demo installs the key named in DOORSTEP_DEMO_OPEN311_KEY, so the README's curl session works.

const SLOW = 180_000;
const DEMO_KEY = 'demo-open311-key-0001';
const stores: Store[] = [];

afterAll(async () => {
  await stopAll();
  for (const store of stores) await store.close();
});

async function newStore() {
  const store = await createStore();
  stores.push(store);
  return store;
}

describe('doorstep apikey', () => {
  let store: Store;

  beforeAll(async () => {
    store = await newStore();
  });

  test(
    'create shows the key once; list never shows it; revoke by name ends it',
    async () => {
      const created = await runCli(
        ['apikey', 'create', '--name', '城市随手拍 App', '--rate-limit', '30'],
        store.env,
      );
      expect(created.code, created.stderr).toBe(0);
      const key = jsonOutput(created);
      expect(key).toMatchObject({ name: '城市随手拍 App', ratePerMinute: 30, revokedAt: null });
      expect(String(key.key)).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toContain('not shown again');

      const again = await runCli(['apikey', 'create', '--name', '城市随手拍 App'], store.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already named');

      const listed = await runCli(['apikey', 'list'], store.env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).not.toContain(String(key.key));
      expect(JSON.parse(listed.stdout.trim())).toEqual([
        expect.objectContaining({ id: key.id, prefix: String(key.key).slice(0, 9), lastUsedAt: null }),
      ]);

      const revoked = await runCli(['apikey', 'revoke', '城市随手拍 App'], store.env);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(jsonOutput(revoked).revokedAt).not.toBeNull();
      const twice = await runCli(['apikey', 'revoke', String(key.id)], store.env);
      expect(twice.code).toBe(1);
    },
    SLOW,
  );
});

describe('the demo key', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    const store = await newStore();
    server = await startServer(
      { ...store.env, DOORSTEP_DEMO_PASSWORD: 'Demo-Passw0rd!', DOORSTEP_DEMO_OPEN311_KEY: DEMO_KEY },
      { timeoutMs: 120_000 },
    );
  }, SLOW);
  afterAll(() => server?.stop());

  test(
    'a started demo takes posts with DOORSTEP_DEMO_OPEN311_KEY and shows them back, over real HTTP',
    async () => {
      const services = await fetch(`${server.baseUrl}${V2}/services.xml`);
      expect(services.status).toBe(200);
      expect(services.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      const posted = await fetch(`${server.baseUrl}${V2}/requests.json`, {
        method: 'POST',
        headers: FORM,
        body: form({ api_key: DEMO_KEY, service_code: STREET_LIGHT, lat: '22.765', long: '113.938' }),
      });
      expect(posted.status).toBe(200);
      const [created] = (await posted.json()) as { service_request_id: string }[];
      const id = created!.service_request_id;
      const shown = await fetch(`${server.baseUrl}${V2}/requests/${id}.json`);
      expect(((await shown.json()) as { status: string }[])[0]!.status).toBe('open');
      const wrong = await fetch(`${server.baseUrl}${V2}/requests.json`, {
        method: 'POST',
        headers: FORM,
        body: form({ api_key: `${DEMO_KEY}x`, service_code: STREET_LIGHT, lat: '22.765', long: '113.938' }),
      });
      expect(wrong.status).toBe(403);
    },
    SLOW,
  );
});

describe('configuration and the seed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ demo: false });
  });
  afterAll(() => h?.close());

  test('DOORSTEP_DEMO_OPEN311_KEY is optional and must look like a key', () => {
    expect(loadConfig({}, '/tmp').demoOpen311Key).toBeNull();
    expect(loadConfig({ DOORSTEP_DEMO_OPEN311_KEY: DEMO_KEY }, '/tmp').demoOpen311Key).toBe(DEMO_KEY);
    expect(() => loadConfig({ DOORSTEP_DEMO_OPEN311_KEY: 'short' }, '/tmp')).toThrow(ConfigError);
    expect(() => loadConfig({ DOORSTEP_DEMO_OPEN311_KEY: 'has spaces in it, sixteen+' }, '/tmp')).toThrow(
      /DOORSTEP_DEMO_OPEN311_KEY/,
    );
  });

  test('the demo seed installs the chosen key as "demo", stored only as its hash', async () => {
    const { seedDemo } = await import('../src/seed/demo-seed.ts');
    await seedDemo(h.services, { password: 'Demo-Passw0rd!', dataDir: '/nonexistent', open311Key: DEMO_KEY });
    const keys = await h.services.open311Keys.list();
    expect(keys).toEqual([expect.objectContaining({ name: 'demo', prefix: DEMO_KEY.slice(0, 9) })]);
    const stored = await h.services.db.many('SELECT * FROM open311_api_key');
    expect(JSON.stringify(stored)).not.toContain(DEMO_KEY);
    const reply = await h.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      headers: FORM,
      payload: form({ api_key: DEMO_KEY, service_code: STREET_LIGHT, address_string: '华夏路 1 号' }),
    });
    expect(reply.statusCode).toBe(200);
    const used = await h.services.open311Keys.list();
    expect(used[0]!.lastUsedAt).toBe('2026-10-09T01:00:00.000Z');
  });
});
