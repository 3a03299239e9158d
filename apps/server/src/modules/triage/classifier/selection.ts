import type { ViewSpec } from './features.ts';
import type { MemberSpec } from './member.ts';
import { createRandom, shuffledRange } from './random.ts';
import { fitStacker, stackedProbabilities } from './stacker.ts';

/**
 * Model selection by the data at hand (issue #22, "a learner that travels"): the choices that were
 * once constants tuned on the 泰迪杯 long complaints — n-gram range, NBSVM or plain SVM, C, class
 * weights, which members the stacker combines — are picked on each training set by its own
 * out-of-fold margins. Long complaints and a district's short, many-label items want different
 * answers, and no one set of constants is right for both.
 *
 * The candidates' out-of-fold margins are computed anyway (the stacker is fitted on them), so
 * selection costs the candidates' training, not a second cross-validation.
 */

/** The grid the data chooses from; the base view gives the hash size and the title / lead parts. */
export function candidatePool(base: ViewSpec): { views: ViewSpec[]; members: MemberSpec[] } {
  // Character 1–2-grams and 1–3-grams: 3-grams help where texts are short and words repeat (item
  // names), and hurt on long complaints by spreading their weight thin.
  const views: ViewSpec[] = [
    { ...base, charN: 2 },
    { ...base, charN: 3 },
  ];
  const members: MemberSpec[] = [];
  for (let view = 0; view < views.length; view++) {
    for (const nb of [true, false]) {
      for (const c of [0.5, 2]) members.push({ view, nb, c, balanced: true });
    }
  }
  // Class weights: balanced costs suit imbalanced labels and macro-F1; on a balanced set they only
  // add noise. Tried on the shorter n-grams with both learners.
  members.push({ view: 0, nb: true, c: 2, balanced: false }, { view: 0, nb: false, c: 2, balanced: false });
  return { views, members };
}

/** Macro-F1 over class indices, every class that occurs in truth or prediction counted (as metrics.ts). */
export function macroF1Of(truth: Int32Array, predicted: Int32Array, classes: number): number {
  const tp = new Float64Array(classes);
  const inTruth = new Float64Array(classes);
  const inPrediction = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    inTruth[truth[i]!]! += 1;
    inPrediction[predicted[i]!]! += 1;
    if (truth[i] === predicted[i]) tp[truth[i]!]! += 1;
  }
  let sum = 0;
  let counted = 0;
  for (let k = 0; k < classes; k++) {
    if (inTruth[k] === 0 && inPrediction[k] === 0) continue;
    counted++;
    sum += (2 * tp[k]!) / (inTruth[k]! + inPrediction[k]!);
  }
  return counted === 0 ? 0 : sum / counted;
}

function argmaxRows(scores: Float64Array, n: number, classes: number): Int32Array {
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores[i * classes + k]! > scores[i * classes + best]!) best = k;
    predicted[i] = best;
  }
  return predicted;
}

/** Fewer Adam steps while choosing than for the final stacker: the ranking settles long before the last digit. */
const SELECTION_STACKER_ITERATIONS = 150;
/** A member joins the stack only if it adds at least this much macro-F1: ties go to the smaller model. */
const MIN_GAIN = 0.002;
const MAX_MEMBERS = 3;

/**
 * Macro-F1 of the stacker over `chosen` members, itself cross-fitted: fitted on one half of the
 * rows and scored on the other, both ways, so the stacker's own parameters do not flatter it.
 */
function stackedScore(
  oof: readonly Float64Array[],
  chosen: readonly number[],
  labels: Int32Array,
  classes: number,
  halves: Int32Array,
): number {
  const n = labels.length;
  const predicted = new Int32Array(n);
  const probabilities = new Float64Array(classes);
  for (let half = 0; half < 2; half++) {
    const fitRows: number[] = [];
    const scoreRows: number[] = [];
    for (let i = 0; i < n; i++) (halves[i] === half ? scoreRows : fitRows).push(i);
    const slice = (rows: number[], margins: Float64Array) => {
      const out = new Float64Array(rows.length * classes);
      rows.forEach((row, r) => {
        out.set(margins.subarray(row * classes, (row + 1) * classes), r * classes);
      });
      return out;
    };
    const stacker = fitStacker(
      chosen.map((m) => slice(fitRows, oof[m]!)),
      Int32Array.from(fitRows, (row) => labels[row]!),
      classes,
      SELECTION_STACKER_ITERATIONS,
    );
    for (const row of scoreRows) {
      stackedProbabilities(
        stacker,
        chosen.map((m) => oof[m]!.subarray(row * classes, (row + 1) * classes)),
        probabilities,
      );
      let best = 0;
      for (let k = 1; k < classes; k++) if (probabilities[k]! > probabilities[best]!) best = k;
      predicted[row] = best;
    }
  }
  return macroF1Of(labels, predicted, classes);
}

/** `nb c2 3g bal` — a member in a few characters, for reports and logs. */
export function describeMember(member: MemberSpec, view: ViewSpec): string {
  return `${member.nb ? 'nb' : 'svm'} c${member.c} ${view.charN}g${member.balanced === false ? '' : ' bal'}`;
}

export interface SelectionReport {
  /** Each candidate (members, then external scorers) with its out-of-fold macro-F1 alone, in pool order. */
  candidates: { name: string; macroF1: number }[];
  /** Pool indices of the chosen members, in the order they joined. */
  chosen: number[];
  /** Cross-fitted out-of-fold macro-F1 of the chosen stack. */
  macroF1: number;
}

/**
 * Greedy forward selection: the best single candidate (by its own out-of-fold argmax), then the
 * candidate that most improves the stacked macro-F1, while the gain is at least MIN_GAIN, up to
 * MAX_MEMBERS. Deterministic: ties keep pool order.
 */
export function selectMembers(
  oof: readonly Float64Array[],
  labels: Int32Array,
  classes: number,
  seed: number,
): { chosen: number[]; candidateScores: number[]; macroF1: number } {
  const n = labels.length;
  const candidateScores = oof.map((margins) => macroF1Of(labels, argmaxRows(margins, n, classes), classes));
  let first = 0;
  candidateScores.forEach((score, m) => {
    if (score > candidateScores[first]!) first = m;
  });
  // Rows split in two at random (seeded) for the cross-fitted stacker.
  const order = shuffledRange(n, createRandom(seed + 17));
  const halves = new Int32Array(n);
  for (let r = 0; r < n; r++) halves[order[r]!] = r % 2;

  const chosen = [first];
  let score = stackedScore(oof, chosen, labels, classes, halves);
  while (chosen.length < Math.min(MAX_MEMBERS, oof.length)) {
    let bestCandidate = -1;
    let bestScore = -1;
    for (let m = 0; m < oof.length; m++) {
      if (chosen.includes(m)) continue;
      const trial = stackedScore(oof, [...chosen, m], labels, classes, halves);
      if (trial >= score + MIN_GAIN && trial > bestScore) {
        bestScore = trial;
        bestCandidate = m;
      }
    }
    if (bestCandidate < 0) break;
    chosen.push(bestCandidate);
    score = bestScore;
  }
  return { chosen, candidateScores, macroF1: score };
}
