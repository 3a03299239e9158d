import { randomInt, timingSafeEqual } from 'node:crypto';
import { compactCode, dashedTrackingCode } from '@doorstep/contracts/vocabulary';

// Crockford-style alphabet without 0/O, 1/I/L and U: nothing to confuse when read aloud or typed.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

function symbols(count: number): string {
  return Array.from({ length: count }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/**
 * A tracking code like `7KQ4-M9TX-3R`: 10 random symbols (≈ 49 bits), short enough to read over
 * the phone, too many to guess (tracking and rating are rate-limited per IP as well).
 */
export function newTrackingCode(): string {
  const code = symbols(10);
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

export function normaliseTrackingCode(input: string): string {
  return dashedTrackingCode(input) ?? input.toUpperCase();
}

/**
 * The resident's rating secret (评价码) like `Q7MX-4KHD`: 8 symbols (≈ 39 bits). With the tracking
 * code it proves the resident is the one rating; rating is rate-limited per IP, so it is not
 * guessed online, and it is stored encrypted, so a database reader does not learn it either.
 */
export function newRatingToken(): string {
  const token = symbols(8);
  return `${token.slice(0, 4)}-${token.slice(4)}`;
}

/** Constant-time comparison of a presented token with the stored one, dash and case ignored. */
export function ratingTokenMatches(presented: string, stored: string): boolean {
  const a = Buffer.from(compactCode(presented));
  const b = Buffer.from(compactCode(stored));
  return a.length === b.length && timingSafeEqual(a, b);
}

export { maskTrackingCode, TRACKING_CODE_PATTERN } from '@doorstep/contracts/vocabulary';
