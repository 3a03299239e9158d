import { type Example, stratifiedFolds } from './dataset.ts';
import type { ExternalScorer } from './external.ts';
import { type Evaluation, evaluate, type Scored } from './metrics.ts';
import { type ClassifierConfig, createPredictor, type TriageModel, trainClassifier } from './model.ts';
import { describeMember } from './selection.ts';

type Progress = (message: string) => void;

/** Scores `examples` with the model; the time counted is featurisation + prediction, one text at a time. */
function score(
  model: TriageModel,
  examples: readonly Example[],
  threshold?: number,
  externals: readonly ExternalScorer[] = [],
): { items: Scored[]; ms: number } {
  const predict = createPredictor(model, threshold, externals);
  const items: Scored[] = [];
  const started = performance.now();
  for (const example of examples) {
    const prediction = predict(example.title, example.content);
    items.push({
      truth: example.label,
      ranked: prediction.ranked.map((entry) => entry.label),
      confidence: prediction.ranked[0]!.confidence,
      needsHuman: prediction.needsHuman,
    });
  }
  return { items, ms: performance.now() - started };
}

export function evaluateModel(
  model: TriageModel,
  examples: readonly Example[],
  threshold?: number,
): Evaluation {
  const { items, ms } = score(model, examples, threshold);
  return evaluate(items, ms / Math.max(1, examples.length));
}

export interface CrossValidation extends Evaluation {
  folds: number;
  seed: number;
  /** Mean wall time to train on one fold's training part (calibration included). */
  trainSecondsPerFold: number;
  /** Per fold, the members the learner chose (`c`, NBSVM or not, class weights, n-gram order). */
  chosen: string[][];
}

function describeMembers(model: TriageModel): string[] {
  return [
    ...model.config.members.map((member) => describeMember(member, model.config.views[member.view]!)),
    ...(model.external ?? []).map((link) => `external ${link.name}`),
  ];
}
/**
 * Stratified k-fold cross-validation of the whole training procedure: each fold's model is trained
 * (its inner calibration folds included) without ever seeing the fold it is scored on.
 */
export function crossValidate(
  examples: readonly Example[],
  options: {
    folds: number;
    seed: number;
    config?: Partial<ClassifierConfig>;
    /** Fixed models that may join each fold's stack (external.ts). */
    externals?: readonly ExternalScorer[];
  },
  progress: Progress = () => {},
): CrossValidation {
  const assignment = stratifiedFolds(
    examples.map((example) => example.label),
    options.folds,
    options.seed,
  );
  const items: Scored[] = [];
  let predictMs = 0;
  let trainMs = 0;
  const chosen: string[][] = [];
  for (let fold = 0; fold < options.folds; fold++) {
    const train = examples.filter((_, row) => assignment[row] !== fold);
    const test = examples.filter((_, row) => assignment[row] === fold);
    const started = performance.now();
    const model = trainClassifier(
      train,
      { seed: options.seed, ...options.config },
      (message) => progress(`fold ${fold + 1}/${options.folds}: ${message}`),
      options.externals,
    );
    trainMs += performance.now() - started;
    chosen.push(describeMembers(model));
    const scored = score(model, test, undefined, options.externals);
    items.push(...scored.items);
    predictMs += scored.ms;
  }
  return {
    ...evaluate(items, predictMs / Math.max(1, examples.length)),
    folds: options.folds,
    seed: options.seed,
    trainSecondsPerFold: Math.round(trainMs / options.folds / 100) / 10,
    chosen,
  };
}
