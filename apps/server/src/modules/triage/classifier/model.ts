import { type Example, labelSet, stratifiedFolds } from './dataset.ts';
import { type ExternalLink, type ExternalScorer, fitLink, linkMargins, scorerFor } from './external.ts';
import {
  FeatureCounter,
  fitIdf,
  type PreparedText,
  prepareText,
  type SparseVector,
  type ViewSpec,
  weigh,
} from './features.ts';
import { trainOneVsRest } from './linear-svm.ts';
import type { MemberSpec } from './member.ts';
import { margins, type QuantizedLinear, quantize } from './quantize.ts';
import { candidatePool, describeMember, type SelectionReport, selectMembers } from './selection.ts';
import { fitStacker, type Stacker, stackedProbabilities } from './stacker.ts';

/**
 * The triage classifier: a small ensemble of linear SVMs over hashed character n-grams, stacked
 * into calibrated probabilities. Which n-grams and which SVMs make the ensemble is chosen on each
 * training set by its own out-of-fold scores (selection.ts); the README's triage section has the
 * figures on long complaints, titles alone and 40-character excerpts.
 */

export type { MemberSpec };

export interface ClassifierConfig {
  /**
   * Choose views and members from `candidatePool(views[0])` by out-of-fold macro-F1 (true), or
   * train exactly `views` and `members` (false: a fixed baseline, or a quick model in a test).
   * A trained model's config holds what was chosen.
   */
  select: boolean;
  views: ViewSpec[];
  members: MemberSpec[];
  /** Folds used to get the out-of-fold margins the stacker is fitted on. */
  calibrationFolds: number;
  /** Below this top-label probability the appeal is marked for a human. */
  threshold: number;
  seed: number;
}

export const DEFAULT_CONFIG: ClassifierConfig = {
  select: true,
  // Character 1–2-grams, with the title and the first 100 characters repeated in their own namespaces.
  views: [{ bits: 18, charN: 2, title: true, lead: 100 }],
  // Without selection: NBSVM (the stronger learner on long complaints) and plain SVM (on short texts).
  members: [
    { view: 0, nb: true, c: 2 },
    { view: 0, nb: false, c: 2 },
  ],
  calibrationFolds: 4,
  threshold: 0.6,
  seed: 1,
};

/**
 * The conventional baseline the README compares with: TF-IDF of character 1–2-grams and one
 * linear SVM (C = 1, unweighted classes), as scikit-learn's TfidfVectorizer + LinearSVC.
 */
export const BASELINE_CONFIG: Partial<ClassifierConfig> = {
  select: false,
  views: [{ bits: 18, charN: 2, title: false, lead: 0 }],
  members: [{ view: 0, nb: false, c: 1, balanced: false }],
};

export const LEARNERS = {
  select: {},
  fixed: { select: false },
  baseline: BASELINE_CONFIG,
} satisfies Record<string, Partial<ClassifierConfig>>;

export const MODEL_FORMAT = 'doorstep-triage-classifier/1';

export interface TriageModel {
  format: typeof MODEL_FORMAT;
  labels: string[];
  config: ClassifierConfig;
  /** One IDF table per view. */
  idf: Float32Array[];
  members: QuantizedLinear[];
  stacker: Stacker;
  trainedOn: { examples: number };
  /** External scorers in the stack after the members, with their label links (external.ts). */
  external?: ExternalLink[];
  /** What selection tried and chose (absent when the config was fixed). */
  selection?: SelectionReport;
}

export interface RankedLabel {
  label: string;
  confidence: number;
}

export interface Prediction {
  /** Every label, most probable first; confidences sum to 1. */
  ranked: RankedLabel[];
  needsHuman: boolean;
}

export class TrainingError extends Error {
  override name = 'TrainingError';
}

type Progress = (message: string) => void;

interface Counted {
  /** counts[view][row] */
  counts: SparseVector[][];
  labels: Int32Array;
}

