/**
 * Kinds of matter. The first three are what the unified dispatch platform takes (Guangming's
 * "147 items in 3 kinds": 网格化巡查, 随手拍, 群众矛盾纠纷); the rest are the other services of a
 * 群众诉求服务中心.
 */
export const CATEGORY_KINDS = [
  'patrol',
  'snapshot',
  'dispute',
  'complaint',
  'suggestion',
  'help',
  'consultation',
] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const DISPATCH_KINDS: readonly CategoryKind[] = ['patrol', 'snapshot', 'dispute'];

/** Display names of the kinds (UI text). */
export const KIND_NAMES: Record<CategoryKind, string> = {
  patrol: '网格化巡查',
  snapshot: '随手拍',
  dispute: '矛盾纠纷',
  complaint: '投诉举报',
  suggestion: '意见建议',
  help: '求助',
  consultation: '咨询',
};

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface Deadlines {
  /** Working days to accept (受理). */
  acceptDays: number;
  /** Working days to finish (办结). */
  finishDays: number;
  /** Working days to finish a complex case (复杂疑难). */
  complexFinishDays: number;
}

/**
 * Used when an item is created without its own deadlines. `normal` is Weifang Kuiwen's
 * "1个工作日受理、3个工作日办结、复杂疑难5个工作日"; hazards get less.
 */
export const DEFAULT_DEADLINES: Record<Urgency, Deadlines> = {
  normal: { acceptDays: 1, finishDays: 3, complexFinishDays: 5 },
  urgent: { acceptDays: 1, finishDays: 2, complexFinishDays: 5 },
  critical: { acceptDays: 1, finishDays: 1, complexFinishDays: 3 },
};

/** Open311 GeoReport v2 attribute datatypes. */
export const FIELD_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type FieldDatatype = (typeof FIELD_DATATYPES)[number];

/** An extra question asked of the reporter of one item (Open311 "attribute"). */
export interface ExtraField {
  code: string;
  datatype: FieldDatatype;
  required: boolean;
  /** zh-CN prompt shown to the reporter. */
  description: string;
  /** 1 is shown first. */
  order: number;
  /** Only for the list datatypes. */
  values?: { key: string; name: string }[];
}

/** Group codes are `XC`, items `XC-AQ-001`: upper-case segments joined by '-'. */
export const CATEGORY_CODE_PATTERN = '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$';
export const COMPETENCE_PATTERN = '^[a-z][a-z0-9_]*$';

/** Kind group → sub-group → item: a group sits at depth 1 or 2, an item at depth 2 or 3. */
export const MAX_GROUP_DEPTH = 2;
export const MAX_ITEM_DEPTH = 3;
