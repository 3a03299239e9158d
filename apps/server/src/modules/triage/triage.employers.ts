/**
 * Employers named in a text (the Huimin wage-dispute sweep): a unified social credit code when
 * there is one, else the words before a company suffix (有限公司, 公司, 厂, 工地, 项目部), walked back
 * to the nearest punctuation or function word. A heuristic for a sweep a person then reads: a name
 * holding one of the stop characters is cut short, and 某 placeholders are kept as written.
 */
const CREDIT_CODE = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/g;
const SUFFIX = /(有限责任公司|股份有限公司|有限公司|分公司|公司|工厂|厂|工地|项目部)/g;
/** Characters that end a name when walking left from its suffix: punctuation and function words. */
const STOP = /[\s\p{P}\p{S}\d在的被给向是到于跟与我们他她欠说由从把让叫]/u;
const MAX_NAME = 20;
/** 深圳市光明区…: the place before a name, said or not, names the same employer. */
const PLACE_PREFIX = /^(?:[\u4e00-\u9fa5]{2,4}?[省市区县])+/u;

function withoutPlace(name: string, suffix: string): string {
  const bare = name.replace(PLACE_PREFIX, '');
  return [...bare].length - [...suffix].length >= 2 ? bare : name;
}

export function employerNames(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(CREDIT_CODE)) found.add(match[0]);
  const chars = [...text];
  // Work on code points, so a CJK name is walked one character at a time.
  const joined = chars.join('');
  for (const match of joined.matchAll(SUFFIX)) {
    const end = [...joined.slice(0, match.index)].length;
    let start = end;
    while (start > 0 && end - start < MAX_NAME && !STOP.test(chars[start - 1]!)) start--;
    if (end - start >= 2) found.add(withoutPlace(chars.slice(start, end).join('') + match[0], match[0]));
  }
  return [...found];
}