function countAll(texts: readonly PreparedText[], views: readonly ViewSpec[]): SparseVector[][] {
  return views.map((spec) => {
    const counter = new FeatureCounter(spec);
    return texts.map((text) => counter.count(text));
  });
}

/** Trains the members on `rows` of the counted data; returns their IDF tables and models. */
function trainMembers(
  data: Counted,
  rows: readonly number[],
  classes: number,
  config: Pick<ClassifierConfig, 'views' | 'members' | 'seed'>,
): { idf: Float32Array[]; members: QuantizedLinear[] } {
  const labels = Int32Array.from(rows, (row) => data.labels[row]!);
  const idf = config.views.map((spec, v) =>
    fitIdf(
      rows.map((row) => data.counts[v]![row]!),
      spec.bits,
    ),
  );
  const weighted = config.views.map((_, v) => rows.map((row) => weigh(data.counts[v]![row]!, idf[v]!)));
  const members = config.members.map((member, m) =>
    quantize(
      trainOneVsRest(weighted[member.view]!, labels, classes, config.views[member.view]!.bits, {
        c: member.c,
        nb: member.nb,
        balanced: member.balanced !== false,
        seed: config.seed + 1000 * m,
      }),
    ),
  );
  return { idf, members };
}

/** Each scorer's distribution for every example, n × D row-major. */
function scoreExternally(examples: readonly Example[], scorers: readonly ExternalScorer[]): Float64Array[] {
  return scorers.map((scorer) => {
    const width = scorer.labels.length;
    const out = new Float64Array(examples.length * width);
    examples.forEach((example, row) => {
      out.set(scorer.score(example.title, example.content), row * width);
    });
    return out;
  });
}

/**
 * Trains a model on `examples`. `externals` are fixed models whose opinion may join the stack
 * (external.ts); a model that chose one needs it again to predict.
 */
