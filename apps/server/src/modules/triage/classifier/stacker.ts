/**
 * Combines the members' margins into calibrated probabilities:
 *
 *   P(k | text) = softmax_k( Σ_m a_m × margin_m,k + b_k )
 *
 * fitted by maximum likelihood on out-of-fold margins (margins each training text got from members
 * that never saw it). One weight per member and one bias per label: with the weights fixed to 1/T
 * this is temperature scaling, so it calibrates; letting them differ also picks the members that
 * suit the data (on short titles plain SVM beats NBSVM, on long complaints the reverse). Few
 * parameters (members + labels), so it holds up on rare labels and any label set.
 */
export interface Stacker {
  memberWeights: Float64Array;
  classBias: Float64Array;
}

const ITERATIONS = 500;
const LEARNING_RATE = 0.05;

/**
 * `margins[m]` holds member m's out-of-fold margins, row-major (n × classes). Full-batch Adam from
 * a = 1, b = 0: deterministic, and the problem is convex and tiny, so a fixed budget converges.
 */
export function fitStacker(
  margins: readonly Float64Array[],
  labels: Int32Array,
  classes: number,
  iterations = ITERATIONS,
): Stacker {
  const members = margins.length;
  const n = labels.length;
  const params = new Float64Array(members + classes);
  params.fill(1, 0, members);
  const m1 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const gradient = new Float64Array(params.length);
  const z = new Float64Array(classes);
  for (let step = 1; step <= iterations; step++) {
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < classes; k++) {
        let v = params[members + k]!;
        for (let m = 0; m < members; m++) v += params[m]! * margins[m]![i * classes + k]!;
        z[k] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        z[k] = Math.exp(z[k]! - max);
        sum += z[k]!;
      }
      for (let k = 0; k < classes; k++) {
        const g = z[k]! / sum - (labels[i] === k ? 1 : 0);
        gradient[members + k]! += g;
        for (let m = 0; m < members; m++) gradient[m]! += g * margins[m]![i * classes + k]!;
      }
    }
    for (let p = 0; p < params.length; p++) {
      const g = gradient[p]! / n;
      m1[p] = 0.9 * m1[p]! + 0.1 * g;
      m2[p] = 0.999 * m2[p]! + 0.001 * g * g;
      const mHat = m1[p]! / (1 - 0.9 ** step);
      const vHat = m2[p]! / (1 - 0.999 ** step);
      params[p]! -= (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return { memberWeights: params.slice(0, members), classBias: params.slice(members) };
}

/** Probabilities from one text's member margins (`margins[m]` has one entry per class). */
export function stackedProbabilities(
  stacker: Stacker,
  margins: readonly Float64Array[],
  out = new Float64Array(stacker.classBias.length),
): Float64Array {
  const classes = stacker.classBias.length;
  let max = -Infinity;
  for (let k = 0; k < classes; k++) {
    let v = stacker.classBias[k]!;
    for (let m = 0; m < margins.length; m++) v += stacker.memberWeights[m]! * margins[m]![k]!;
    out[k] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let k = 0; k < classes; k++) {
    out[k] = Math.exp(out[k]! - max);
    sum += out[k]!;
  }
  for (let k = 0; k < classes; k++) out[k]! /= sum;
  return out;
}
