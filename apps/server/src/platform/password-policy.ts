/**
 * 等保 2.0 asks for passwords of reasonable length mixing character classes. Returns a problem in
 * words, or null when the password is acceptable.
 */
export const PASSWORD_MIN_LENGTH = 10;

export function passwordPolicyProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `at least ${PASSWORD_MIN_LENGTH} characters are required`;
  if (password.length > 256) return 'at most 256 characters are allowed';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'use at least three of: lower-case, upper-case, digits, symbols';
  return null;
}
