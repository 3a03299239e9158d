import { C, type DemoKind, group, item, kind, N, U, X } from './define.ts';
import { FIELDS } from './extra-fields.ts';

/**
 * 网格化巡查: what grid workers (网格员) and 平安员 find on their rounds — safety hazards, rented
 * housing, city order, illegal building, pollution, markets. Popularity is a rough monthly count
 * for a district of Guangming's size (~4,100 events a day over all three kinds).
 */
export const PATROL: DemoKind = kind('patrol', 'XC', 1, {
  groups: [
    group('XC-AQ', '安全隐患', [
      item('001', '消防通道堵塞', C.emergency, U, 3200, '消防通道 堵塞 占用 生命通道', { days: [1, 1, 3] }),
      item('002', '消防设施缺失/损坏', C.emergency, U, 2100, '灭火器 消防栓 应急灯 疏散指示 过期'),
      item('003', '电动自行车集中充电场所隐患', C.emergency, U, 1500, '充电桩 电动车 集中充电 充电棚'),
      item('004', '"三小场所"消防隐患', C.emergency, U, 2600, '三小场所 小商铺 小作坊 小娱乐 消防'),
      item('005', '燃气瓶违规使用/存放', C.housing, X, 1200, '液化气 煤气罐 钢瓶 燃气瓶 瓶装气'),
      item('006', '"三合一"违规住人', C.emergency, X, 900, '三合一 厂房住人 仓库住人 违规住人'),
      item('007', '危险边坡/挡土墙隐患', C.planning, X, 150, '边坡 挡土墙 滑坡 崩塌 地质灾害'),
      item('008', '危险房屋', C.housing, X, 220, '危房 裂缝 倾斜 房屋安全'),
      item('009', '在建工地安全隐患', C.housing, U, 800, '工地 脚手架 塔吊 基坑 施工安全'),
      item('010', '有限空间作业隐患', C.emergency, X, 120, '有限空间 化粪池 污水井 窨井作业'),
      item('011', '危险化学品违规存放', C.emergency, X, 160, '危化品 化学品 易燃 易爆 油漆 酒精'),
      item('012', '户外广告牌/招牌松动', C.city, X, 420, '广告牌 招牌 松动 坠落'),
      item('013', '外墙瓷砖脱落', C.housing, U, 300, '外墙 瓷砖 脱落 空鼓 高空坠物'),
      item('014', '电梯安全隐患', C.market, U, 380, '电梯 维保 年检 异响 特种设备'),
      item('015', '路面塌陷/地面沉降', C.transport, X, 140, '塌陷 沉降 空洞 路面下陷'),
      item('016', '私拉乱接电线', C.emergency, U, 1700, '私拉电线 乱接电线 飞线 临时用电'),
      item('017', '防溺水警示设施缺失', C.water, U, 260, '防溺水 警示牌 水塘 水库 河边 救生圈'),
      item('018', '施工围挡破损/倾倒', C.housing, U, 350, '围挡 倾倒 破损 工地围墙'),
    ]),
    group('XC-CZ', '出租屋与人口服务', [
      item('001', '出租屋信息未登记', C.police, N, 4200, '出租屋 租客 登记 流动人口 居住登记', {
        local: true,
      }),
      item('002', '群租房/违规分租', C.housing, N, 650, '群租 分租 隔断 床位出租'),
      item('003', '出租屋消防安全隐患', C.emergency, U, 1900, '出租屋 消防 逃生 防盗网 灭火器'),
      item('004', '流浪乞讨人员', C.civil, U, 240, '流浪 乞讨 救助 露宿'),
      item('005', '重点人员异常动态', C.police, U, 180, '重点人员 异常 精神障碍 肇事肇祸', { local: true }),
      item('006', '疑似传销/非法聚集', C.police, U, 90, '传销 聚集 洗脑 拉人头', { local: true }),
      item('007', '疑似涉毒场所', C.police, X, 40, '吸毒 涉毒 毒品 制毒', { local: true }),
      item('008', '独居老人/困境儿童需帮扶', C.civil, U, 310, '独居老人 空巢 困境儿童 留守 探访'),
    ]),
    group('XC-SR', '市容秩序', [
      item('001', '乱张贴/小广告', C.city, N, 6100, '小广告 牛皮癣 乱张贴 办证 贴纸'),
      item('002', '乱涂写/乱刻画', C.city, N, 1400, '涂鸦 乱涂 乱画 喷字'),
      item('003', '占道经营', C.city, N, 9100, '占道 店外经营 出店 超门窗 摆桌'),
      item('004', '户外广告违规设置', C.city, N, 1100, '户外广告 横幅 灯箱 落地牌 广告'),
      item('005', '暴露垃圾/积存垃圾', C.city, N, 5200, '暴露垃圾 积存垃圾 垃圾堆 脏乱'),
      item('006', '建筑垃圾/余泥渣土乱倒', C.city, U, 900, '建筑垃圾 余泥 渣土 偷倒 装修垃圾'),
      item('007', '绿地被占用/破坏', C.city, N, 700, '绿地 绿化带 毁绿 种菜 踩踏'),
      item('008', '沿街乱晾晒', C.city, N, 1300, '晾晒 衣物 晒被子 沿街'),
      item('009', '僵尸车/废弃车辆', C.transport, N, 850, '僵尸车 废弃车 长期停放 无牌车'),
      item('010', '沿街乱堆放', C.city, N, 2400, '乱堆 杂物 堆放 占用通道'),
    ]),
    group('XC-WJ', '违法建设与规划', [
      item('001', '违法建设（新建）', C.planning, U, 1300, '违建 违法建设 新建 抢建 加层', {
        days: [1, 2, 15],
        fields: FIELDS.illegalConstruction,
      }),
      item('002', '楼顶/阳台违规加建', C.planning, N, 800, '楼顶 加建 阳台 封阳台 搭建'),
      item('003', '私搭乱建棚架', C.city, N, 1600, '棚架 雨棚 铁皮房 搭建 构筑物'),
      item('004', '非法占用土地', C.planning, U, 260, '占地 非法用地 圈地 国有土地'),
      item('005', '违规开挖道路', C.transport, U, 300, '开挖 挖路 道路挖掘 掘路'),
      item('006', '擅自改变房屋承重结构', C.housing, X, 110, '承重墙 拆墙 改结构 装修'),
    ]),
    group('XC-HB', '生态环境', [
      item('001', '工业废水偷排/直排', C.env, U, 260, '废水 偷排 直排 排污 工业污水'),
      item('002', '河道污染/漂浮物', C.water, N, 420, '河道 漂浮物 污染 发黑 河面垃圾'),
      item('003', '露天焚烧', C.env, U, 330, '焚烧 烧垃圾 烧秸秆 黑烟'),
      item('004', '扬尘污染', C.env, N, 900, '扬尘 灰尘 裸土 未覆盖 洒水'),
      item('005', '企业废气排放', C.env, U, 270, '废气 异味 排放 烟囱 喷漆'),
      item('006', '夜间施工噪声', C.env, U, 760, '夜间施工 施工噪声 打桩 深夜施工'),
      item('007', '污水外溢/雨污混接', C.water, U, 580, '污水 外溢 冒水 雨污混接 化粪池'),
      item('008', '黑臭水体', C.water, N, 120, '黑臭 水体 臭水沟 水塘发臭'),
      item('009', '危险废物乱放', C.env, U, 90, '危废 危险废物 废机油 废电池'),
    ]),
    group('XC-SC', '市场与公共服务', [
      item('001', '无证无照经营', C.market, N, 1200, '无证 无照 营业执照 无证经营'),
      item('002', '食品安全隐患', C.market, U, 1100, '食品安全 小作坊 后厨 过期食品 卫生'),
      item('003', '假冒伪劣商品', C.market, N, 300, '假冒 伪劣 三无产品 假货'),
      item('004', '非法行医/无证诊所', C.health, U, 140, '非法行医 黑诊所 无证诊所 游医'),
      item('005', '校外培训机构违规办学', C.edu, N, 210, '校外培训 补习班 培训机构 学科类'),
      item('006', '违规销售烟花爆竹', C.emergency, U, 160, '烟花 爆竹 鞭炮 违规销售'),
      item('007', '废品收购站违规经营', C.police, N, 240, '废品 回收 收购站 废旧金属', { local: true }),
    ]),
    group('XC-JT', '交通设施', [
      item('001', '交通标志标线缺失/损坏', C.transport, N, 480, '标志 标线 指示牌 斑马线 褪色'),
      item('002', '公交站台设施损坏', C.transport, N, 260, '公交站 候车亭 站牌 座椅'),
      item('003', '道路护栏/隔离栏损坏', C.transport, U, 390, '护栏 隔离栏 栏杆 撞坏'),
      item('004', '私设地桩地锁', C.transport, N, 520, '地锁 地桩 占车位 私设'),
    ]),
  ],
});
