import {
  ACTION_BODIES,
  ACTION_NAMES,
  AppealDetail,
  AppealSummary,
  PublicTracking,
} from '@doorstep/contracts';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, test } from 'vitest';
import { createAppealWorld } from './support/appeals.ts';

/*
 * The API contract (issue #18): the published OpenAPI document is valid 3.1, every JSON reply under
 * /api/ has a typed schema, every action documents its own body, and a reply carries exactly what
 * its schema declares — so a field added to a view in the server cannot reach a client unnoticed.
 */

const world = await createAppealWorld();
const { h } = world;
afterAll(() => h.close());

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
type Operation = {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};
const doc = (await h.app.inject({ url: '/api/openapi.json' })).json() as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
};
const apiOperations = Object.entries(doc.paths)
  .filter(([path]) => path.startsWith('/api/'))
  .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

/**
 * Places in a schema that say nothing about their content: an object with no declared properties
 * (a bare `{}` or `type: object` alone), or a free-form record at the top of a reply. A record is
 * fine as a named field (journal data, the reporter's answers), never as the reply itself.
 */
function untypedPlaces(schema: Schema | undefined, path = '', top = true): string[] {
  if (!schema || Object.keys(schema).filter((k) => k !== 'description').length === 0) return [path || '/'];
  const found: string[] = [];
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    found.push(...untypedPlaces(variant, path, top));
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (isObject) {
    // `additionalProperties: false` with no properties declares an empty object (accept, claim…).
    const declared = Object.keys(schema.properties ?? {}).length > 0 || schema.additionalProperties === false;
    const record =
      Object.keys(schema.patternProperties ?? {}).length > 0 ||
      typeof schema.additionalProperties === 'object';
    if (!declared && (!record || top)) found.push(path || '/');
    for (const [name, child] of Object.entries(schema.properties ?? {}))
      found.push(...untypedPlaces(child, `${path}/${name}`, false));
  }
  if (schema.type === 'array') found.push(...untypedPlaces(schema.items, `${path}/[]`, top));
  return found;
}

describe('the OpenAPI document', () => {
  test('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  test('every JSON reply under /api/ has a typed schema, never an untyped object', () => {
    const problems: string[] = [];
    let replies = 0;
    for (const { path, method, op } of apiOperations) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!status.startsWith('2')) continue;
        const json = response.content?.['application/json'];
        if (!json) continue;
        replies++;
        for (const place of untypedPlaces(json.schema))
          problems.push(`${method.toUpperCase()} ${path} ${status}: ${place}`);
      }
    }
    expect(replies).toBeGreaterThanOrEqual(40);
    expect(problems).toEqual([]);
  });

  test('the check above can fail: it names a loose reply and a loose field', () => {
    expect(untypedPlaces({ type: 'object', patternProperties: { '^.*$': {} } })).toEqual(['/']);
    expect(untypedPlaces({ type: 'object', properties: { items: { type: 'array', items: {} } } })).toEqual([
      '/items/[]',
    ]);
    expect(
      untypedPlaces({
        type: 'object',
        properties: { data: { type: 'object', patternProperties: { '^.*$': {} } } },
      }),
    ).toEqual([]);
  });

  test('every request body under /api/ has a typed schema', () => {
    const problems = apiOperations
      .filter(({ op }) => op.requestBody?.content?.['application/json'])
      .flatMap(({ path, method, op }) =>
        untypedPlaces(op.requestBody!.content!['application/json']!.schema).map(
          (place) => `${method.toUpperCase()} ${path}: ${place}`,
        ),
      );
    expect(problems).toEqual([]);
  });

  test('each of the appeal actions is its own route and documents its own body', () => {
    expect(ACTION_NAMES.length).toBe(22);
    for (const name of ACTION_NAMES) {
      const op = doc.paths[`/api/v1/appeals/{id}/actions/${name}`]?.post;
      expect(op, name).toBeDefined();
      const body = op!.requestBody?.content?.['application/json']?.schema;
      expect(Object.keys(body?.properties ?? {}).sort(), name).toEqual(
        Object.keys(ACTION_BODIES[name].properties).sort(),
      );
    }
    const dispatch =
      doc.paths['/api/v1/appeals/{id}/actions/dispatch']!.post!.requestBody!.content!['application/json']!
        .schema!;
    expect(Object.keys(dispatch.properties!)).toEqual(['orgId', 'coHandlerIds', 'note']);
    expect(dispatch.required).toEqual(['orgId']);
  });
});

describe('a reply carries exactly what its schema declares', () => {
  /** What a careless change to a view might add: staff-only and personal fields. */
  const STRAY = {
    contact: { name: '张三', phone: '13812341234' },
    content: '居民原话，含住址',
    accusedOrgId: 7,
    internalNote: '内部备注',
    contactPhoneEnc: 'v1:…',
  };

  test('a field added to the public view does not reach /api/v1/track/{code}', async () => {
    const appeal = await world.newAppeal();
    const service = h.services.appeals;
    const original = service.track;
    service.track = async (code: string) => ({ ...(await original(code)), ...STRAY });
    try {
      const response = await h.app.inject({ url: `/api/v1/track/${appeal.trackingCode}` });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      for (const field of Object.keys(STRAY)) expect(body, field).not.toHaveProperty(field);
      expect(Object.keys(body).sort()).toEqual(Object.keys(PublicTracking.properties).sort());
      expect(body.trackingCode).toBe(appeal.trackingCode);
    } finally {
      service.track = original;
    }
  });

  test('staff replies are closed too: list items and the detail drop undeclared fields', async () => {
    const appeal = await world.newAppeal();
    const service = h.services.appeals;
    const { list, detail } = service;
    const patched = service as unknown as Record<'list' | 'detail', (...args: unknown[]) => Promise<object>>;
    patched.list = async (...args) => {
      const page = await (list as (...a: unknown[]) => ReturnType<typeof list>)(...args);
      // `contact` is declared for staff (masked); the rest is not.
      const { contact: _, ...undeclared } = STRAY;
      return { ...page, items: page.items.map((item) => ({ ...item, ...undeclared })) };
    };
    patched.detail = async (...args) => ({
      ...(await (detail as (...a: unknown[]) => ReturnType<typeof detail>)(...args)),
      internalNote: STRAY.internalNote,
      contactPhoneEnc: STRAY.contactPhoneEnc,
    });
    try {
      const headers = world.as('district-dispatcher');
      const listed = await h.app.inject({ url: '/api/v1/appeals?limit=5', headers });
      expect(listed.statusCode, listed.body).toBe(200);
      const page = listed.json();
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items)
        expect(Object.keys(item).sort()).toEqual(Object.keys(AppealSummary.properties).sort());
      const one = (await h.app.inject({ url: `/api/v1/appeals/${appeal.id}`, headers })).json();
      expect(one).not.toHaveProperty('internalNote');
      expect(one).not.toHaveProperty('contactPhoneEnc');
      expect(Object.keys(one).sort()).toEqual(Object.keys(AppealDetail.properties).sort());
    } finally {
      Object.assign(service, { list, detail });
    }
  });
});
