import type { Db, Queryable } from '../../db/db.ts';
import type { Journal } from '../../platform/journal/index.ts';
import {
  type ClassifierConfig,
  createPredictor,
  crossValidate,
  deserializeModel,
  ExternalScorerError,
  serializeModel,
  trainClassifier,
} from './classifier/index.ts';
import type { DomainModel } from './triage.domain.ts';
import { createItemModelRepository, createTrainingRepository } from './triage.repository.ts';

/** An item is learnt once the district has this many finished appeals of it. */
export const MIN_ITEM_EXAMPLES = 10;
/** How long a server trusts its copy of the active models before asking for newer versions. */
const REFRESH_MS = 60_000;
/**
 * A district has up to ~150 items: 2^15 hashed features keep a model of that many classes to a few
 * megabytes (the domain model's 2^18 would be ~75 MB).
 */
export const ITEM_CONFIG: Partial<ClassifierConfig> = {
  views: [{ bits: 15, charN: 2, title: true, lead: 100 }],
};

type Predict = (title: string | undefined, content: string) => { label: string; confidence: number }[];

/**
 * The item-level models: trained per district from its own finished appeals (the label is the
 * final category, a dispatcher's 改类 included), evaluated by cross-validation before they are
 * kept, versioned, and used by triage for the top categories.
 */
export function createItemModels(deps: { db: Db; journal: Journal }, domainModel: DomainModel) {
  /** The shipped domain model, offered to each district's training as a member of the stack. */
  const externals = () => {
    const scorer = domainModel.scorer();
    return scorer ? [scorer] : [];
  };

  let cache: {
    at: number;
    models: { districtPath: string; version: number; predict: Predict; names: Map<string, string> }[];
  } = {
    at: -Infinity,
    models: [],
  };

  async function load(now: number) {
    if (now - cache.at < REFRESH_MS) return cache.models;
    const repo = createItemModelRepository(deps.db);
    const rows = await repo.active();
    const models = [];
    for (const row of rows) {
      const known = cache.models.find(
        (m) => m.districtPath === row.districtPath && m.version === row.version,
      );
      if (known) {
        models.push(known);
        continue;
      }
      const stored = (await repo.stored(row.districtPath, row.version))!;
      let predictor: ReturnType<typeof createPredictor>;
      try {
        predictor = createPredictor(deserializeModel(stored.model), undefined, externals());
      } catch (error) {
        // Trained with the domain model, served by a build without its file: no item suggestions
        // rather than a failed intake.
        if (error instanceof ExternalScorerError) continue;
        throw error;
      }
      models.push({
        districtPath: row.districtPath,
        version: row.version,
        predict: ((title, content) => predictor(title, content).ranked) as Predict,
        names: new Map(stored.labels.map((l) => [l.code, l.name])),
      });
    }
    cache = { at: now, models };
    return models;
  }

  const models = {
    /** The top three items for a text in the area at `areaPath`, when its district has a model. */
    async categories(areaPath: string | undefined, title: string | undefined, content: string, now: Date) {
      if (!areaPath) return [];
      const model = (await load(now.getTime())).find((m) => areaPath.startsWith(m.districtPath));
      if (!model) return [];
      return model
        .predict(title, content)
        .slice(0, 3)
        .map((r) => ({
          code: r.label,
          label: model.names.get(r.label) ?? r.label,
          confidence: Math.round(r.confidence * 1000) / 1000,
        }));
    },

    /**
     * Trains the district's next version when it has at least two items with MIN_ITEM_EXAMPLES
     * finished appeals each; returns its evaluation, or null when there is not enough to learn from.
     */
    async train(tx: Queryable, district: { id: number; path: string }, now: Date) {
      const rows = await createTrainingRepository(tx).finishedSince(null, district.path);
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
      const kept = rows.filter((row) => (counts.get(row.label) ?? 0) >= MIN_ITEM_EXAMPLES);
      const labels = [...new Set(kept.map((row) => row.label))].sort();
      if (labels.length < 2) return null;
      // One order whatever order the rows came in (appeals submitted in the same instant tie on
      // submitted_at and then order by a random id): the folds, and so the model, depend only on
      // which examples there are.
      const examples = kept
        .map((row) => ({ title: row.title, content: row.content, label: row.label }))
        .sort(
          (a, b) =>
            (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
            (a.content < b.content ? -1 : a.content > b.content ? 1 : 0) ||
            (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
        );
      const evaluation = crossValidate(examples, {
        folds: 3,
        seed: 1,
        config: ITEM_CONFIG,
        externals: externals(),
      });
      const model = trainClassifier(examples, { ...ITEM_CONFIG, seed: 1 }, undefined, externals());
      const names = new Map(kept.map((row) => [row.label, row.labelName]));
      const version = await createItemModelRepository(tx).insertActive({
        districtId: district.id,
        districtPath: district.path,
        model: serializeModel(model),
        labels: labels.map((code) => ({ code, name: names.get(code) ?? code })),
        evaluation,
        examples: examples.length,
        now,
      });
      await deps.journal.append(tx, {
        stream: 'triage:models',
        action: 'triage.model_trained',
        subjectType: 'org',
        subjectId: String(district.id),
        data: { version, examples: examples.length, labels: labels.length, macroF1: evaluation.macroF1 },
      });
      return { version, examples: examples.length, labels: labels.length, evaluation };
    },

    /**
     * Trains every district's next version: `doorstep triage retrain`, run daily from cron in its
     * own process — training is synchronous and would hold a server's event loop for its duration.
     */
    async trainAll(tx: Queryable, now: Date) {
      const districts = await createItemModelRepository(tx).districts();
      const results = [];
      for (const district of districts) {
        const trained = await models.train(tx, district, now);
        results.push({
          district: district.name,
          ...(trained
            ? { ...trained, evaluation: undefined, macroF1: trained.evaluation.macroF1 }
            : { trained: false }),
        });
      }
      cache.at = -Infinity;
      return results;
    },
  };
  return models;
}
export type ItemModels = ReturnType<typeof createItemModels>;
