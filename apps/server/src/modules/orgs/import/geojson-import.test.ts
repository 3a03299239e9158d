import { describe, expect, it } from 'vitest';
import { parseOrgImport } from './index.ts';

const SQUARE = [
  [
    [113.9, 22.7],
    [113.95, 22.7],
    [113.95, 22.75],
    [113.9, 22.7],
  ],
];

function feature(
  properties: Record<string, unknown>,
  geometry: unknown = { type: 'Polygon', coordinates: SQUARE },
) {
  return { type: 'Feature', properties, geometry };
}

/** One feature per line after the opening two, so feature i starts on line i + 3. */
function collection(...features: unknown[]): string {
  return [
    '{',
    '  "type": "FeatureCollection", "features": [',
    features.map((f) => `    ${JSON.stringify(f)}`).join(',\n'),
    '  ]',
    '}',
  ].join('\n');
}

describe('importing an org tree from GeoJSON', () => {
  it('loads a good file parents first, keeping extra properties', () => {
    const result = parseOrgImport(
      collection(
        feature(
          {
            code: '440311001001902',
            name: '光明站',
            level: 'station',
            parent_code: '440311001001',
            serviceRadiusM: 300,
          },
          { type: 'Point', coordinates: [113.93, 22.74] },
        ),
        feature({ code: '440311001001', name: '光明社区', level: 'community', parentCode: '440311001000' }),
        feature({ code: '440311001000', name: '光明街道', level: 'subdistrict', parentCode: '440311000000' }),
        feature({
          code: 440311000000,
          name: '光明区',
          level: 'district',
          parentCode: null,
          population: 1_095_000,
        }),
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.units.map((u) => [u.code, u.parentCode])).toEqual([
      ['440311000000', null],
      ['440311001000', '440311000000'],
      ['440311001001', '440311001000'],
      ['440311001001902', '440311001001'],
    ]);
    expect(result.units[0]).toMatchObject({
      boundary: { type: 'Polygon' },
      properties: { population: 1_095_000 },
    });
    expect(result.units[3]).toMatchObject({
      location: { lng: 113.93, lat: 22.74 },
      serviceRadiusM: 300,
      boundary: null,
    });
  });

  it('reports each bad feature on the line where the feature starts', () => {
    const result = parseOrgImport(
      collection(
        feature({ code: '440311000000', name: '光明区', level: 'district' }), // line 3
        feature({ code: '440311001000', name: '', level: 'subdistrict', parentCode: '440311000000' }), // 4
        feature(
          { code: '440311002000', name: '倒置街道', level: 'subdistrict', parentCode: '440311000000' }, // 5
          { type: 'Polygon', coordinates: [SQUARE[0]!.map(([lng, lat]) => [lat, lng])] },
        ),
        feature(
          { code: '440311003000', name: '点街道', level: 'subdistrict', parentCode: '440311000000' }, // 6
          { type: 'Point', coordinates: [113.9, 22.7] },
        ),
        feature({ code: '440311004000', name: '凤凰街道', level: 'subdistrict', parentCode: '440311000000' }), // 7
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { line: 4, field: 'name', message: 'name is required' },
      { line: 5, field: 'geometry', message: expect.stringMatching(/looks like \[lat, lng\] order/) },
      {
        line: 6,
        field: 'geometry',
        message: expect.stringMatching(/Point is only allowed for a station or center/),
      },
    ]);
  });

  it('reports invalid JSON with the line of the syntax error', () => {
    const text = [
      '{',
      '  "type": "FeatureCollection",',
      '  "features": [',
      '    { "type": "Feature", "properties": { "code": "440311000000" } "geometry": null }',
      '  ]',
      '}',
    ].join('\n');
    const result = parseOrgImport(text, { fileName: 'broken.geojson' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 4, message: expect.stringMatching(/^invalid JSON at line 4, column \d+: CommaExpected/) },
      ],
    });
  });

  it('refuses a file that is not a FeatureCollection', () => {
    const result = parseOrgImport('{"type": "Feature", "properties": {}, "geometry": null}');
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 1, message: expect.stringMatching(/FeatureCollection/) }],
    });
  });

  it('loads 10,000 features well within a second or two', () => {
    const features = [feature({ code: '440311000000', name: '光明区', level: 'district' })];
    for (let s = 1; s <= 100; s++) {
      const sub = `440311${String(s).padStart(3, '0')}000`;
      features.push(
        feature({ code: sub, name: `街道${s}`, level: 'subdistrict', parentCode: '440311000000' }),
      );
      for (let c = 1; c <= 100; c++) {
        features.push(
          feature({
            code: `${sub.slice(0, 9)}${String(c).padStart(3, '0')}`,
            name: `社区${c}`,
            level: 'community',
            parentCode: sub,
          }),
        );
      }
    }
    const text = collection(...features);
    const started = performance.now();
    const result = parseOrgImport(text);
    const elapsed = performance.now() - started;
    expect(result.ok && result.units.length).toBe(10_101);
    expect(elapsed).toBeLessThan(2000);
  });
});
