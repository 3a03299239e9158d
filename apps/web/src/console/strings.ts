// Every piece of text the staff console shows. Another locale is a copy of this object.
export const strings = {
  documentTitle: '家门口 · 工作台',
  productName: '家门口',
  consoleName: '群众诉求服务工作台',
  loading: '正在加载…',

  login: {
    title: '工作人员登录',
    username: '用户名',
    password: '密码',
    otp: '动态口令',
    otpHint: '未开启双因素认证可不填',
    submit: '登录',
    submitting: '正在登录…',
    sessionExpired: '登录已过期，请重新登录',
    loggedOut: '您已安全退出',
  },

  loginErrors: {
    missingFields: '请输入用户名和密码',
    invalidCredentials: '用户名或密码错误',
    accountLocked: (minutes: number) => `账号已锁定，请 ${minutes} 分钟后再试`,
    accountLockedNoTime: '账号已锁定，请稍后再试',
    tooManyRequests: '操作过于频繁，请稍后再试',
    validationFailed: '输入内容格式不正确，请检查后重试',
  },

  // Errors any call may end in; pages show these instead of server codes.
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    timeout: '服务器响应超时，请稍后重试',
    server: '服务暂时不可用，请稍后重试',
    unknown: '操作失败，请稍后重试',
  },

  home: {
    welcome: (name: string) => `${name}，您好`,
    roles: '角色',
    org: '所属单位',
    orgCounts: '组织架构概况',
    logout: '退出登录',
    loggingOut: '正在退出…',
    placeholder: '更多功能即将上线。',
  },

  roles: {
    grid_worker: '网格员',
    station_staff: '网格站工作人员',
    community_staff: '社区工作人员',
    subdistrict_dispatcher: '街道分拨员',
    district_dispatcher: '区分拨员',
    department_handler: '部门办理人',
    mediator: '调解员',
    leader: '领导',
    system_admin: '系统管理员',
    security_admin: '安全管理员',
    auditor: '审计员',
  } as Record<string, string>,

  // Order in which the home page lists the counts of `GET /orgs/tree`; levels with no count are skipped.
  orgLevels: [
    ['city', '市'],
    ['district', '区'],
    ['subdistrict', '街道'],
    ['community', '社区'],
    ['station', '网格站'],
    ['grid', '网格'],
    ['department', '部门'],
    ['center', '中心'],
  ] as ReadonlyArray<readonly [level: string, label: string]>,
} as const;
