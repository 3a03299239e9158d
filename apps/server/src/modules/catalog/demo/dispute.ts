import { C, type DemoKind, group, item, kind, N, U, X } from './define.ts';
import { FIELDS } from './extra-fields.ts';

/**
 * 群众矛盾纠纷: disputes between parties, mediated at the community hall or the subdistrict centre
 * (人民调解 under the justice bureau's 司法所 by default), and the early signs of unrest that the
 * seeds' 平安员 report as clues (线索).
 */
export const DISPUTE: DemoKind = kind('dispute', 'JF', 3, {
  groups: [
    group('JF-LL', '婚姻家庭与邻里', [
      item('001', '邻里纠纷', C.legal, N, 1600, '邻居 邻里 吵架 矛盾 漏水 占道 堆物'),
      item('002', '婚姻家庭纠纷', C.legal, N, 900, '婚姻 离婚 夫妻 家庭 彩礼'),
      item('003', '赡养抚养纠纷', C.legal, N, 320, '赡养 抚养 老人 子女 抚养费'),
      item('004', '继承纠纷', C.legal, N, 150, '继承 遗产 遗嘱 房产分割'),
      item('005', '相邻关系纠纷', C.legal, N, 420, '相邻 采光 通行 排水 滴水'),
      item('006', '家庭暴力苗头', C.police, X, 90, '家暴 家庭暴力 打人 殴打 威胁', { local: true }),
      item('007', '人身/财产损害赔偿纠纷', C.legal, N, 380, '赔偿 损害 受伤 财产损失 狗咬'),
    ]),
    group('JF-LZ', '劳动与经济', [
      item('001', '欠薪', C.labour, U, 1400, '欠薪 拖欠工资 讨薪 工资 不发工资 农民工', {
        days: [1, 3, 10],
        fields: FIELDS.unpaidWages,
      }),
      item('002', '劳资纠纷', C.labour, U, 1100, '劳资 劳动合同 辞退 解除合同 加班费 经济补偿', {
        fields: FIELDS.labourDispute,
      }),
      item('003', '工伤纠纷', C.labour, N, 260, '工伤 受伤 工伤认定 赔偿'),
      item('004', '工程款纠纷', C.housing, U, 340, '工程款 包工头 拖欠 结算 分包'),
      item('005', '社保缴纳纠纷', C.labour, N, 280, '社保 五险 公积金 未缴 断缴'),
      item('006', '民间借贷纠纷', C.legal, N, 300, '借钱 借款 欠条 借贷 不还'),
      item('007', '合同纠纷', C.legal, N, 240, '合同 违约 定金 买卖合同'),
    ]),
    group('JF-WY', '物业与房屋', [
      item('001', '物业纠纷', C.housing, N, 1300, '物业 物业费 物业服务 管理处'),
      item('002', '房屋租赁纠纷', C.housing, N, 1200, '租房 房东 押金 租金 退租 涨租'),
      item('003', '业主委员会纠纷', C.housing, N, 110, '业委会 业主大会 选举 维修基金'),
      item('004', '房屋买卖纠纷', C.housing, N, 160, '买房 卖房 过户 中介 定金'),
      item('005', '房屋漏水纠纷', C.housing, N, 520, '漏水 渗水 楼上漏水 防水'),
      item('006', '小区车位纠纷', C.housing, N, 330, '车位 停车位 占车位 车位费'),
      item('007', '城中村/小产权房纠纷', C.planning, N, 140, '小产权 城中村 统建楼 农民房'),
    ]),
    group('JF-XF', '消费与公共服务', [
      item('001', '消费纠纷', C.market, N, 1500, '消费 退货 退款 质量 售后 商家'),
      item('002', '预付卡退费纠纷', C.market, N, 420, '预付卡 会员卡 充值 跑路 健身卡 美容'),
      item('003', '医患纠纷', C.health, U, 160, '医患 医疗事故 医院 医生 治疗', {
        fields: FIELDS.medicalDispute,
      }),
      item('004', '教育培训退费纠纷', C.edu, N, 260, '培训 退费 学费 课时'),
      item('005', '快递外卖纠纷', C.market, N, 230, '快递 外卖 丢件 损坏 骑手'),
      item('006', '校园纠纷', C.edu, N, 170, '学校 学生 校园 欺凌 受伤'),
    ]),
    group('JF-QT', '土地、交通与其他', [
      item('001', '交通事故纠纷', C.police, N, 450, '交通事故 车祸 剐蹭 赔偿 定责', {
        fields: FIELDS.trafficAccident,
      }),
      item('002', '土地山林纠纷', C.planning, N, 90, '土地 山林 边界 果园 地界'),
      item('003', '征地拆迁补偿纠纷', C.planning, U, 120, '征地 拆迁 补偿 安置 城市更新'),
      item('004', '集体经济分配纠纷', C.civil, N, 80, '股份合作公司 分红 集体经济 股民'),
      item('005', '环境污染纠纷', C.env, N, 110, '污染 赔偿 噪声 废气 影响生活'),
      item('006', '用水排水纠纷', C.water, N, 70, '排水 用水 水渠 排污 灌溉'),
    ]),
    group('JF-WW', '涉稳风险线索', [
      item('001', '非法集资线索', C.police, U, 60, '非法集资 高息 理财 投资 返利 跑路', {
        fields: FIELDS.illegalFundraising,
      }),
      item('002', '群体性聚集苗头', C.police, X, 45, '聚集 上访 维权 群体 拉横幅', {
        fields: FIELDS.crowdGathering,
        local: true,
      }),
      item('003', '轻生/个人极端行为苗头', C.police, X, 35, '轻生 跳楼 自杀 极端 扬言', { local: true }),
      item('004', '涉众型经济纠纷', C.police, U, 50, '涉众 爆雷 P2P 楼盘烂尾 退款'),
      item('005', '电信网络诈骗线索', C.police, U, 260, '诈骗 电诈 刷单 冒充 转账', { local: true }),
    ]),
  ],
});
