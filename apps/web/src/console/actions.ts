// How the console asks for each action's body (apps/server/src/modules/appeals/appeals.actions.schema.ts).
// Which actions to offer is never decided here: the detail's `availableActions` lists them, from the
// server's transition table. This table only says which form collects the body and how it looks.

export type FormKind =
  | 'confirm' // no body
  | 'reason' // { reason }
  | 'optionalReason' // { reason? }
  | 'requiredNote' // { note }
  | 'optionalNote' // { note? }
  | 'note' // { text, attachments? }
  | 'resolve' // { summary, attachments? }
  | 'verify' // { passed, note, attachments? }
  | 'extension' // { workingDays, reason }
  | 'approveExtension' // no body, shows the request
  | 'merge' // { intoId }
  | 'category' // { categoryCode, reason? }
  | 'assign' // { userId }, a person of the unit holding the work
  | 'dispatch' // its own dialog
  | 'whistle'; // its own dialog

export const ACTION_FORMS: Record<string, FormKind> = {
  accept: 'confirm',
  reject: 'reason',
  dispatch: 'dispatch',
  assign: 'assign',
  claim: 'confirm',
  return: 'reason',
  start: 'confirm',
  note: 'note',
  resolve: 'resolve',
  verify: 'verify',
  close: 'confirm',
  reopen: 'reason',
  merge: 'merge',
  recategorize: 'category',
  'mark-complex': 'reason',
  'request-extension': 'extension',
  'approve-extension': 'approveExtension',
  'deny-extension': 'optionalReason',
  whistle: 'whistle',
  'report-in': 'optionalNote',
  supervise: 'requiredNote',
  remind: 'optionalNote',
};

type ButtonType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

/** The step that moves the case forward stands out; refusals and escalations are marked as such. */
const BUTTON_TYPES: Record<string, ButtonType> = {
  accept: 'primary',
  dispatch: 'primary',
  claim: 'primary',
  start: 'primary',
  resolve: 'success',
  verify: 'success',
  close: 'success',
  'approve-extension': 'primary',
  'report-in': 'primary',
  reject: 'danger',
  return: 'danger',
  whistle: 'danger',
  supervise: 'warning',
  remind: 'warning',
};

/**
 * The order of the buttons: the step that moves the case on first, then the rest of the work,
 * then pressing and escalation. Refusals (退单, 不予受理) stand apart at the end, never first in red.
 * Which buttons appear is still the server's `availableActions`; only their order is decided here.
 */
const WORKFLOW_ORDER = [
  'accept',
  'dispatch',
  'assign',
  'claim',
  'start',
  'resolve',
  'verify',
  'close',
  'approve-extension',
  'report-in',
  'note',
  'request-extension',
  'deny-extension',
  'recategorize',
  'mark-complex',
  'merge',
  'supervise',
  'remind',
  'whistle',
  'reopen',
];
const DESTRUCTIVE = ['reject', 'return'];

export function arrangeActions(actions: readonly string[]): { main: string[]; apart: string[] } {
  const rank = (action: string) => {
    const index = WORKFLOW_ORDER.indexOf(action);
    return index < 0 ? WORKFLOW_ORDER.length : index;
  };
  return {
    main: actions.filter((a) => !DESTRUCTIVE.includes(a)).sort((a, b) => rank(a) - rank(b)),
    apart: DESTRUCTIVE.filter((a) => actions.includes(a)),
  };
}

export const buttonType = (action: string): ButtonType => BUTTON_TYPES[action] ?? 'default';
export const formOf = (action: string): FormKind => ACTION_FORMS[action] ?? 'confirm';

/** What the generic action dialog collects; each kind sends only its own fields. */
export interface ActionForm {
  text: string;
  passed: boolean;
  workingDays: number;
  attachments: string[];
}

export function bodyOf(kind: FormKind, form: ActionForm): Record<string, unknown> | undefined {
  const text = form.text.trim();
  const photos = form.attachments.length > 0 ? { attachments: form.attachments } : {};
  switch (kind) {
    case 'reason':
      return { reason: text };
    case 'optionalReason':
      return text ? { reason: text } : {};
    case 'requiredNote':
      return { note: text };
    case 'optionalNote':
      return text ? { note: text } : {};
    case 'note':
      return { text, ...photos };
    case 'resolve':
      return { summary: text, ...photos };
    case 'verify':
      return { passed: form.passed, note: text, ...photos };
    case 'extension':
      return { workingDays: form.workingDays, reason: text };
    default:
      return undefined;
  }
}

/** Kinds whose text may not be empty (the server would answer 400). */
export const textRequired = (kind: FormKind) =>
  ['reason', 'requiredNote', 'note', 'resolve', 'extension'].includes(kind);
export const takesPhotos = (kind: FormKind) => ['note', 'resolve', 'verify'].includes(kind);
