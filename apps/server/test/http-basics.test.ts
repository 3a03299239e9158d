import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe('health and the API document', () => {
  test('/healthz answers ok and /readyz checks the database', async () => {
    expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ok');
  });

  test('the OpenAPI 3.1.0 document lists every API route with absolute paths', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/orgs/tree',
      '/api/v1/orgs/{id}',
      '/api/v1/users',
      '/api/v1/audit/verify',
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect(doc.paths['/api/v1/orgs/tree'].get.security).toBeDefined();
  });
});

describe('one error model', () => {
  test('an unknown route is a 404 in the error shape', async () => {
    const response = await h.app.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: expect.any(String), details: {} },
    });
  });

  test('malformed JSON is a 400 without a stack trace', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_body');
    expect(response.body).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('an unsupported content type is a 415', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/xml' },
      payload: '<x/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  test('invalid parameters of an authenticated call are a 400 listing each problem', async () => {
    const token = await h.login('district-dispatcher');
    const response = await h.app.inject({ url: '/api/v1/orgs?level=planet&limit=0', headers: bearer(token) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(response.json().error.details.issues.length).toBeGreaterThanOrEqual(2);
    const badId = await h.app.inject({ url: '/api/v1/users/not-a-uuid', headers: bearer(token) });
    expect(badId.statusCode).toBe(400);
    const hugeId = await h.app.inject({ url: '/api/v1/orgs/99999999999', headers: bearer(token) });
    expect(hugeId.statusCode).toBe(400);
  });

  test('unknown body fields are refused rather than silently dropped', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'leader', password: 'x', role: 'admin' },
    });
    expect(response.statusCode).toBe(400);
  });

  test('a taken code is a 409 and an impossible parent a 422', async () => {
    const token = await h.login('admin');
    const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json().user;
    const taken = await h.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: bearer(token),
      payload: { code: 'GM-CGJ', name: '重复', level: 'department', parentId: me.orgId },
    });
    expect(taken.statusCode).toBe(409);
    const grid = (
      await h.app.inject({ url: '/api/v1/orgs?level=grid&limit=1', headers: bearer(token) })
    ).json().items[0];
    const impossible = await h.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: bearer(token),
      payload: { code: '440311001001001', name: '错层', level: 'grid', parentId: grid.id },
    });
    expect(impossible.statusCode).toBe(422);
    expect(impossible.json().error.code).toBe('invalid_parent');
  });
});

describe('declared policies', () => {
  test('every API route declares a permission or that it is public', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerGuard } = await import('../src/platform/http/guard.ts');
    const app = Fastify();
    registerGuard(app, { authenticate: h.services.auth.authenticate, authorizer: h.services.authorizer });
    expect(() => app.get('/api/v1/undeclared', async () => ({}))).toThrow(/declares no policy/);
    expect(() => app.get('/api/v1/typo', { config: { permission: 'orgs.raed' } }, async () => ({}))).toThrow(
      /unknown permission/,
    );
    await app.close();
  });
});
