import type { Polygon, Position } from 'geojson';

/**
 * Hand-drawn approximation of Shenzhen Guangming district (光明区, statistical code 440311), WGS-84.
 * It is a demo shape, not survey data: the notch on the east stands in for the Longhua border near
 * 观澜 and the northern lobe for 马田's border with Dongguan, so maps look familiar at city zoom.
 * The real district covers about 156 km²; this outline is ~157 km² (checked by the tests).
 */
const OUTLINE_RING: Position[] = [
  [113.856, 22.75],
  [113.868, 22.733],
  [113.884, 22.727],
  [113.893, 22.711],
  [113.912, 22.702],
  [113.933, 22.697],
  [113.951, 22.704],
  [113.965, 22.719],
  [113.979, 22.733],
  [113.993, 22.741],
  [113.996, 22.758],
  [113.972, 22.77],
  [113.989, 22.786],
  [113.982, 22.803],
  [113.962, 22.809],
  [113.943, 22.816],
  [113.923, 22.828],
  [113.907, 22.817],
  [113.894, 22.833],
  [113.876, 22.829],
  [113.866, 22.814],
  [113.851, 22.806],
  [113.845, 22.789],
  [113.846, 22.768],
];

/** Counter-clockwise exterior, closed, as RFC 7946 asks. */
export const GUANGMING_OUTLINE: Polygon = {
  type: 'Polygon',
  coordinates: [[...OUTLINE_RING, OUTLINE_RING[0]!]],
};

export const DISTRICT = { code: '440311000000', name: '光明区' } as const;

/** Where the district service centre sits (near the district government on 光明大道), inside the outline. */
export const DISTRICT_CENTER_LOCATION = { lng: 113.936, lat: 22.749 } as const;

export interface SubdistrictSpec {
  name: string;
  /** Pinyin key used in department codes and `departmentCodes` keys. */
  key: string;
  /** Voronoi site: roughly where the subdistrict lies, so the partition resembles the real map. */
  anchor: [number, number];
  communities: string[];
}

/**
 * The "6" of "1+6+31": order fixes the codes 440311001000…440311006000 and must not change,
 * because codes are what other data (imports, appeals) refer to.
 */
export const SUBDISTRICTS: SubdistrictSpec[] = [
  {
    name: '光明街道',
    key: 'guangming',
    anchor: [113.955, 22.775],
    communities: ['光明社区', '白花社区', '碧眼社区', '东周社区', '翠湖社区', '迳口社区'],
  },
  {
    name: '公明街道',
    key: 'gongming',
    anchor: [113.872, 22.783],
    communities: ['公明社区', '上村社区', '下村社区', '西田社区', '李松蓢社区', '南光社区'],
  },
  {
    name: '新湖街道',
    key: 'xinhu',
    anchor: [113.915, 22.765],
    communities: ['楼村社区', '新羌社区', '圳美社区'],
  },
  {
    name: '凤凰街道',
    key: 'fenghuang',
    anchor: [113.952, 22.735],
    communities: ['凤凰社区', '东坑社区', '塘家社区', '甲子塘社区', '塘尾社区', '红花山社区'],
  },
  {
    name: '玉塘街道',
    key: 'yutang',
    anchor: [113.905, 22.728],
    communities: ['玉律社区', '长圳社区', '田寮社区', '红星社区'],
  },
  {
    name: '马田街道',
    key: 'matian',
    anchor: [113.9, 22.808],
    communities: ['马田社区', '合水口社区', '将石社区', '石围社区', '薯田埔社区', '新庄社区'],
  },
];

export const TOTAL_STATIONS = 208;
export const GRIDS_PER_STATION = 3;
