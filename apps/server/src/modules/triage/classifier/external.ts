/**
 * Another, fixed model's opinion as a member of the stack — how a district's item model combines
 * with the shipped domain model (issue #22 item 1).
 *
 * The two speak of different labels (150 items, 7 domains), so the link is learnt from the
 * training set: for each item k, the mean domain distribution of its examples (m_k). A text's
 * margin for item k is then log Σ_d m_k,d · P(d | text): how well the text's domain fits the
 * item's usual domain. The stacker weighs it against the item model's own members by likelihood
 * on out-of-fold data, so the combined confidence is calibrated, and selection keeps it only when
 * it raises macro-F1 — a domain model that does not help a district is left out, not trusted.
 */
export interface ExternalScorer {
  /** Stable name: the model file refers to its scorer by it. */
  name: string;
  labels: readonly string[];
  /** Probabilities over `labels`, summing to 1. */
  score(title: string | undefined, content: string): Float64Array;
}

/** What a trained model keeps of a scorer it uses: the label link, K × D row-major. */
export interface ExternalLink {
  name: string;
  labels: string[];
  mapping: number[];
}

export class ExternalScorerError extends Error {
  override name = 'ExternalScorerError';
}

/** Laplace-style smoothing toward the uniform domain, so an item never rules a domain out. */
const SMOOTHING = 1;
const FLOOR = 1e-6;

/** Mean scorer distribution of each class over `rows` (scores: n × D row-major). */
export function fitLink(
  scores: Float64Array,
  labels: Int32Array,
  rows: readonly number[],
  classes: number,
  width: number,
): number[] {
  const sums = new Float64Array(classes * width);
  const counts = new Float64Array(classes);
  for (const row of rows) {
    const k = labels[row]!;
    counts[k]! += 1;
    for (let d = 0; d < width; d++) sums[k * width + d]! += scores[row * width + d]!;
  }
  const mapping: number[] = [];
  for (let k = 0; k < classes; k++) {
    for (let d = 0; d < width; d++) {
      mapping.push(Math.fround((sums[k * width + d]! + SMOOTHING / width) / (counts[k]! + SMOOTHING)));
    }
  }
  return mapping;
}

/** A text's margin for every class: log Σ_d m_k,d · p_d. */
export function linkMargins(
  mapping: readonly number[],
  probabilities: ArrayLike<number>,
  classes: number,
  out = new Float64Array(classes),
): Float64Array {
  const width = probabilities.length;
  for (let k = 0; k < classes; k++) {
    let sum = 0;
    for (let d = 0; d < width; d++) sum += mapping[k * width + d]! * probabilities[d]!;
    out[k] = Math.log(sum + FLOOR);
  }
  return out;
}

/** The scorer a link names, or a clear error: a model trained with it cannot predict without it. */
export function scorerFor(link: ExternalLink, scorers: readonly ExternalScorer[]): ExternalScorer {
  const scorer = scorers.find((s) => s.name === link.name);
  if (!scorer) throw new ExternalScorerError(`this model needs the external scorer "${link.name}"`);
  if (scorer.labels.join('\n') !== link.labels.join('\n')) {
    throw new ExternalScorerError(
      `the scorer "${link.name}" has other labels than the model was trained with`,
    );
  }
  return scorer;
}
