/**
 * Every text we send to residents, in zh-CN, in one file: what a resident reads on their phone is
 * reviewed here, and an SMS provider's template registration (短信模板报备) is copied from here.
 *
 * `{name}` is a parameter the caller supplies. `secret` parameters are shown masked to operators
 * in the outbox list: a tracking code lets its holder read the public timeline, and the rating
 * token (评价码) lets them rate the appeal, so both are the resident's alone.
 */
export const RESIDENT_TEMPLATES = {
  'appeal.submitted': {
    text: '【家门口】您的诉求已收到，查询码 {code}，评价码 {token}。可凭查询码查看办理进展，办结后凭评价码评价，请勿告知他人。',
    secret: ['code', 'token'],
  },
  'appeal.submitted.legacy': {
    text: '【家门口】您的诉求已收到，查询码 {code}，可凭查询码查看办理进展。',
    secret: ['code'],
  },
  'appeal.accepted': {
    text: '【家门口】您反映的问题（查询码 {code}）已受理，我们将于 {due} 前办结。',
    secret: ['code'],
  },
  'appeal.dispatched': {
    text: '【家门口】您反映的问题（查询码 {code}）已转交{org}办理，请留意后续进展。',
    secret: ['code'],
  },
  'appeal.resolved': {
    text: '【家门口】您反映的问题（查询码 {code}）已办结，请查询办理结果，并凭评价码 {token} 评价。',
    secret: ['code', 'token'],
  },
  'appeal.resolved.legacy': {
    text: '【家门口】您反映的问题（查询码 {code}）已办结，请查询办理结果。',
    secret: ['code'],
  },
  'appeal.rejected': {
    text: '【家门口】您反映的问题（查询码 {code}）不予受理，原因：{reason}。如有疑问请联系所在社区。',
    secret: ['code'],
  },
  'appeal.merged': {
    text: '【家门口】您反映的问题（查询码 {code}）已与同一事项合并办理，请凭查询码 {into} 查看进展。',
    secret: ['code', 'into'],
  },
  // A reporter whose appeal was merged follows the surviving case (issue #22).
  'appeal.merged_progress': {
    text: '【家门口】与您反映的问题（查询码 {code}）合并办理的事项{progress}，可凭查询码 {into} 查看。',
    secret: ['code', 'into'],
  },
  // Every party with a phone learns the case number and its own key to the case.
  'dispute.registered': {
    text: '【家门口】您参与的纠纷调解案件（案号 {caseNumber}）已登记，查询码 {code}，可在“家门口”查看调解进展，请勿告知他人。',
    secret: ['code'],
  },
  // A party to a dispute confirms the mediation agreement (调解协议书) with this code.
  'dispute.confirm_code': {
    text: '【家门口】您参与的纠纷调解（案号 {caseNumber}）已达成调解协议，确认码 {code}，{days}日内有效。向调解员或在“家门口”提交确认码即表示您同意协议内容，请勿告知他人。',
    secret: ['code'],
  },
} as const satisfies Record<string, { text: string; secret: readonly string[] }>;

export type ResidentTemplate = keyof typeof RESIDENT_TEMPLATES;

// A parameter longer than this is cut with '…': messages stay within a few SMS segments.
const MAX_PARAM_CHARS = 100;
const PLACEHOLDER = /\{([a-z][a-zA-Z]*)\}/g;

export function isResidentTemplate(name: string): name is ResidentTemplate {
  return Object.hasOwn(RESIDENT_TEMPLATES, name);
}

/** The parameter names a template needs, in order of appearance. */
export function templateParams(name: ResidentTemplate): string[] {
  return [...new Set([...RESIDENT_TEMPLATES[name].text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

// Chinese characters and full-width punctuation: Chinese text puts no spaces next to them.
const CJK = '[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]';
const BREAK = '[ \\t]*[\\r\\n]+[ \\t]*';
const BREAK_BY_CJK = new RegExp(`${BREAK}(?=${CJK})|(?<=${CJK})${BREAK}`, 'g');

/**
 * One line of plain text: an SMS shows no layout. A line break typed next to Chinese text simply
 * goes (Chinese puts no space there), any other becomes a space; a trailing full stop would
 * double the template's own (原因：……。。).
 */
function clean(value: string): string {
  const line = value
    .replace(BREAK_BY_CJK, '')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。.]+$/, '');
  const chars = [...line];
  return chars.length > MAX_PARAM_CHARS ? `${chars.slice(0, MAX_PARAM_CHARS - 1).join('')}…` : line;
}

/**
 * A message's cleaned parameters and rendered text; throws on an unknown template or a missing or
 * unknown parameter — a programming mistake in the caller, which the first test of it reveals.
 */
export function prepareMessage(
  name: string,
  params: Record<string, string>,
): { template: ResidentTemplate; params: Record<string, string>; body: string } {
  if (!isResidentTemplate(name)) throw new Error(`unknown resident message template "${name}"`);
  const needed = templateParams(name);
  const unknown = Object.keys(params).filter((key) => !needed.includes(key));
  if (unknown.length) throw new Error(`template ${name} has no parameter ${unknown.join(', ')}`);
  const cleaned: Record<string, string> = {};
  for (const key of needed) {
    const value = params[key];
    if (typeof value !== 'string') throw new Error(`template ${name} needs the parameter ${key}`);
    // An empty value is sent as is: a clumsy text is better than failing the caller's transition.
    cleaned[key] = clean(value);
  }
  return { template: name, params: cleaned, body: renderTemplate(name, cleaned) };
}

export function renderTemplate(name: ResidentTemplate, params: Record<string, string>): string {
  return RESIDENT_TEMPLATES[name].text.replace(PLACEHOLDER, (_, key: string) => params[key] ?? '');
}

/**
 * ABCD-****-**: the first four characters stay, so an operator can still tell messages apart. A
 * rating token (`keep` 0) is hidden whole: half of an 8-symbol secret would leave it guessable.
 */
export function maskSecret(value: string, keep = 4): string {
  return value.slice(0, keep) + value.slice(keep).replace(/[0-9A-Za-z]/g, '*');
}

/** Parameters an operator never sees any part of. */
const HIDDEN_WHOLE = new Set(['token']);

/** One secret parameter as an operator sees it. */
const maskParam = (key: string, value: string) => maskSecret(value, HIDDEN_WHOLE.has(key) ? 0 : 4);

/** The body as an operator may see it: secret parameters masked. */
export function renderForOperator(name: string, params: Record<string, string>, body: string): string {
  // A template retired since the message was written: mask every parameter rather than guess.
  if (!isResidentTemplate(name)) {
    return Object.entries(params).reduce(
      (text, [key, value]) => text.replaceAll(value, maskParam(key, value)),
      body,
    );
  }
  const secret: readonly string[] = RESIDENT_TEMPLATES[name].secret;
  const shown = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key, secret.includes(key) ? maskParam(key, value) : value]),
  );
  return renderTemplate(name, shown);
}
