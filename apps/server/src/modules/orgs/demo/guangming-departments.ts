/**
 * Functional departments (职能部门) of the demo district. `competences` are stable English keys that
 * the appeal catalogue maps its categories onto; they are the contract, the Chinese names are display.
 */
export interface DepartmentSpec {
  /** Key in `DemoDistrict.departmentCodes`. */
  key: string;
  code: string;
  name: string;
  shortName: string;
  competences: string[];
}

export const DEPARTMENTS: DepartmentSpec[] = [
  {
    key: 'urbanManagement',
    code: 'GM-CGJ',
    name: '光明区城市管理和综合执法局',
    shortName: '城管局',
    competences: ['city_management'],
  },
  {
    key: 'housing',
    code: 'GM-ZJJ',
    name: '光明区住房和建设局',
    shortName: '住建局',
    competences: ['housing'],
  },
  {
    key: 'humanResources',
    code: 'GM-RLZYJ',
    name: '光明区人力资源局',
    shortName: '人力资源局',
    competences: ['labour'],
  },
  {
    key: 'police',
    code: 'GM-GAFJ',
    name: '深圳市公安局光明分局',
    shortName: '公安分局',
    competences: ['public_security'],
  },
  {
    key: 'transport',
    code: 'GM-JTJ',
    name: '光明区交通运输局',
    shortName: '交通局',
    competences: ['transport'],
  },
  {
    key: 'environment',
    code: 'GM-STHJ',
    name: '光明区生态环境分局',
    shortName: '生态环境分局',
    competences: ['environment'],
  },
  { key: 'health', code: 'GM-WJJ', name: '光明区卫生健康局', shortName: '卫健局', competences: ['health'] },
  { key: 'education', code: 'GM-JYJ', name: '光明区教育局', shortName: '教育局', competences: ['education'] },
  {
    key: 'marketRegulation',
    code: 'GM-SJJ',
    name: '光明区市场监督管理局',
    shortName: '市场监管局',
    competences: ['market'],
  },
  { key: 'water', code: 'GM-SWJ', name: '光明区水务局', shortName: '水务局', competences: ['water'] },
  {
    key: 'emergency',
    code: 'GM-YJJ',
    name: '光明区应急管理局',
    shortName: '应急管理局',
    competences: ['emergency'],
  },
  {
    key: 'civilAffairs',
    code: 'GM-MZJ',
    name: '光明区民政局',
    shortName: '民政局',
    competences: ['civil_affairs'],
  },
  { key: 'justice', code: 'GM-SFJ', name: '光明区司法局', shortName: '司法局', competences: ['legal'] },
  {
    key: 'planning',
    code: 'GM-GZJ',
    name: '光明区规划和自然资源局',
    shortName: '规划和自然资源局',
    competences: ['planning'],
  },
];

/** Police stations hang under the police department, one per subdistrict. */
export function policeStationSpec(subdistrictKey: string, subdistrictName: string): DepartmentSpec {
  const shortPlace = subdistrictName.replace(/街道$/, '');
  return {
    key: `police${subdistrictKey[0]!.toUpperCase()}${subdistrictKey.slice(1)}`,
    code: `GM-PCS-${subdistrictKey.toUpperCase()}`,
    name: `深圳市公安局光明分局${shortPlace}派出所`,
    shortName: `${shortPlace}派出所`,
    competences: ['public_security'],
  };
}
