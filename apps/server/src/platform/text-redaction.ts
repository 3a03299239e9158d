/**
 * Blanks what identifies a person in free text before it is published (the Open311 feed): phone
 * numbers, ID-card numbers, e-mail addresses, WeChat and QQ ids. People write numbers every way —
 * full-width (`１３８１２３４５６７８`), with dots or spaces (`139.8765.4321`, `4403 0619 9001 0112 34`) —
 * so matching runs on an NFKC-normalised shadow of the text with separators allowed between digits,
 * and the matches are blanked in the original, which keeps its own punctuation (NFKC would turn
 * Chinese full-width commas into ASCII ones).
 *
 * Written here rather than taken from a package: the PII scrubbers on npm target English text and
 * Western formats (US SSNs, E.164 phones), not mainland mobiles, 18-digit 身份证 numbers, 微信号.
 */

export const REDACTED = '〔已隐去〕';

/** Between two digits of one number: spaces (any width), dots, dashes, middle dots, slashes, brackets. */
const SEP = '[\\s.\\-‐‑–—·/()]{0,2}';
/** A run of digits with separators inside, possibly ending in the X of an ID-card number. */
const DIGIT_RUN = new RegExp(`\\d(?:${SEP}\\d)*(?:${SEP}[Xx])?`, 'g');
/** Seven digits or more is a phone, an ID or an account number; a date or an amount is shorter or shaped. */
const MIN_DIGITS = 7;
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/;
const EMAIL = /[^\s@<>()[\],;:"'，。；：]+@[^\s@<>()[\],;:"'，。；：]+\.[A-Za-z]{2,}/g;
/** 微信/VX/wx + an id (6–20 letters, digits, _ or -, starting with a letter), QQ + its number. */
const WECHAT =
  /(?:微信号?|威信|薇信|[vV]信|[vV][xX]|[wW][xX]|weixin|wechat|WeChat)\s*(?:号|ID|id)?\s*[:：是为]?\s*[A-Za-z][-_A-Za-z0-9]{5,19}/g;
const QQ = /(?:[qQ]{2}|扣扣)\s*(?:号)?\s*[:：是为]?\s*\d{5,12}/g;

interface Shadow {
  text: string;
  /** For each character of the shadow, the index of the original character it came from. */
  origin: number[];
}

/** NFKC per character, remembering where each normalised character came from. */
function shadowOf(text: string): Shadow {
  let shadow = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const folded = char.normalize('NFKC');
    for (let i = 0; i < folded.length; i++) origin.push(index);
    shadow += folded;
    index += char.length;
  }
  return { text: shadow, origin };
}

function digitCount(run: string): number {
  return run.replace(/\D/g, '').length;
}

/** The original [start, end) ranges to blank. */
function sensitiveRanges(text: string): [number, number][] {
  const shadow = shadowOf(text);
  const ranges: [number, number][] = [];
  const add = (start: number, length: number) => {
    const from = shadow.origin[start]!;
    const lastOrigin = shadow.origin[start + length - 1]!;
    // The end is after the whole original character the last shadow character came from.
    const end = lastOrigin + (text.codePointAt(lastOrigin)! > 0xffff ? 2 : 1);
    ranges.push([from, end]);
  };
  for (const pattern of [EMAIL, WECHAT, QQ]) {
    for (const match of shadow.text.matchAll(pattern)) add(match.index, match[0].length);
  }
  for (const match of shadow.text.matchAll(DIGIT_RUN)) {
    const run = match[0].replace(/[\s.\-‐‑–—·/()]+$/, '');
    if (digitCount(run) >= MIN_DIGITS && !DATE.test(run)) add(match.index, run.length);
  }
  return ranges;
}

/** The text with every sensitive range replaced by one marker (overlapping ranges merge). */
export function redactPersonalData(text: string): string {
  const ranges = sensitiveRanges(text).sort((a, b) => a[0] - b[0]);
  if (!ranges.length) return text;
  let out = '';
  let at = 0;
  let open: [number, number] | null = null;
  for (const range of ranges) {
    if (open && range[0] <= open[1]) {
      open[1] = Math.max(open[1], range[1]);
      continue;
    }
    if (open) {
      out += text.slice(at, open[0]) + REDACTED;
      at = open[1];
    }
    open = [...range];
  }
  if (open) out += text.slice(at, open[0]) + REDACTED;
  return out + text.slice(open ? open[1] : at);
}
