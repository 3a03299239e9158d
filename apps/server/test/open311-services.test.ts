import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from './support/harness.ts';
import { MANHOLE, parseXml, STREET_LIGHT, V2 } from './support/open311.ts';

// A civic app that speaks Open311 GeoReport v2 discovers the server, lists what it can report and
// reads a service definition — in XML (the spec's required format) and JSON, from the spec's text.

let h: Harness;
let district: { code: string; name: string };

beforeAll(async () => {
  h = await createHarness({ app: { publicUrl: 'https://12345.guangming.gov.cn' } });
  const unit = await h.services.orgs.places().fallbackArea();
  district = { code: unit.code, name: unit.name };
});
afterAll(() => h?.close());

const get = (url: string) => h.app.inject({ url });

describe('discovery', () => {
  test('JSON names the GeoReport v2 endpoint, its formats and how to get a key', async () => {
    const reply = await get(`${V2}/discovery.json`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = reply.json();
    expect(doc).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `https://12345.guangming.gov.cn${V2}`,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    expect(doc.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(doc.contact).toContain(district.code);
    expect(doc.key_service).toContain('doorstep apikey create');
  });

  test('a forged Host header does not reach the cached discovery document (issue #19, finding 9)', async () => {
    const reply = await h.app.inject({ url: `${V2}/discovery.json`, headers: { host: 'evil.example' } });
    expect(reply.headers['cache-control']).toContain('max-age');
    expect(reply.body).not.toContain('evil.example');
    expect(reply.json().endpoints[0].url).toBe(`https://12345.guangming.gov.cn${V2}`);
  });

  test('XML carries the same document, with one <format> element per format', async () => {
    const reply = await get(`${V2}/discovery.xml`);
    expect(reply.headers['content-type']).toBe('text/xml; charset=utf-8');
    const json = (await get(`${V2}/discovery.json`)).json();
    const { discovery } = parseXml(reply.body) as {
      discovery: {
        changeset: string;
        endpoints: { endpoint: { specification: string; formats: { format: string[] } }[] };
      };
    };
    expect(discovery.changeset).toBe(json.changeset);
    expect(discovery.endpoints.endpoint[0]!.formats.format).toEqual(['text/xml', 'application/json']);
    expect(discovery.endpoints.endpoint[0]!.specification).toBe('http://wiki.open311.org/GeoReport_v2');
  });
});

describe('GET Service List', () => {
  test('lists the 随手拍 items with the spec’s fields, group by group', async () => {
    const reply = await get(`${V2}/services.json`);
    expect(reply.statusCode).toBe(200);
    const services = reply.json() as Record<string, unknown>[];
    expect(services.length).toBeGreaterThan(30);
    for (const service of services) {
      expect(Object.keys(service)).toEqual([
        'service_code',
        'service_name',
        'description',
        'metadata',
        'type',
        'keywords',
        'group',
      ]);
      expect(service.type).toBe('realtime');
      expect(String(service.service_code)).toMatch(/^SP-/);
    }
    const manhole = services.find((s) => s.service_code === MANHOLE)!;
    expect(manhole).toMatchObject({ service_name: '井盖缺失/破损', metadata: true, group: '市政设施' });
    expect(String(manhole.keywords)).toContain('井盖, 窨井盖');
    expect(manhole.description).toContain('1 个工作日内受理');
    // Disputes, complaints and the grid workers' patrol items are about persons: never offered.
    expect(services.some((s) => /^(JF|TS|XC|QZ|ZX|JY)-/.test(String(s.service_code)))).toBe(false);
  });

  test('XML lists the same services in <services><service>', async () => {
    const json = (await get(`${V2}/services.json`)).json() as Record<string, unknown>[];
    const reply = await get(`${V2}/services.xml`);
    expect(reply.statusCode).toBe(200);
    const { services } = parseXml(reply.body) as { services: { service: Record<string, string>[] } };
    expect(services.service.map((s) => s.service_code)).toEqual(json.map((s) => s.service_code));
    const light = services.service.find((s) => s.service_code === STREET_LIGHT)!;
    expect(light).toMatchObject({ service_name: '路灯不亮/损坏', metadata: 'true', type: 'realtime' });
    const plain = services.service.find((s) => s.service_code === 'SP-SZ-002')!;
    expect(plain.metadata).toBe('false');
  });

  test('the resident app’s catalogue and Open311 agree on names and codes', async () => {
    const tree = (await get('/api/v1/public/categories?kind=snapshot')).json();
    const resident = JSON.stringify(tree);
    const services = (await get(`${V2}/services.json`)).json() as {
      service_code: string;
      service_name: string;
    }[];
    for (const s of services)
      expect(resident).toContain(`"code":"${s.service_code}","name":"${s.service_name}"`);
  });

  test('a deactivated item disappears, its definition answers 404 and the changeset moves', async () => {
    const before = (await get(`${V2}/discovery.json`)).json().changeset;
    h.clock.advance(60_000);
    const item = await h.services.catalog.getByCode('SP-SZ-012');
    const { systemActor } = await import('../src/platform/auth/actor.ts');
    await h.services.catalog.update(systemActor(['system_admin']), item!.id, { active: false });
    try {
      const codes = ((await get(`${V2}/services.json`)).json() as { service_code: string }[]).map(
        (s) => s.service_code,
      );
      expect(codes).not.toContain('SP-SZ-012');
      expect((await get(`${V2}/services/SP-SZ-012.json`)).statusCode).toBe(404);
      // Discovery's changeset moves, so clients refresh their cached service list.
      const after = (await get(`${V2}/discovery.json`)).json().changeset;
      expect(after > before).toBe(true);
    } finally {
      await h.services.catalog.update(systemActor(['system_admin']), item!.id, { active: true });
    }
  });
});

describe('GET Service Definition', () => {
  test('JSON gives the item’s extra fields as attributes, in order, with their values', async () => {
    const reply = await get(`${V2}/services/${MANHOLE}.json`);
    expect(reply.statusCode).toBe(200);
    const definition = reply.json();
    expect(definition.service_code).toBe(MANHOLE);
    expect(definition.attributes.map((a: { code: string }) => a.code)).toEqual(['cover_type', 'warning_set']);
    const [cover, warning] = definition.attributes;
    expect(cover).toMatchObject({
      variable: true,
      code: 'cover_type',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      description: '井盖类型（看盖上的字）',
    });
    expect(cover.datatype_description).toContain('key');
    expect(cover.values).toContainEqual({ key: 'sewage', name: '污水' });
    expect(warning).toMatchObject({ required: false, order: 2 });
  });

  test('XML nests <attributes><attribute> and <values><value><key><name>', async () => {
    const reply = await get(`${V2}/services/${MANHOLE}.xml`);
    expect(reply.statusCode).toBe(200);
    const { service_definition: definition } = parseXml(reply.body) as {
      service_definition: {
        service_code: string;
        attributes: { attribute: (Record<string, string> & { values: { value: unknown[] } })[] };
      };
    };
    expect(definition.service_code).toBe(MANHOLE);
    const cover = definition.attributes.attribute[0]!;
    expect(cover).toMatchObject({ variable: 'true', code: 'cover_type', required: 'true', order: '1' });
    expect(cover.values.value).toContainEqual({ key: 'rain', name: '雨水' });
  });

  test('a string attribute has no list of values; a service without extra fields has no attributes', async () => {
    const light = (await get(`${V2}/services/${STREET_LIGHT}.json`)).json();
    expect(light.attributes).toEqual([
      expect.objectContaining({ code: 'lamp_no', datatype: 'string', required: false }),
    ]);
    expect(light.attributes[0]).not.toHaveProperty('values');
    const plain = await get(`${V2}/services/SP-SZ-002.xml`);
    expect(parseXml(plain.body)).toEqual({
      service_definition: { service_code: 'SP-SZ-002', attributes: '' },
    });
  });

  test('an unknown or unpublished service_code is a 404 in the spec’s error format', async () => {
    const json = await get(`${V2}/services/NOPE-1.json`);
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: 'service_code NOPE-1 was not found' }]);
    // A dispute item exists in the catalogue but is not an Open311 service.
    const xml = await get(`${V2}/services/JF-LZ-001.xml`);
    expect(xml.statusCode).toBe(404);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(parseXml(xml.body)).toEqual({
      errors: { error: [{ code: '404', description: 'service_code JF-LZ-001 was not found' }] },
    });
  });
});

