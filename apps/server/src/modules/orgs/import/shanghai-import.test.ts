import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_PATTERNS, type OrgLevel } from '../orgs.types.ts';
import { type ImportOptions, parseOrgImport } from './index.ts';

// Real data: Shanghai 街道/镇 boundaries, © OpenStreetMap contributors, ODbL 1.0
// (see shared/data/README.md, a sibling of this repository's checkout).
const SHANGHAI = new URL('../../../../../../../shared/data/geo/shanghai-towns.geojson', import.meta.url);
const OPTIONS: ImportOptions = {
  root: { code: '310000000000', name: '上海市', level: 'city' },
  groupBy: { property: 'district', level: 'district' },
  featureLevel: 'subdistrict',
};

describe('importing the names-only Shanghai towns file', () => {
  const text = readFileSync(SHANGHAI, 'utf8');

  it('loads as 1 city, 16 districts and 217 subdistricts with unique valid codes', () => {
    const started = performance.now();
    const result = parseOrgImport(text, OPTIONS);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { units } = result;
    const count = (level: OrgLevel) => units.filter((u) => u.level === level).length;
    expect([count('city'), count('district'), count('subdistrict'), units.length]).toEqual([1, 16, 217, 234]);
    expect(new Set(units.map((u) => u.code)).size).toBe(234);
    for (const unit of units) expect(unit.code).toMatch(CODE_PATTERNS[unit.level]);

    const byCode = new Map(units.map((u, i) => [u.code, { unit: u, index: i }]));
    expect(units[0]).toMatchObject({ code: '310000000000', name: '上海市', parentCode: null });
    for (const [i, unit] of units.entries()) {
      if (unit.level === 'district') {
        expect(unit).toMatchObject({ parentCode: '310000000000', boundary: null });
        expect(unit.code).toMatch(/^3100\d{2}000000$/);
      }
      if (unit.level === 'subdistrict') {
        const parent = byCode.get(unit.parentCode ?? '');
        expect(parent?.unit.level).toBe('district');
        expect(parent?.unit.name).toBe(unit.properties?.district);
        expect(parent!.index).toBeLessThan(i);
        expect(unit.code.slice(0, 6)).toBe(parent?.unit.code.slice(0, 6));
        expect(unit.boundary?.type).toMatch(/^(Multi)?Polygon$/);
      }
    }
    expect(elapsed).toBeLessThan(1000);
  });

  it('derives the same codes on every import, in name order within a district', () => {
    const first = parseOrgImport(text, OPTIONS);
    const second = parseOrgImport(text, OPTIONS);
    if (!first.ok || !second.ok) throw new Error('expected both imports to load');
    expect(second.units.map((u) => `${u.code} ${u.name}`)).toEqual(
      first.units.map((u) => `${u.code} ${u.name}`),
    );
    const pudong = first.units.find((u) => u.name === '浦东新区')!;
    const towns = first.units.filter((u) => u.parentCode === pudong.code);
    const byCode = [...towns].sort((a, b) => (a.code < b.code ? -1 : 1)).map((u) => u.name);
    const byName = [...towns].map((u) => u.name).sort();
    expect(byCode).toEqual(byName);
  });

  it('hangs under a city already in the database, and refuses to load the same towns twice', () => {
    const existing = new Map<string, OrgLevel>([['310000000000', 'city']]);
    const attached = parseOrgImport(text, { ...OPTIONS, existing });
    if (!attached.ok) throw new Error('expected the import to load');
    expect(attached.units).toHaveLength(233);
    expect(attached.units.some((u) => u.code === '310000000000')).toBe(false);

    for (const unit of attached.units) existing.set(unit.code, unit.level);
    const again = parseOrgImport(text, { ...OPTIONS, existing });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.errors).toHaveLength(233);
    expect(again.errors.every((e) => /already exists in the database/.test(e.message))).toBe(true);
  });

  it('names the feature in errors, since the minified file has every feature on line 1', () => {
    const broken = text.replace('{"name":"张庙街道","district":"宝山区"}', '{"name":"张庙街道"}');
    expect(broken).not.toBe(text);
    const result = parseOrgImport(broken, OPTIONS);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          field: 'district',
          message:
            "features[0]: property 'district' is required to place this row under a district (groupBy)",
        },
      ],
    });
  });

  it('refuses a root whose code exists at another level', () => {
    const existing = new Map<string, OrgLevel>([['310000000000', 'district']]);
    const result = parseOrgImport(text, { ...OPTIONS, existing });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          field: 'options.root',
          message: expect.stringMatching(/exists in the database as a district/),
        },
      ],
    });
  });
});
