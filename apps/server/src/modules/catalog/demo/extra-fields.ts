import type { ExtraField } from '../catalog.types.ts';

/**
 * Extra questions a few demo items ask (Open311 attributes): only what changes how the case is
 * handled — how dangerous, how many people, how much money.
 */

const list = (
  code: string,
  description: string,
  order: number,
  values: [string, string][],
  options: { required?: boolean; multi?: boolean } = {},
): ExtraField => ({
  code,
  datatype: options.multi ? 'multivaluelist' : 'singlevaluelist',
  required: options.required ?? false,
  description,
  order,
  values: values.map(([key, name]) => ({ key, name })),
});

const field = (
  code: string,
  datatype: 'string' | 'number' | 'datetime' | 'text',
  description: string,
  order: number,
  required = false,
): ExtraField => ({ code, datatype, required, description, order });

export const FIELDS = {
  manholeCover: [
    list(
      'cover_type',
      '井盖类型（看盖上的字）',
      1,
      [
        ['sewage', '污水'],
        ['rain', '雨水'],
        ['water_supply', '给水'],
        ['power', '电力'],
        ['telecom', '通信'],
        ['gas', '燃气'],
        ['unknown', '看不清'],
      ],
      { required: true },
    ),
    list('warning_set', '现场是否已有警示或围挡', 2, [
      ['yes', '已有'],
      ['no', '没有'],
    ]),
  ],
  streetLight: [field('lamp_no', 'string', '路灯杆编号（杆身铭牌，可不填）', 1)],
  waterlogging: [
    list(
      'depth',
      '积水深度',
      1,
      [
        ['ankle', '没过脚踝'],
        ['knee', '没过膝盖'],
        ['deeper', '更深，车辆无法通行'],
      ],
      { required: true },
    ),
  ],
  noise: [
    list(
      'source',
      '噪声来源',
      1,
      [
        ['household', '住户'],
        ['shop', '商铺'],
        ['square_dance', '广场舞'],
        ['entertainment', '娱乐场所'],
        ['other', '其他'],
      ],
      { required: true },
    ),
    list(
      'period',
      '发生时段',
      2,
      [
        ['day', '白天'],
        ['evening', '晚上22点前'],
        ['night', '22点后至次日6点'],
      ],
      { multi: true },
    ),
  ],
  unpaidWages: [
    field('worker_count', 'number', '涉及人数', 1, true),
    field('amount', 'number', '欠薪金额（元）', 2, true),
    field('employer', 'string', '用人单位或包工头名称', 3, true),
    field('months', 'number', '拖欠月数', 4),
  ],
  labourDispute: [
    field('worker_count', 'number', '涉及人数', 1, true),
    field('employer', 'string', '用人单位名称', 2),
  ],
  illegalConstruction: [
    list(
      'status',
      '建设状态',
      1,
      [
        ['building', '正在施工'],
        ['finished', '已经建成'],
      ],
      { required: true },
    ),
  ],
  elevatorTrapped: [
    list(
      'people_trapped',
      '是否有人被困',
      1,
      [
        ['yes', '有人被困'],
        ['no', '无人被困'],
      ],
      { required: true },
    ),
  ],
  medicalDispute: [field('hospital', 'string', '医疗机构名称', 1, true)],
  trafficAccident: [field('happened_at', 'datetime', '事故发生时间', 1, true)],
  illegalFundraising: [
    field('amount', 'number', '涉及金额（元，估计）', 1),
    field('victims', 'number', '涉及人数（估计）', 2),
    field('details', 'text', '集资方式、承诺回报、联系人等线索', 3, true),
  ],
  crowdGathering: [field('people', 'number', '聚集人数（估计）', 1, true)],
} satisfies Record<string, ExtraField[]>;
