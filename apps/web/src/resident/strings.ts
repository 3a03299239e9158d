// Every piece of text the resident H5 shows. Another locale is a copy of this object.
export const strings = {
  documentTitle: '家门口 · 群众诉求服务',
  productName: '家门口',
  productTagline: '群众诉求服务',
  intro: '有事找家门口：24 小时在线受理，件件有回音。',
  entriesLabel: '服务入口',
  entries: {
    report: { title: '我要反映', description: '投诉、建议、求助、矛盾纠纷' },
    track: { title: '查询进度', description: '凭查询码查看办理情况' },
    nearby: { title: '附近网格站', description: '找到离您最近的服务站点' },
  },
  comingSoon: '即将上线',
  comingSoonNotice: (entry: string) => `「${entry}」即将上线，敬请期待。`,
  qrLanding: (stationCode: string) => `您正在通过 ${stationCode} 网格站的信访解忧码反映问题`,
  qrInvalid: '无法识别该二维码，请直接选择下方服务。',
  footer: {
    hotline: '政务服务便民热线 12345',
    emergency: '紧急情况请拨打 110',
    project: '家门口 Doorstep · 开源群众诉求服务平台',
  },
} as const;
