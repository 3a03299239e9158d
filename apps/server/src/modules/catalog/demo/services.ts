import { C, type DemoKind, item, kind, N, U } from './define.ts';

/**
 * The other services of a 群众诉求服务中心 (seed 000: 投诉建议、纠纷调处、法律服务、心理服务、帮扶救助):
 * small kinds, so their items sit directly under the kind.
 */
export const SERVICE_KINDS: DemoKind[] = [
  kind('complaint', 'TS', 4, {
    items: [
      item('001', '物业服务投诉', C.housing, N, 900, '物业 服务差 不作为 收费'),
      item('002', '商家欺诈/价格投诉', C.market, N, 700, '欺诈 价格 乱收费 缺斤少两 虚假宣传'),
      item('003', '医疗服务投诉', C.health, N, 260, '医院 服务态度 排队 收费 医生'),
      item('004', '学校收费/管理投诉', C.edu, N, 240, '学校 收费 补课 学位 管理'),
      item('005', '公交运营服务投诉', C.transport, N, 300, '公交 司机 态度 班次 线路'),
    ],
  }),
  kind('suggestion', 'JY', 5, {
    items: [
      item('001', '城市规划建设建议', C.planning, N, 180, '规划 建设 公园 学校 道路 建议'),
      item('002', '增设公共服务设施建议', C.city, N, 260, '增设 公厕 充电桩 健身 垃圾桶 座椅'),
      item('003', '交通组织优化建议', C.transport, N, 220, '红绿灯 公交线路 停车 掉头 交通优化'),
    ],
  }),
  kind('help', 'QZ', 6, {
    items: [
      item('001', '困难群众救助', C.civil, U, 240, '困难 救助 低保 临时救助 生活困难'),
      item('002', '法律援助', C.legal, N, 300, '法律援助 律师 打官司 免费律师'),
      item('003', '心理疏导', C.health, U, 120, '心理 抑郁 焦虑 情绪 心理咨询'),
      item('004', '就业援助', C.labour, N, 150, '就业 找工作 失业 技能培训'),
    ],
  }),
  kind('consultation', 'ZX', 7, {
    items: [
      item('001', '社保政策咨询', C.labour, N, 500, '社保 医保 养老 政策 咨询'),
      item('002', '入学政策咨询', C.edu, N, 450, '入学 学位 积分 招生 咨询'),
      item('003', '住房保障政策咨询', C.housing, N, 300, '保障房 公租房 人才房 安居 咨询'),
      item('004', '法律咨询', C.legal, N, 600, '法律 咨询 律师 权益'),
    ],
  }),
];
