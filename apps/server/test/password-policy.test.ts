import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  breachedCandidates,
  isBreachedPattern,
  passwordPolicyProblem,
} from '../src/platform/password-policy.ts';
import { createHarness, DEMO_PASSWORD, type Harness } from './support/harness.ts';

describe('password policy: length, classes and the breached-pattern list', () => {
  test.each([
    'Password123!', // the most leaked word with the usual suffix
    'P@ssw0rd-2024', // l33t and a year
    'Qwerty12345!', // keyboard walk
    'Woaini1314!!', // pinyin phrase common in Chinese leaks
    'Admin@12345',
    '1qaz2WSX!@#$',
  ])('%s is refused as a disguised leaked password', (password) => {
    expect(isBreachedPattern(password)).toBe(true);
    expect(passwordPolicyProblem(password)).toMatch(/leaked/);
  });

  test.each([
    ['1qaz@WSX3edc', /keyboard/], // issue #19 finding 8: a column walk with Shift on the middle run
    ['zaq1@WSXcde3', /keyboard/],
    ['Zhangsan@1990', /pinyin/], // a name and a birth year
    ['Guangming2026!', /pinyin/], // the district's name and the year
    ['Ouyangnana520!', /pinyin/],
  ])('%s passes three classes but is refused as a guessable shape', (password, why) => {
    expect(passwordPolicyProblem(password)).toMatch(why);
  });

  test.each(['Demo-Passw0rd!', 'Huanghe#river88', 'Kq7#vR2m!pX9'])('%s is accepted', (password) => {
    expect(passwordPolicyProblem(password)).toBeNull();
  });

  test('short and single-class passwords are still refused first, in words', () => {
    expect(passwordPolicyProblem('Ab1!')).toMatch(/at least 10/);
    expect(passwordPolicyProblem('abcdefghijkl')).toMatch(/three/);
  });

  test('the disguises undone include case, l33t digits, separators and surrounding digits', () => {
    expect(breachedCandidates('P@ss-W0rd!!2024')).toContain('password');
  });
});

describe('the policy holds where passwords are chosen', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  test('changing to a leaked pattern answers 422 weak_password and the old password keeps working', async () => {
    const token = await h.login('grid-worker');
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Password123!' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('weak_password');
    expect(await h.login('grid-worker')).toBeTruthy();
  });
});
