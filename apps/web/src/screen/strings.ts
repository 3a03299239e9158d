// Every piece of text the command big screen shows. Another locale is a copy of this object.
export const strings = {
  documentTitle: '指挥大屏 · 家门口',
  title: '光明区群众诉求服务指挥大屏',
  kpis: {
    accepted: '今日受理',
    dispatched: '已派单',
    resolved: '已办结',
    overdue: '超期',
  },
  noData: '—',
  unit: '件',
  panels: {
    events: '实时诉求',
    map: '事件分布',
    trend: '办理趋势',
  },
  placeholder: '数据接入中',
  clockLabel: '当前时间',
} as const;

/** Formatting of numbers and the clock. */
export const locale = 'zh-CN';
