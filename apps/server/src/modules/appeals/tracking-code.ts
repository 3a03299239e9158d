import { randomInt } from 'node:crypto';

// Crockford-style alphabet without 0/O, 1/I/L and U: nothing to confuse when read aloud or typed.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A tracking code like `7KQ4-M9TX-3R`: 10 random symbols (≈ 49 bits), short enough to read over
 * the phone, too many to guess (tracking and rating are rate-limited per IP as well).
 */
export function newTrackingCode(): string {
  const symbols = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

export function normaliseTrackingCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return compact.length === 10
    ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`
    : input.toUpperCase();
}

export { TRACKING_CODE_PATTERN } from '@doorstep/contracts/vocabulary';
