import type { CategoryKind, FieldDatatype, Urgency } from '@doorstep/contracts/vocabulary';

export {
  CATEGORY_CODE_PATTERN,
  CATEGORY_KINDS,
  type CategoryKind,
  COMPETENCE_PATTERN,
  FIELD_DATATYPES,
  type FieldDatatype,
  URGENCIES,
  type Urgency,
} from '@doorstep/contracts/vocabulary';

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

/** Kind group → sub-group → item: a group sits at depth 1 or 2, an item at depth 2 or 3. */
export const MAX_GROUP_DEPTH = 2;
export const MAX_ITEM_DEPTH = 3;
