import type { AppealStatus } from './appeals.types.ts';

/** Residents' words for each state and each step of the timeline (zh-CN, one place). */
export const STATUS_LABELS: Record<AppealStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  rejected: '不予受理',
  dispatched: '已派单',
  claimed: '处理中',
  in_progress: '处理中',
  resolved: '已办结',
  verified: '已复核',
  closed: '已结案',
  returned: '重新分派中',
  reopened: '重新办理',
  merged: '已合并',
};

/**
 * The state as a resident reads it: the platform's own checks are not theirs to follow — a result
 * verified on site is simply 已办结 to them (the timeline says it was checked).
 */
export const PUBLIC_STATUS_LABELS: Record<AppealStatus, string> = {
  ...STATUS_LABELS,
  verified: '已办结',
};

type Data = Record<string, unknown>;

/**
 * The public timeline: which journal steps a resident sees, and in which words. Internal steps
 * (notes, returns, reminders, supervision, extension requests) are left out on purpose.
 */
export const PUBLIC_STEPS: Record<string, (data: Data) => { label: string; detail?: string } | null> = {
  'appeal.submitted': () => ({ label: '已提交' }),
  'appeal.accept': () => ({ label: '已受理' }),
  'appeal.reject': (d) => ({ label: '不予受理', detail: String(d.reason ?? '') }),
  'appeal.dispatch': (d) => ({ label: '已派单', detail: d.orgName ? `承办单位：${d.orgName}` : undefined }),
  'appeal.claim': () => ({ label: '处理中', detail: '承办单位已签收' }),
  'appeal.start': () => ({ label: '处理中', detail: '正在现场处置' }),
  'appeal.resolve': (d) => ({ label: '已办结', detail: String(d.summary ?? '') }),
  'appeal.verify': (d) =>
    d.passed
      ? { label: '结果已核实', detail: '工作人员已到现场核实办理结果' }
      : { label: '重新处置', detail: '现场核实未通过，已要求承办单位重新处置' },
  'appeal.close': () => ({ label: '已结案' }),
  'appeal.reopen': () => ({ label: '重新办理' }),
  'appeal.merge': (d) => ({ label: '已合并', detail: `与同一事项合并办理，请查询 ${d.intoTrackingCode}` }),
  'appeal.merged_in': () => ({ label: '同类诉求已并入', detail: '其他居民反映的同一问题已合并办理' }),
  'appeal.whistle': () => ({ label: '吹哨协调', detail: '已召集相关部门联合处置' }),
  'appeal.approve-extension': (d) => ({ label: '办理时限延长', detail: `延长 ${d.workingDays} 个工作日` }),
  'appeal.rated': (d) => ({ label: '已评价', detail: RATING_LABELS[String(d.score)] ?? '' }),
};

export const RATING_LABELS: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export const HIDDEN_CONTACT = '（依规隐去）';
