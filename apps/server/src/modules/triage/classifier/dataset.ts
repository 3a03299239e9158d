import { readFileSync } from 'node:fs';
import { createRandom, shuffleInPlace } from './random.ts';

/** One labelled text: an appeal's title (may be empty) and content, with its category label. */
export interface Example {
  title: string;
  content: string;
  label: string;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/**
 * Reads JSONL rows `{content, title?, label}` (any other field is ignored). A malformed line is an
 * error naming its line, not a silently smaller data set: a measurement on a truncated file would lie.
 */
export function parseJsonl(text: string, source = 'input'): Example[] {
  const examples: Example[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new DatasetError(`${source}:${i + 1}: not valid JSON`);
    }
    const record = row as Record<string, unknown>;
    const content = record?.content;
    const label = record?.label;
    const title = record?.title ?? '';
    if (typeof content !== 'string' || typeof title !== 'string') {
      throw new DatasetError(`${source}:${i + 1}: "content" (and "title", if present) must be strings`);
    }
    if (typeof label !== 'string' || label === '') {
      throw new DatasetError(`${source}:${i + 1}: "label" must be a non-empty string`);
    }
    examples.push({ title, content, label });
  }
  return examples;
}

export function readJsonlFiles(files: readonly string[]): Example[] {
  return files.flatMap((file) => parseJsonl(readFileSync(file, 'utf8'), file));
}

/** The distinct labels, sorted, so the class index of a label never depends on row order. */
export function labelSet(examples: readonly Example[]): string[] {
  return [...new Set(examples.map((example) => example.label))].sort();
}

/**
 * Stratified k-fold assignment: every label's rows are shuffled (seeded) and dealt round-robin, so
 * each fold holds the same share of every label — a rare label still appears in test folds. The
 * dealing continues from fold to fold across labels so that fold sizes stay balanced too.
 */
export function stratifiedFolds(labels: readonly string[], folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new DatasetError('folds must be an integer ≥ 2');
  if (folds > labels.length) throw new DatasetError(`cannot make ${folds} folds of ${labels.length} rows`);
  const random = createRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, index) => {
    const rows = byLabel.get(label);
    if (rows) rows.push(index);
    else byLabel.set(label, [index]);
  });
  const assignment = new Int32Array(labels.length);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const rows = shuffleInPlace(byLabel.get(label)!, random);
    for (const row of rows) {
      assignment[row] = next;
      next = (next + 1) % folds;
    }
  }
  return assignment;
}

/** Short-text variants of a labelled set, to check the learner where a district's items live. */
export const TEXT_VARIANTS = ['full', 'title', 'first-40'] as const;
export type TextVariant = (typeof TEXT_VARIANTS)[number];

/**
 * `title`: the title alone (rows without one are dropped); `first-40`: the first 40 characters of
 * the content, no title — what a hotline operator's one-line summary or a short item text looks like.
 */
export function textVariant(examples: readonly Example[], variant: TextVariant): Example[] {
  if (variant === 'title') {
    return examples
      .filter((example) => example.title.trim() !== '')
      .map((example) => ({ title: '', content: example.title, label: example.label }));
  }
  if (variant === 'first-40') {
    return examples.map((example) => ({
      title: '',
      content: example.content.slice(0, 40),
      label: example.label,
    }));
  }
  return [...examples];
}
