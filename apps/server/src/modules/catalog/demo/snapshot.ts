import { C, type DemoKind, group, item, kind, N, U, X } from './define.ts';
import { FIELDS } from './extra-fields.ts';

/**
 * 随手拍: what residents photograph on the street or at home and send from their phone — broken
 * facilities, dirt, disorder, nuisances, traffic, hazards. Popularity as in patrol.ts.
 */
export const SNAPSHOT: DemoKind = kind('snapshot', 'SP', 2, {
  groups: [
    group('SP-SZ', '市政设施', [
      item('001', '井盖缺失/破损', C.city, X, 1800, '井盖 窨井盖 下水道盖 丢失 缺失 破损 塌陷', {
        days: [1, 1, 3],
        fields: FIELDS.manholeCover,
      }),
      item('002', '井盖松动/异响', C.city, U, 950, '井盖 窨井盖 松动 异响 哐当'),
      item('003', '路灯不亮/损坏', C.city, N, 2600, '路灯 不亮 熄灭 闪烁 灯杆', {
        fields: FIELDS.streetLight,
      }),
      item('004', '道路破损/坑洼', C.transport, U, 2300, '道路 破损 坑洼 坑 开裂 路面'),
      item('005', '人行道砖松动/破损', C.transport, N, 1200, '人行道 地砖 松动 翘起 破损'),
      item('006', '积水内涝', C.water, U, 1400, '积水 内涝 水浸 淹水 暴雨', {
        days: [1, 1, 3],
        fields: FIELDS.waterlogging,
      }),
      item('007', '下水道堵塞/污水冒溢', C.water, U, 1100, '下水道 堵塞 污水 冒溢 返臭'),
      item('008', '供水管道爆裂/漏水', C.water, X, 480, '爆管 水管 漏水 自来水 喷水'),
      item('009', '停水/水压低', C.water, U, 900, '停水 没水 水压低 水小'),
      item('010', '公共座椅/健身器材损坏', C.city, N, 520, '健身器材 座椅 长椅 损坏 公园'),
      item('011', '人行天桥/桥梁设施损坏', C.transport, U, 160, '天桥 桥梁 栏杆 台阶 电梯'),
      item('012', '市政消火栓损坏/漏水', C.water, U, 210, '消火栓 消防栓 漏水 撞坏'),
    ]),
    group('SP-HW', '环境卫生', [
      item('001', '垃圾清运不及时', C.city, N, 3400, '垃圾 清运 没人收 堆积 垃圾站'),
      item('002', '垃圾桶满溢/破损', C.city, N, 1900, '垃圾桶 满溢 破损 缺少 垃圾箱'),
      item('003', '道路清扫不及时', C.city, N, 1500, '清扫 路面 脏 树叶 保洁'),
      item('004', '公厕缺失', C.city, N, 160, '公厕 厕所 洗手间 没有厕所 上厕所'),
      item('005', '公厕脏乱/设施损坏', C.city, N, 650, '公厕 厕所 脏 臭 冲水 损坏'),
      item('006', '动物尸体', C.city, U, 420, '动物尸体 死猫 死狗 死老鼠'),
      item('007', '垃圾分类投放点问题', C.city, N, 780, '垃圾分类 投放点 分类 厨余 督导'),
      item('008', '蚊虫鼠害/卫生死角', C.health, N, 690, '蚊子 老鼠 蟑螂 卫生死角 消杀'),
    ]),
    group('SP-SR', '市容秩序', [
      item('001', '乱摆卖（流动摊贩）', C.city, N, 4800, '乱摆卖 摆摊 流动摊贩 小贩 地摊'),
      item('002', '露天烧烤', C.city, N, 700, '烧烤 露天 夜宵 烟雾'),
      item('003', '共享单车乱停乱放', C.transport, N, 3100, '共享单车 单车 乱停 堆放 电单车'),
      item('004', '违规停车', C.police, N, 3900, '违停 乱停车 占用人行道 堵车 违章停车'),
      item('005', '盲道被占用', C.city, N, 380, '盲道 占用 无障碍'),
      item('006', '树木倒伏/枝叶遮挡', C.city, U, 860, '树木 倒伏 断枝 遮挡 修剪 台风'),
      item('007', '绿化缺失/黄土裸露', C.city, N, 300, '绿化 黄土 裸露 补种 草坪'),
      item('008', '店招店牌破损', C.city, N, 260, '店招 招牌 破损 掉字'),
      item('009', '大件垃圾乱堆', C.city, N, 1000, '大件垃圾 旧家具 沙发 床垫'),
    ]),
    group('SP-RM', '扰民问题', [
      item('001', '噪音扰民', C.police, U, 3600, '噪音 噪声 吵 扰民 音响 广场舞 装修', {
        fields: FIELDS.noise,
        local: true,
      }),
      item('002', '油烟扰民', C.env, N, 1300, '油烟 餐饮 排烟 厨房 油烟机'),
      item('003', '商铺高音喇叭扰民', C.city, N, 1100, '喇叭 高音 促销 叫卖 音响'),
      item('004', '装修噪声扰民', C.housing, N, 1200, '装修 电钻 敲打 周末装修'),
      item('005', '异味/恶臭', C.env, N, 720, '异味 恶臭 臭味 刺鼻'),
      item('006', '光污染', C.city, N, 140, '强光 灯光 光污染 LED 屏幕'),
      item('007', '不文明养犬/宠物扰民', C.police, N, 880, '养狗 犬吠 狗咬人 遛狗 不牵绳 宠物', {
        local: true,
      }),
      item('008', '高空抛物', C.police, U, 640, '高空抛物 扔东西 坠物 楼上扔', { local: true }),
    ]),
    group('SP-JT', '交通出行', [
      item('001', '交通信号灯故障', C.police, U, 520, '红绿灯 信号灯 故障 不亮'),
      item('002', '公交车不按站停靠/服务问题', C.transport, N, 600, '公交 不停靠 甩站 司机 班次'),
      item('003', '出租车/网约车拒载绕路', C.transport, N, 310, '出租车 网约车 拒载 绕路 乱收费'),
      item('004', '电动自行车交通违法', C.police, N, 820, '电动车 逆行 闯红灯 载人 无牌'),
      item('005', '道路施工占道未围蔽', C.transport, U, 290, '施工 占道 围蔽 警示 夜间无灯'),
      item('006', '停车场收费不规范', C.market, N, 430, '停车场 收费 乱收费 停车费'),
    ]),
    group('SP-AQ', '公共安全', [
      item('001', '电动车楼道充电', C.emergency, U, 1500, '电动车 楼道 充电 飞线 入户充电'),
      item('002', '燃气泄漏气味', C.housing, X, 180, '燃气 煤气 泄漏 气味 天然气'),
      item('003', '电梯困人/故障', C.market, X, 460, '电梯 困人 停运 故障 关人', {
        days: [1, 1, 3],
        fields: FIELDS.elevatorTrapped,
      }),
      item('004', '山体滑坡/落石', C.planning, X, 40, '山体 滑坡 落石 泥石流'),
      item('005', '水塘/深坑无防护', C.water, U, 120, '水塘 深坑 无防护 护栏 溺水'),
      item('006', '路灯杆/配电箱漏电', C.city, X, 90, '漏电 电箱 配电箱 电线裸露 触电'),
      item('007', '马蜂窝/蛇等野生动物', C.emergency, U, 350, '马蜂窝 蜂窝 蛇 野生动物'),
    ]),
  ],
});
