import { describe, expect, it } from 'vitest';
import type { OrgUnitDraft } from '../orgs.types.ts';
import { parseOrgImport } from './index.ts';

const HEADER = 'code,name,level,parent_code,lng,lat,service_radius_m,geometry,note';
const SQUARE =
  '"{""type"":""Polygon"",""coordinates"":[[[113.9,22.7],[113.95,22.7],[113.95,22.75],[113.9,22.7]]]}"';

function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function expectParentsFirst(units: OrgUnitDraft[]): void {
  const seen = new Set<string>();
  for (const unit of units) {
    if (unit.parentCode !== null && units.some((u) => u.code === unit.parentCode)) {
      expect(seen.has(unit.parentCode), `${unit.code} comes after its parent ${unit.parentCode}`).toBe(true);
    }
    seen.add(unit.code);
  }
}

describe('importing an org tree from CSV', () => {
  it('loads a good file, listing parents before children whatever the row order', () => {
    const result = parseOrgImport(
      csv(
        HEADER,
        '440311001001001,网格一,grid,440311001001902,,,,,',
        '440311001001902,光明站,station,440311001001,113.93,22.74,800,,',
        '440311001001,光明社区,community,440311001000,,,,,',
        `440311001000,光明街道,subdistrict,440311000000,,,,${SQUARE},街道办在华夏路`,
        '440311000000,光明区,district,440300000000,,,,,',
        '440300000000,深圳市,city,,,,,,',
        '440311001001903,东周站,station,440311001001,113.94,22.75,,,',
      ),
      { fileName: 'guangming.csv' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.units.map((u) => u.code)).toEqual([
      '440300000000',
      '440311000000',
      '440311001000',
      '440311001001',
      '440311001001902',
      '440311001001903',
      '440311001001001',
    ]);
    expectParentsFirst(result.units);
    const byCode = new Map(result.units.map((u) => [u.code, u]));
    expect(byCode.get('440300000000')?.parentCode).toBeNull();
    expect(byCode.get('440311001001902')).toMatchObject({
      level: 'station',
      location: { lng: 113.93, lat: 22.74 },
      serviceRadiusM: 800,
    });
    expect(byCode.get('440311001001903')?.serviceRadiusM).toBe(500);
    expect(byCode.get('440311001000')).toMatchObject({
      boundary: { type: 'Polygon' },
      properties: { note: '街道办在华夏路' },
    });
  });

  it('reports every bad row by its line and nothing else', () => {
    const result = parseOrgImport(
      csv(
        HEADER, // 1
        '440300000000,深圳市,city,,,,,,', // 2
        '440311000000,光明区,district,440300000000,,,,,', // 3
        '440311001000,光明街道,subdistrict,440311000000,,,,,"备注第一行', // 4
        '备注第二行"', // 5
        '4403,坏区,district,440300000000,,,,,', // 6: bad code
        '440311001001,光明社区,community,440311001000,,,,,', // 7
        '440311001002,未知层级,village,440311001000,,,,,', // 8: unknown level
        '440311009000,孤儿街道,subdistrict,440311999000,,,,,', // 9: unknown parent
        '440311001001,重复社区,community,440311001000,,,,,', // 10: duplicate of line 7
        '440311001003,坏边界社区,community,440311001000,,,,"{""type"":""Polygon"",""coordinates"":[[[113.9,22.7],[113.95,22.7],[113.95,22.75],[113.9,22.76]]]}",', // 11: unclosed ring
        '440311001001901,无位置站,station,440311001001,,,,,', // 12: station without location
        '440311001001902,光明站,station,440311001001,113.93,22.74,800,,', // 13
        '440311001001001,网格一,grid,440311001001902,,,,,', // 14
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([6, 8, 9, 10, 11, 12]);
    const message = (line: number) => result.errors.find((e) => e.line === line)?.message;
    expect(message(6)).toBe("code '4403' does not match the 12-digit pattern for level district");
    expect(message(8)).toMatch(/level 'village' is not one of city, district/);
    expect(message(9)).toBe("parent code '440311999000' is not in the file or the database");
    expect(message(10)).toMatch(/duplicate code '440311001001'.*line 7/);
    expect(message(11)).toMatch(/ring 1 is not closed/);
    expect(message(12)).toMatch(/station needs a location/);
  });

  it('keeps line numbers right after a quoted field spanning several lines, with CRLF endings', () => {
    const text = [
      HEADER, // 1
      '440300000000,深圳市,city,,,,,,"第一行', // 2
      '第二行', // 3
      '第三行"', // 4
      '440311000000,光明区,district,440300000000,,,,,', // 5
      '', // 6: blank lines are skipped but still counted
      '440311001000,光明街道,subdistrict,4403110000,,,,,"又一个', // 7: bad parent, multi-line
      '备注"', // 8
      'BAD,坏,district,440300000000,,,,,', // 9
    ].join('\r\n');
    const result = parseOrgImport(text, { format: 'csv' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([7, 9]);
  });

  it('reports a broken quote by line and still checks the other rows', () => {
    const result = parseOrgImport(
      csv(
        HEADER,
        '440300000000,深圳市,city,,,,,,',
        '440311000000,光"明区,district,440300000000,,,,,', // 3: stray quote
        'BAD,坏,district,440300000000,,,,,', // 4
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(result.errors[0]?.message).toMatch(/^CSV syntax/);
  });

  it('rejects a header without the required columns on line 1', () => {
    const result = parseOrgImport(csv('\uFEFFcode,name,level', '440300000000,深圳市,city'), {
      format: 'csv',
    });
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 1, message: expect.stringMatching(/missing required column parent_code/) }],
    });
  });

  it('attaches to a parent already in the database', () => {
    const existing = new Map([
      ['440300000000', 'city' as const],
      ['440311000000', 'district' as const],
    ]);
    const result = parseOrgImport(
      csv(
        'code,name,level,parent_code',
        '440311002001,凤凰社区,community,440311002000',
        '440311002000,凤凰街道,subdistrict,440311000000',
      ),
      { existing },
    );
    expect(result).toEqual({
      ok: true,
      units: [
        expect.objectContaining({ code: '440311002000', parentCode: '440311000000' }),
        expect.objectContaining({ code: '440311002001', parentCode: '440311002000' }),
      ],
    });
  });

  it('refuses a code that already exists in the database, and a parent of the wrong level', () => {
    const existing = new Map([
      ['440300000000', 'city' as const],
      ['440311000000', 'district' as const],
    ]);
    const result = parseOrgImport(
      csv(
        'code,name,level,parent_code',
        '440311000000,光明区,district,440300000000',
        '440311003000,马田街道,subdistrict,440300000000',
        '440311004000,新湖街道,subdistrict,440311000000',
      ),
      { existing },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 2, field: 'code', message: "code '440311000000' already exists in the database" },
        {
          line: 3,
          field: 'parentCode',
          message: 'a subdistrict cannot be under a city (allowed parents: district)',
        },
      ],
    });
  });

  it('refuses a child whose code does not carry its parent prefix, and departments that loop', () => {
    const result = parseOrgImport(
      csv(
        'code,name,level,parent_code',
        '440300000000,深圳市,city,',
        '440311000000,光明区,district,440300000000',
        '440312001000,错号街道,subdistrict,440311000000', // 4
        'CG-A,城管甲,department,CG-B', // 5
        'CG-B,城管乙,department,CG-A', // 6
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        line: 4,
        field: 'code',
        message:
          "code '440312001000' must start with '440311', the first 6 digits of its parent district '440311000000'",
      },
      { line: 5, field: 'parentCode', message: 'parent codes form a cycle: CG-A → CG-B → CG-A' },
      { line: 6, field: 'parentCode', message: 'parent codes form a cycle: CG-A → CG-B → CG-A' },
    ]);
  });

  it('loads 10,000 rows well within a second or two', () => {
    const lines = ['code,name,level,parent_code,lng,lat'];
    lines.push('440300000000,深圳市,city,,,', '440311000000,光明区,district,440300000000,,');
    for (let s = 1; s <= 10; s++) {
      const sub = `440311${String(s).padStart(3, '0')}000`;
      lines.push(`${sub},街道${s},subdistrict,440311000000,,`);
      for (let c = 1; c <= 30; c++) {
        const community = `${sub.slice(0, 9)}${String(c).padStart(3, '0')}`;
        lines.push(`${community},社区${s}-${c},community,${sub},,`);
        lines.push(`${community}901,站${s}-${c},station,${community},113.9,22.7`);
        for (let g = 1; g <= 32; g++) {
          lines.push(`${community}${String(g).padStart(3, '0')},网格${g},grid,${community}901,,`);
        }
      }
    }
    expect(lines.length).toBeGreaterThan(10_000);
    const started = performance.now();
    const result = parseOrgImport(csv(...lines));
    const elapsed = performance.now() - started;
    expect(result.ok && result.units.length).toBe(lines.length - 1);
    expect(elapsed).toBeLessThan(2000);
  });
});
