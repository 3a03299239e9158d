/**
 * How long a district's item model takes to train (issue #22): `doorstep triage retrain` trains
 * one per district, as the product does it (2^15 features, selection over ten candidates, the
 * domain model offered to the stack, 3-fold evaluation then the model), on a many-label set.
 *
 * No district's own data is in the repository, so the labels are made: each 泰迪杯 message's
 * domain label split into `--per-domain` sub-labels by a seeded draw (7 × 21 = 147, about
 * Guangming's item count). The texts are real; the sub-labels carry no signal beyond the domain,
 * so the macro-F1 printed says nothing about accuracy — this measures time, memory and model size.
 *
 *   npx tsx bench/triage-items.ts [--per-domain 21] [--rows 3000] [--text first-40|full]
 * Prints one JSON object.
 */
import { parseArgs } from 'node:util';
import { textVariant } from '../apps/server/src/modules/triage/classifier/dataset.ts';
import {
  crossValidate,
  readJsonlFiles,
  serializeModel,
  trainClassifier,
} from '../apps/server/src/modules/triage/classifier/index.ts';
import { createRandom, shuffleInPlace } from '../apps/server/src/modules/triage/classifier/random.ts';
import { createDomainModel } from '../apps/server/src/modules/triage/triage.domain.ts';
import { ITEM_CONFIG } from '../apps/server/src/modules/triage/triage.items.ts';

const { values } = parseArgs({
  options: {
    'per-domain': { type: 'string', default: '21' },
    rows: { type: 'string', default: '3000' },
    text: { type: 'string', default: 'first-40' },
  },
});
const perDomain = Number(values['per-domain']);
const D = '../shared/data/appeals-teddy2020';
const random = createRandom(20261207);
const all = shuffleInPlace(readJsonlFiles([`${D}/train.jsonl`, `${D}/train-content-only.jsonl`]), random);
const examples = textVariant(
  all.slice(0, Number(values.rows)),
  values.text === 'full' ? 'full' : 'first-40',
).map((example) => ({ ...example, label: `${example.label}-${random.int(1, perDomain)}` }));
const scorer = createDomainModel().scorer();
const externals = scorer ? [scorer] : [];

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;
let started = performance.now();
const evaluation = crossValidate(examples, { folds: 3, seed: 1, config: ITEM_CONFIG, externals });
const evaluateSeconds = seconds(started);
started = performance.now();
const model = trainClassifier(examples, { ...ITEM_CONFIG, seed: 1 }, undefined, externals);
const trainSeconds = seconds(started);
console.log(
  JSON.stringify({
    examples: examples.length,
    labels: new Set(examples.map((e) => e.label)).size,
    text: values.text,
    evaluateSeconds,
    trainSeconds,
    modelBytes: serializeModel(model).length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    chosen: model.selection?.chosen.map((m) => model.selection!.candidates[m]!.name),
    msPerItem: evaluation.msPerItem,
    macroF1OfMadeLabels: evaluation.macroF1,
  }),
);
