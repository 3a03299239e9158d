import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createPredictor,
  deserializeModel,
  type ExternalScorer,
  type TriageModel,
} from './classifier/index.ts';

/**
 * The domain model shipped with the code (`apps/server/data/triage-domain.model`, rebuilt from
 * the shared data by `npm run triage:model`): the 7 first-level labels of the 泰迪杯 2020 appeals,
 * each mapped to the competences of the departments that handle such matters.
 */
export const DOMAIN_MODEL_FILE = fileURLToPath(new URL('../../../data/triage-domain.model', import.meta.url));

export const DOMAIN_COMPETENCES: Record<string, readonly string[]> = {
  城乡建设: ['housing', 'planning', 'city_management'],
  环境保护: ['environment'],
  交通运输: ['transport'],
  教育文体: ['education'],
  劳动和社会保障: ['labour'],
  商贸旅游: ['market'],
  卫生计生: ['health'],
};

/** The name an item model's file gives the domain model when it stacks it. */
export const DOMAIN_SCORER = 'doorstep-domain';

export type DomainPredictor = (
  title: string | undefined,
  content: string,
) => { label: string; confidence: number };

/**
 * Loads the model once, on first use (4 MB, ~100 ms); null when the file is missing, so a build
 * without it still takes appeals — every one of them then needs a person. `scorer` gives its whole
 * distribution, for the district item models that stack it (classifier/external.ts).
 */
export function createDomainModel(file = DOMAIN_MODEL_FILE) {
  let model: TriageModel | null | undefined;
  let predictor: DomainPredictor | null | undefined;
  let scorer: ExternalScorer | null | undefined;
  const load = () => {
    if (model === undefined) model = existsSync(file) ? deserializeModel(readFileSync(file)) : null;
    return model;
  };
  return {
    predict(): DomainPredictor | null {
      if (predictor !== undefined) return predictor;
      const loaded = load();
      const predict = loaded && createPredictor(loaded);
      predictor = predict && ((title, content) => predict(title, content).ranked[0]!);
      return predictor;
    },
    scorer(): ExternalScorer | null {
      if (scorer !== undefined) return scorer;
      const loaded = load();
      if (!loaded) {
        scorer = null;
        return scorer;
      }
      const predict = createPredictor(loaded);
      const labels = loaded.labels;
      scorer = {
        name: DOMAIN_SCORER,
        labels,
        score(title, content) {
          const out = new Float64Array(labels.length);
          for (const { label, confidence } of predict(title, content).ranked)
            out[labels.indexOf(label)] = confidence;
          return out;
        },
      };
      return scorer;
    },
  };
}
export type DomainModel = ReturnType<typeof createDomainModel>;
