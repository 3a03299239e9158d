import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Uniform in [0, 1). */
export type Random = () => number;

/** FNV-1a, 32-bit: a stable string → number that does not depend on the JS engine. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * One independent stream per (seed, unit): regenerating one community never shifts the points of
 * another, so a change in one place of the generator does not ripple through the whole district.
 */
export function seededRandom(...parts: string[]): Random {
  const rng = xoroshiro128plus(hashString(parts.join('\u0000')));
  return () => uniformFloat64(rng);
}

/** Seed-independent choice keyed by a code, for attributes that must not change with the seed. */
export function pickByCode<T>(code: string, salt: string, options: readonly T[]): T {
  return options[hashString(`${salt}:${code}`) % options.length]!;
}
