/** The triage category classifier: what other code (the triage module, jobs, the CLI) may use. */
export { DatasetError, type Example, parseJsonl, readJsonlFiles, stratifiedFolds } from './dataset.ts';
export { type CrossValidation, crossValidate, evaluateModel } from './evaluation.ts';
export { type ExternalScorer, ExternalScorerError } from './external.ts';
export type { Evaluation, LabelFigures } from './metrics.ts';
export {
  type ClassifierConfig,
  createPredictor,
  DEFAULT_CONFIG,
  type Prediction,
  type RankedLabel,
  TrainingError,
  type TriageModel,
  trainClassifier,
} from './model.ts';
export { deserializeModel, ModelFileError, serializeModel } from './serialize.ts';
