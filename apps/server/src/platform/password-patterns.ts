import { adjacencyGraphs } from '@zxcvbn-ts/language-common';

/**
 * Two shapes of weak password the breached list cannot enumerate, both common in Chinese leaks and
 * both passing a "three character classes" rule: keyboard walks typed with Shift on every other run
 * (`1qaz@WSX3edc`), and a name or place in pinyin with a year or a lucky number (`Zhangsan@1990`,
 * `Guangming2026!`). zxcvbn's keyboard graph (already a dependency) supplies the key layout.
 */

const QWERTY = adjacencyGraphs.qwerty as Record<string, (string | null)[]>;
/** Each shifted key to its unshifted one ('@' → '2', 'W' → 'w'), from the graph's "2@"-style pairs. */
const UNSHIFT = new Map<string, string>();
for (const neighbours of Object.values(QWERTY)) {
  for (const pair of neighbours) {
    if (pair && pair.length === 2) UNSHIFT.set(pair[1]!, pair[0]!);
  }
}

function adjacent(a: string, b: string): boolean {
  return (QWERTY[a] ?? []).some((pair) => pair?.includes(b));
}

/**
 * A keyboard walk: with Shift undone, nearly every key is next to the one before (a jump to the
 * start of the next run is allowed now and then: `1qaz` `2wsx` `3edc`).
 */
export function isKeyboardWalk(password: string): boolean {
  const keys = [...password.normalize('NFKC')].map((c) => UNSHIFT.get(c) ?? c.toLowerCase());
  if (keys.length < 8) return false;
  let steps = 0;
  for (let i = 1; i < keys.length; i++)
    if (adjacent(keys[i - 1]!, keys[i]!) || keys[i - 1] === keys[i]) steps++;
  return steps / (keys.length - 1) >= 0.7;
}

const INITIALS = [
  '',
  'b',
  'p',
  'm',
  'f',
  'd',
  't',
  'n',
  'l',
  'g',
  'k',
  'h',
  'j',
  'q',
  'x',
  'zh',
  'ch',
  'sh',
  'r',
  'z',
  'c',
  's',
  'y',
  'w',
];
const FINALS = [
  'a',
  'o',
  'e',
  'i',
  'u',
  'v',
  'ai',
  'ei',
  'ui',
  'ao',
  'ou',
  'iu',
  'ie',
  've',
  'er',
  'an',
  'en',
  'in',
  'un',
  'vn',
  'ang',
  'eng',
  'ing',
  'ong',
  'ia',
  'ian',
  'iang',
  'iao',
  'iong',
  'ua',
  'uai',
  'uan',
  'uang',
  'uo',
  'ue',
];
/**
 * Every initial + final: a few more strings than real syllables, which only makes the check a
 * little stricter. Generated rather than listed: 500 entries typed by hand would hide typos.
 */
const SYLLABLES = new Set(INITIALS.flatMap((initial) => FINALS.map((final) => initial + final)));
const LONGEST_SYLLABLE = 6;

/** The fewest pinyin syllables the letters split into, or null when they do not. */
function pinyinSyllables(letters: string): number | null {
  const best: (number | null)[] = [0, ...Array<number | null>(letters.length).fill(null)];
  for (let end = 1; end <= letters.length; end++) {
    for (let start = Math.max(0, end - LONGEST_SYLLABLE); start < end; start++) {
      const before = best[start];
      if (before === null || before === undefined || !SYLLABLES.has(letters.slice(start, end))) continue;
      best[end] = Math.min(best[end] ?? Number.POSITIVE_INFINITY, before + 1);
    }
  }
  return best[letters.length] ?? null;
}

/**
 * A name or place in pinyin (two to four syllables: 张三, 光明, 欧阳娜娜) with only digits and
 * symbols besides: what a colleague, or a script with a list of names and years, guesses first.
 */
export function isPinyinNameWithNumber(password: string): boolean {
  const text = password.normalize('NFKC').toLowerCase();
  const letters = text.replace(/[^a-z]/g, '');
  if (letters.length < 4 || /[^a-z0-9\s\W_]/.test(text)) return false;
  // Letters in one run (no digits between syllables), numbers and symbols around it.
  if (!/^[^a-z]*[a-z]+[^a-z]*$/.test(text)) return false;
  const syllables = pinyinSyllables(letters);
  return syllables !== null && syllables >= 2 && syllables <= 4;
}