export function trainClassifier(
  examples: readonly Example[],
  overrides: Partial<ClassifierConfig> = {},
  progress: Progress = () => {},
  externals: readonly ExternalScorer[] = [],
): TriageModel {
  const config: ClassifierConfig = { ...DEFAULT_CONFIG, ...overrides };
  const labels = labelSet(examples);
  if (labels.length < 2) throw new TrainingError('training needs at least two distinct labels');
  const folds = Math.min(config.calibrationFolds, examples.length);
  if (folds < 2) throw new TrainingError('training needs at least two examples');
  const classOf = new Map(labels.map((label, k) => [label, k]));
  const classes = labels.length;

  progress(`preparing ${examples.length} texts`);
  const texts = examples.map((example) => prepareText(example.title, example.content));
  const pool = config.select
    ? candidatePool(config.views[0]!)
    : { views: config.views, members: config.members };
  const data: Counted = {
    counts: countAll(texts, pool.views),
    labels: Int32Array.from(examples, (example) => classOf.get(example.label)!),
  };

  // Out-of-fold margins: each row scored by members that never saw it — what the stacker learns
  // from and what selection compares the candidates on.
  const assignment = stratifiedFolds(
    examples.map((example) => example.label),
    folds,
    config.seed,
  );
  const internal = pool.members.length;
  const oof = [...pool.members, ...externals].map(() => new Float64Array(examples.length * classes));
  const externalScores = scoreExternally(examples, externals);
  for (let fold = 0; fold < folds; fold++) {
    progress(`calibration fold ${fold + 1}/${folds} (${pool.members.length} members)`);
    const train: number[] = [];
    const held: number[] = [];
    for (let row = 0; row < examples.length; row++) (assignment[row] === fold ? held : train).push(row);
    const { idf, members } = trainMembers(data, train, classes, { ...pool, seed: config.seed });
    for (const row of held) {
      pool.members.forEach((member, m) => {
        const doc = weigh(data.counts[member.view]![row]!, idf[member.view]!);
        oof[m]!.set(margins(members[m]!, doc), row * classes);
      });
    }
    externals.forEach((scorer, e) => {
      const width = scorer.labels.length;
      const link = fitLink(externalScores[e]!, data.labels, train, classes, width);
      for (const row of held) {
        const p = externalScores[e]!.subarray(row * width, (row + 1) * width);
        oof[internal + e]!.set(linkMargins(link, p, classes), row * classes);
      }
    });
  }

  let chosen = oof.map((_, m) => m);
  let selection: SelectionReport | undefined;
  if (config.select) {
    progress('selecting members');
    const picked = selectMembers(oof, data.labels, classes, config.seed);
    selection = {
      candidates: [
        ...pool.members.map((member) => describeMember(member, pool.views[member.view]!)),
        ...externals.map((scorer) => `external ${scorer.name}`),
      ].map((name, m) => ({ name, macroF1: Math.round(picked.candidateScores[m]! * 10_000) / 10_000 })),
      chosen: picked.chosen,
      macroF1: Math.round(picked.macroF1 * 10_000) / 10_000,
    };
    chosen = picked.chosen;
  }
  // The stack's order: the model's own members, then the external scorers.
  const chosenInternal = chosen.filter((m) => m < internal).sort((a, b) => a - b);
  const chosenExternal = chosen.filter((m) => m >= internal).sort((a, b) => a - b);
  const stacker = fitStacker(
    [...chosenInternal, ...chosenExternal].map((m) => oof[m]!),
    data.labels,
    classes,
  );

  // Keep only the views the chosen members read, renumbered.
  const usedViews = [...new Set(chosenInternal.map((m) => pool.members[m]!.view))].sort((a, b) => a - b);
  const final = {
    views: usedViews.map((v) => pool.views[v]!),
    members: chosenInternal.map((m) => ({
      ...pool.members[m]!,
      view: usedViews.indexOf(pool.members[m]!.view),
    })),
    seed: config.seed,
  };
  const all = examples.map((_, row) => row);
  const external: ExternalLink[] = chosenExternal.map((m) => {
    const scorer = externals[m - internal]!;
    return {
      name: scorer.name,
      labels: [...scorer.labels],
      mapping: fitLink(externalScores[m - internal]!, data.labels, all, classes, scorer.labels.length),
    };
  });
  progress('training on all examples');
  const { idf, members } = trainMembers(
    { counts: usedViews.map((v) => data.counts[v]!), labels: data.labels },
    all,
    classes,
    final,
  );
  return {
    format: MODEL_FORMAT,
    labels,
    config: { ...config, views: final.views, members: final.members },
    idf,
    members,
    stacker,
    trainedOn: { examples: examples.length },
    ...(external.length ? { external } : {}),
    ...(selection ? { selection } : {}),
  };
}

/**
 * A reusable predictor: holds the feature counters' scratch space, so one instance serves many
 * texts quickly. Not safe to share between concurrent calls (it is synchronous, so in Node it is).
 */
export function createPredictor(
  model: TriageModel,
  threshold = model.config.threshold,
  externals: readonly ExternalScorer[] = [],
) {
  const counters = model.config.views.map((spec) => new FeatureCounter(spec));
  const classes = model.labels.length;
  const links = (model.external ?? []).map((link) => ({ link, scorer: scorerFor(link, externals) }));
  const memberMargins = [...model.members, ...links].map(() => new Float64Array(classes));
  const probabilities = new Float64Array(classes);
  const internal = model.members.length;
  return (title: string | undefined, content: string): Prediction => {
    const text = prepareText(title, content);
    const docs = counters.map((counter, v) => weigh(counter.count(text), model.idf[v]!));
    model.config.members.forEach((member, m) => {
      margins(model.members[m]!, docs[member.view]!, memberMargins[m]);
    });
    links.forEach(({ link, scorer }, e) => {
      linkMargins(link.mapping, scorer.score(title, content), classes, memberMargins[internal + e]);
    });
    stackedProbabilities(model.stacker, memberMargins, probabilities);
    const ranked = model.labels
      .map((label, k) => ({ label, confidence: probabilities[k]! }))
      .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1));
    return { ranked, needsHuman: ranked[0]!.confidence < threshold };
  };
}
