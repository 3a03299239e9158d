/** The figures every `triage eval` / `triage cv` prints, whatever the label set. */
export interface LabelFigures {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  top3Accuracy: number;
  perLabel: Record<string, LabelFigures>;
  needsHumanRate: number;
  msPerItem: number;
  /** Beyond the stable figures: how far confidence is from accuracy (15 equal-width bins). */
  expectedCalibrationError: number;
  /** Accuracy on the items the classifier would decide alone (confidence ≥ threshold). */
  automatedAccuracy: number;
  items: number;
}

/** One prediction as the evaluator needs it: the true label, the ranked labels and whether a human must look. */
export interface Scored {
  truth: string;
  ranked: readonly string[];
  /** Probability of the top label. */
  confidence: number;
  needsHuman: boolean;
}

const CALIBRATION_BINS = 15;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Macro-F1 averages over every label that occurs in the truth or the predictions (as scikit-learn
 * does): a label never predicted scores F1 = 0 rather than disappearing from the average.
 */
export function evaluate(items: readonly Scored[], msPerItem: number): Evaluation {
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const support = new Map<string, number>();
  let correct = 0;
  let top3 = 0;
  let human = 0;
  let automatedCorrect = 0;
  const binCount = new Float64Array(CALIBRATION_BINS);
  const binCorrect = new Float64Array(CALIBRATION_BINS);
  const binConfidence = new Float64Array(CALIBRATION_BINS);
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const item of items) {
    const top = item.ranked[0] ?? '';
    bump(support, item.truth);
    bump(predicted, top);
    if (top === item.truth) {
      correct++;
      bump(tp, top);
    }
    if (item.ranked.slice(0, 3).includes(item.truth)) top3++;
    if (item.needsHuman) human++;
    else if (top === item.truth) automatedCorrect++;
    const bin = Math.min(CALIBRATION_BINS - 1, Math.floor(item.confidence * CALIBRATION_BINS));
    binCount[bin]! += 1;
    binConfidence[bin]! += item.confidence;
    if (top === item.truth) binCorrect[bin]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < CALIBRATION_BINS; b++) {
    if (binCount[b]) ece += Math.abs(binCorrect[b]! - binConfidence[b]!) / (items.length || 1);
  }
  const labels = [...new Set([...support.keys(), ...predicted.keys()])].sort();
  const perLabel: Record<string, LabelFigures> = {};
  let f1Sum = 0;
  for (const label of labels) {
    const hits = tp.get(label) ?? 0;
    const guessed = predicted.get(label) ?? 0;
    const actual = support.get(label) ?? 0;
    const precision = guessed ? hits / guessed : 0;
    const recall = actual ? hits / actual : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    f1Sum += f1;
    perLabel[label] = { precision: round(precision), recall: round(recall), f1: round(f1), support: actual };
  }
  const n = items.length || 1;
  return {
    accuracy: round(correct / n),
    macroF1: round(labels.length ? f1Sum / labels.length : 0),
    top3Accuracy: round(top3 / n),
    perLabel,
    needsHumanRate: round(human / n),
    msPerItem: Math.round(msPerItem * 1000) / 1000,
    expectedCalibrationError: round(ece),
    automatedAccuracy: round(items.length - human ? automatedCorrect / (items.length - human) : 0),
    items: items.length,
  };
}