describe('jurisdiction_id, tokens and unknown resources', () => {
  test('the district’s code is accepted, an empty one ignored, any other one is a 404', async () => {
    expect((await get(`${V2}/services.json?jurisdiction_id=${district.code}`)).statusCode).toBe(200);
    expect((await get(`${V2}/services.json?jurisdiction_id=`)).statusCode).toBe(200);
    const wrong = await get(`${V2}/services.xml?jurisdiction_id=sfgov.org`);
    expect(wrong.statusCode).toBe(404);
    const { errors } = parseXml(wrong.body) as { errors: { error: { description: string }[] } };
    expect(errors.error[0]!.description).toContain('jurisdiction_id sfgov.org was not found');
    expect((await get(`${V2}/services/${MANHOLE}.json?jurisdiction_id=x`)).statusCode).toBe(404);
  });

  test('every request is answered with its id at once, so a token is never found (JSON and XML)', async () => {
    const json = await get(`${V2}/tokens/12345.json`);
    expect(json.statusCode).toBe(404);
    expect(json.json()[0]).toMatchObject({ code: 404 });
    expect(json.json()[0].description).toContain('token 12345 was not found');
    const xml = await get(`${V2}/tokens/12345.xml?jurisdiction_id=${district.code}`);
    expect(xml.statusCode).toBe(404);
    expect(parseXml(xml.body)).toMatchObject({ errors: { error: [{ code: '404' }] } });
  });

  test('an unknown path or format under /open311/v2 is a 404 in the spec’s format (XML by default)', async () => {
    const xml = await get(`${V2}/nothing.html`);
    expect(xml.statusCode).toBe(404);
    expect(parseXml(xml.body)).toEqual({
      errors: { error: [{ code: '404', description: `no resource GET ${V2}/nothing.html` }] },
    });
    const json = await get(`${V2}/services/x/y.json`);
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: `no resource GET ${V2}/services/x/y.json` }]);
  });

  test('the rest of the API keeps its own error model', async () => {
    const reply = await get('/api/v1/nothing');
    expect(reply.statusCode).toBe(404);
    expect(reply.json().error.code).toBe('not_found');
  });
});
