import { dictionary } from '@zxcvbn-ts/language-common';
import { BREACHED_PATTERNS_CN } from './breached-patterns-cn.ts';
import { isKeyboardWalk, isPinyinNameWithNumber } from './password-patterns.ts';

/**
 * 等保 2.0 asks for passwords of reasonable length mixing character classes; OWASP ASVS (V6,
 * authentication) asks that they are checked against breached passwords. Returns a problem in words, or null when the
 * password is acceptable.
 *
 * The breached list is zxcvbn's 49,000 most common leaked passwords (shipped in the npm package, no
 * network) plus patterns common in Chinese leaks. A password is refused when, after the usual
 * disguises are undone (case, l33t digits, separators, digits and symbols around a word), what is
 * left is one of them: `Password123!` and `P@ssw0rd-2024` are refused; `Demo-Passw0rd!` is not,
 * because `demopassword` is not a leaked password itself.
 */
export const PASSWORD_MIN_LENGTH = 10;

const BREACHED = new Set<string>([...dictionary['passwords-common'], ...BREACHED_PATTERNS_CN]);

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** The forms a leaked password commonly takes once disguised; each is looked up in the list. */
export function breachedCandidates(password: string): string[] {
  const lower = password.normalize('NFKC').toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, ''); // digits and symbols around a word
  const unleet = (text: string) => text.replace(/[013457@$!]/g, (c) => LEET[c] ?? c);
  const joined = (text: string) => text.replace(/[\s._\-+*#~]+/g, '');
  const forms = [lower, joined(lower), core, joined(core), unleet(lower), joined(unleet(lower))];
  // Undo l33t inside the word only: a trailing "!!2024" is decoration, not "ii".
  forms.push(unleet(core), joined(unleet(core)), lower.replace(/[^a-z0-9]/g, ''));
  return [...new Set(forms.filter((form) => form.length >= 4))];
}

export function isBreachedPattern(password: string): boolean {
  return breachedCandidates(password).some((form) => BREACHED.has(form));
}

export function passwordPolicyProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `at least ${PASSWORD_MIN_LENGTH} characters are required`;
  if (password.length > 256) return 'at most 256 characters are allowed';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'use at least three of: lower-case, upper-case, digits, symbols';
  if (isBreachedPattern(password))
    return 'this password is a disguised form of a widely leaked one; choose another';
  if (isKeyboardWalk(password)) return 'this password is a walk along the keyboard; choose another';
  if (isPinyinNameWithNumber(password))
    return 'this password is a name or place in pinyin with a number, guessed early; choose another';
  return null;
}
