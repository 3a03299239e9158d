import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of randomness; every random choice in training goes through one, so a seed fixes the model. */
export interface Random {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [from, to]. */
  int(from: number, to: number): number;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  return {
    float: () => uniformFloat64(rng),
    int: (from, to) => uniformInt(rng, from, to),
  };
}

/** Fisher–Yates, driven by the seeded generator. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
  return items;
}

export function shuffledRange(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(0, i);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}
