import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPredictor, deserializeModel } from './classifier/index.ts';

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

export type DomainPredictor = (
  title: string | undefined,
  content: string,
) => { label: string; confidence: number };

/**
 * Loads the model once, on first use (4 MB, ~100 ms); null when the file is missing, so a build
 * without it still takes appeals — every one of them then needs a person.
 */
export function createDomainModel(file = DOMAIN_MODEL_FILE) {
  let predictor: DomainPredictor | null | undefined;
  return (): DomainPredictor | null => {
    if (predictor !== undefined) return predictor;
    if (!existsSync(file)) {
      predictor = null;
      return predictor;
    }
    const predict = createPredictor(deserializeModel(readFileSync(file)));
    predictor = (title, content) => predict(title, content).ranked[0]!;
    return predictor;
  };
}
