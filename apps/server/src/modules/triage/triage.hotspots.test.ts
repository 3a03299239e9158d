import { describe, expect, test } from 'vitest';
import { employerNames } from './triage.employers.ts';
import { CELL_M, clusterReports, EMPLOYER_APPEALS, flagEmployers, heatOf } from './triage.hotspots.ts';
import { bigrams, similarity } from './triage.similarity.ts';

describe('employer names in a text', () => {
  test('the words before a company suffix, back to punctuation or a function word, without the place', () => {
    expect(employerNames('我在深圳市光明某电子有限公司工作三个月，公司拖欠工资')).toEqual([
      '光明某电子有限公司',
    ]);
    expect(employerNames('光明某建筑工地拖欠农民工工资，项目经理跑了')).toEqual(['光明某建筑工地']);
    expect(employerNames('被华强电子厂欠薪两个月')).toEqual(['华强电子厂']);
  });

  test('a unified social credit code is an employer too; a bare 公司 is not', () => {
    expect(employerNames('统一社会信用代码91440300MA5F02221B的公司欠薪')).toEqual(['91440300MA5F02221B']);
    expect(employerNames('公司拖欠工资')).toEqual([]);
  });
});

describe('the sweep and the heat', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 9, day));
  test(`an employer named in ${EMPLOYER_APPEALS} appeals is flagged, in 2 it is not`, () => {
    const flags = flagEmployers([
      { id: 'a', text: '光明某电子有限公司拖欠工资', submittedAt: at(3) },
      { id: 'b', text: '深圳市光明某电子有限公司三个月没发工资', submittedAt: at(5) },
      { id: 'c', text: '我们在光明某电子有限公司上班，被欠薪', submittedAt: at(4) },
      { id: 'd', text: '华强电子厂欠薪', submittedAt: at(4) },
      { id: 'e', text: '华强电子厂拖欠工资', submittedAt: at(6) },
    ]);
    expect(flags).toEqual([
      { employer: '光明某电子有限公司', appeals: 3, appealIds: ['a', 'b', 'c'], lastAt: at(5).toISOString() },
    ]);
  });

  test('heat grows with reports, with distinct reporters and with growth, never below the count', () => {
    expect(heatOf(4, 1, 0)).toBe(4);
    expect(heatOf(4, 4, 0)).toBe(12); // 4 × (1 + log2 4)
    expect(heatOf(4, 4, 1)).toBe(24);
    expect(heatOf(4, 4, -0.5)).toBe(12);
  });

  test('text similarity: the same complaint in other words is close, another matter is not', () => {
    const a = bigrams('光明大道路面有个大坑，车辆经过很危险');
    expect(similarity(a, bigrams('光明大道上路面出现大坑，车辆经过危险'))).toBeGreaterThan(0.5);
    expect(similarity(a, bigrams('楼下餐馆油烟太大，晚上噪音扰民'))).toBeLessThan(0.1);
    expect(similarity(a, a)).toBe(1);
    expect(similarity(bigrams(''), a)).toBe(0);
  });
});

describe('clusters', () => {
  const report = (id: string, lat: number, topic = '环境保护', phone: string | null = id) => ({
    id,
    title: id,
    orgPath: '/1/',
    lat,
    lng: 113.93,
    phoneHmac: phone,
    topic,
    submittedAt: new Date('2026-10-09T00:00:00Z'),
  });
  // A latitude on a cell border: reports 10 m either side of it fall in two cells.
  const border = (Math.round((22.78 * 111_320) / CELL_M) * CELL_M) / 111_320;
  const metres = (m: number) => m / 111_320;

  test('a cluster straddling a cell border is one; another topic at the same place is another', () => {
    const found = clusterReports(
      [
        report('a', border - metres(10)),
        report('b', border + metres(10)),
        report('c', border + metres(15), '环境保护', 'a'),
        report('d', border, '交通运输'),
      ],
      [report('old', border)],
    );
    expect(found.map((h) => [h.topic, h.count, h.reporters, h.previous])).toEqual([
      ['环境保护', 3, 2, 1],
      ['交通运输', 1, 1, 0],
    ]);
    expect(found[0]!.growth).toBe(2);
  });

  test('reports a kilometre apart are two clusters', () => {
    const found = clusterReports([report('a', border), report('b', border + metres(1000))], []);
    expect(found).toHaveLength(2);
  });
});
