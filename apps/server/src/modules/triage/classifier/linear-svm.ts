import type { SparseVector } from './features.ts';
import { createRandom, shuffledRange } from './random.ts';

/**
 * One-vs-rest linear SVM (L2-regularised, squared hinge loss) trained by dual coordinate descent
 * (Hsieh et al. 2008 — the LIBLINEAR solver behind scikit-learn's LinearSVC), optionally on
 * NB-scaled features (NBSVM, Wang & Manning 2012). Written here because no maintained npm
 * package trains sparse linear models; the solver is short, needs no learning rate, converges in
 * a few passes, and with a seeded visiting order it is deterministic.
 */
export interface SvmOptions {
  /** Inverse regularisation strength (LinearSVC's C). */
  c: number;
  /**
   * Scale each feature by its Naive-Bayes log-count ratio for the class before training. Strong on
   * long texts; on short ones plain is better — the ensemble has both and the stacker weighs them.
   */
  nb: boolean;
  /** Class-balanced costs (below); false weighs every row alike. */
  balanced?: boolean;
  seed: number;
  /** Upper bound on passes over the data, and the stopping tolerance on the projected gradient. */
  maxEpochs?: number;
  tolerance?: number;
}

/** Weights stored feature-major (w[j × classes + k]): scoring a text touches one row per feature. */
export interface LinearModel {
  classes: number;
  bits: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** A constant feature that carries the bias and is regularised like the others (as LIBLINEAR does). */
const BIAS_FEATURE = 1;
/** Laplace smoothing of the NB ratio on binary (present / absent) counts. */
const NB_ALPHA = 1;

/**
 * Class-balanced costs (C_k = C × n / (K × n_k)): otherwise rare labels lose the margin to
 * frequent ones, and macro-F1 counts every label equally.
 */
function balancedWeights(labels: Int32Array, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const label of labels) counts[label]! += 1;
  const perClass = counts.map((count) => (count ? labels.length / (classes * count) : 0));
  return Float64Array.from(labels, (label) => perClass[label]!);
}

function trainBinary(
  docs: readonly SparseVector[],
  sign: Float64Array,
  cost: Float64Array,
  dimension: number,
  options: SvmOptions,
  seed: number,
): { w: Float64Array; b: number } {
  const n = docs.length;
  const w = new Float64Array(dimension);
  let b = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = 1 / (2 * options.c * cost[i]!);
    const v = docs[i]!.value;
    let sq = BIAS_FEATURE * BIAS_FEATURE;
    for (let t = 0; t < v.length; t++) sq += v[t]! * v[t]!;
    qd[i] = sq + diag[i]!;
  }
  const random = createRandom(seed);
  const maxEpochs = options.maxEpochs ?? 50;
  const tolerance = options.tolerance ?? 0.1;
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    const order = shuffledRange(n, random);
    let maxViolation = 0;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      const { index, value } = docs[i]!;
      const y = sign[i]!;
      let dot = b * BIAS_FEATURE;
      for (let t = 0; t < index.length; t++) dot += w[index[t]!]! * value[t]!;
      const gradient = y * dot - 1 + diag[i]! * alpha[i]!;
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      const violation = Math.abs(projected);
      if (violation > maxViolation) maxViolation = violation;
      if (violation < 1e-12) continue;
      const before = alpha[i]!;
      const after = Math.max(before - gradient / qd[i]!, 0);
      alpha[i] = after;
      const step = (after - before) * y;
      if (step === 0) continue;
      for (let t = 0; t < index.length; t++) w[index[t]!]! += step * value[t]!;
      b += step * BIAS_FEATURE;
    }
    if (maxViolation < tolerance) break;
  }
  return { w, b };
}

/** Log-count ratio of presence between the class and the rest: the NB direction per feature. */
function nbRatio(docs: readonly SparseVector[], sign: Float64Array, dimension: number): Float64Array {
  const p = new Float64Array(dimension).fill(NB_ALPHA);
  const q = new Float64Array(dimension).fill(NB_ALPHA);
  for (let i = 0; i < docs.length; i++) {
    const target = sign[i]! > 0 ? p : q;
    for (const j of docs[i]!.index) target[j]! += 1;
  }
  let pSum = 0;
  let qSum = 0;
  for (let j = 0; j < dimension; j++) {
    pSum += p[j]!;
    qSum += q[j]!;
  }
  const r = new Float64Array(dimension);
  for (let j = 0; j < dimension; j++) r[j] = Math.log(p[j]! / pSum / (q[j]! / qSum));
  return r;
}

function scaleDocs(docs: readonly SparseVector[], r: Float64Array): SparseVector[] {
  return docs.map(({ index, value }) => {
    const scaled = new Float32Array(value.length);
    for (let t = 0; t < value.length; t++) scaled[t] = value[t]! * r[index[t]!]!;
    return { index, value: scaled };
  });
}

export function trainOneVsRest(
  docs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  bits: number,
  options: SvmOptions,
): LinearModel {
  const dimension = 1 << bits;
  const weights = new Float32Array(dimension * classes);
  const bias = new Float32Array(classes);
  const cost =
    options.balanced === false ? new Float64Array(labels.length).fill(1) : balancedWeights(labels, classes);
  const sign = new Float64Array(docs.length);
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < docs.length; i++) sign[i] = labels[i] === k ? 1 : -1;
    // With NB scaling the SVM learns in the scaled space; folding the ratio back into the weights
    // afterwards lets prediction use the plain features.
    const r = options.nb ? nbRatio(docs, sign, dimension) : undefined;
    const input = r ? scaleDocs(docs, r) : docs;
    const { w, b } = trainBinary(input, sign, cost, dimension, options, options.seed + k * 7919);
    for (let j = 0; j < dimension; j++) {
      if (w[j] !== 0) weights[j * classes + k] = r ? w[j]! * r[j]! : w[j]!;
    }
    bias[k] = b;
  }
  return { classes, bits, weights, bias };
}
