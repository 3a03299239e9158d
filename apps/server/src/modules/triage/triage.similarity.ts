/**
 * How alike two short Chinese texts are: the Dice coefficient of their character-bigram sets.
 * Chinese has no spaces to split words on, and pg_trgm's trigrams skip characters the database's
 * locale does not call letters (CJK under the C locale), so the comparison runs here, on the few
 * candidates the SQL's place and time filter leaves. Punctuation, spaces and digits are dropped:
 * "3号楼" and "5号楼" are the same complaint about a building.
 */
export function bigrams(text: string): Set<string> {
  const chars = [...text.toLowerCase().replace(/[\s\p{P}\p{S}\d]+/gu, '')];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  if (grams.size === 0 && chars.length === 1) grams.add(chars[0]!);
  return grams;
}

/** Dice coefficient of two bigram sets: 2|A∩B| / (|A|+|B|), 0 for two empty texts. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const gram of small) if (large.has(gram)) shared++;
  return (2 * shared) / (a.size + b.size);
}
