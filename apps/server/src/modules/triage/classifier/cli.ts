import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DatasetError, readJsonlFiles, TEXT_VARIANTS, type TextVariant, textVariant } from './dataset.ts';
import { crossValidate, evaluateModel } from './evaluation.ts';
import { DEFAULT_CONFIG, LEARNERS, TrainingError, trainClassifier } from './model.ts';
import { deserializeModel, ModelFileError, serializeModel } from './serialize.ts';

/**
 * `doorstep triage train|eval|cv` — the classifier's stable evaluation interface. These commands
 * work on files only and never open the database, so they run anywhere the code is checked out.
 * Each prints exactly one JSON object on stdout; progress goes to stderr.
 */

const collect = (value: string, previous: string[]) => [...previous, value];
const progress = (message: string) => console.error(`triage: ${message}`);

function number(name: string, value: string, check: (n: number) => boolean): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || !check(parsed)) throw new DatasetError(`invalid ${name}: ${value}`);
  return parsed;
}

function dataFiles(files: string[]): string[] {
  if (files.length === 0) throw new DatasetError('give at least one --data FILE.jsonl');
  return files;
}

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T))
    throw new DatasetError(`invalid ${name}: ${value} (one of ${allowed.join(', ')})`);
  return value as T;
}

const LEARNER_NAMES = Object.keys(LEARNERS) as (keyof typeof LEARNERS)[];
const LEARNER_HELP =
  'select (members chosen by out-of-fold scores) | fixed (NBSVM + SVM on character 1–2-grams) | baseline (TF-IDF + one linear SVM)';

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1e5) / 10;
}

/** Known failures become one clear line and exit code 1; anything else is a bug and keeps its stack. */
function run(work: () => void): void {
  try {
    work();
  } catch (error) {
    const known =
      error instanceof DatasetError ||
      error instanceof TrainingError ||
      error instanceof ModelFileError ||
      (error as NodeJS.ErrnoException)?.code === 'ENOENT';
    if (!known) throw error;
    console.error(`doorstep triage: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

/** Registers `doorstep triage …` and returns it, for the commands that need the database. */
export function registerTriageCommands(program: Command): Command {
  const triage = program
    .command('triage')
    .description('the appeal category classifier: train, evaluate, cross-validate (files only)');

  triage
    .command('train')
    .description('train a model from labelled JSONL ({content, title?, label} per line)')
    .option('--data <file>', 'labelled JSONL; repeat to join several files', collect, [])
    .requiredOption('--out <file>', 'where to write the model')
    .option('--seed <n>', 'random seed', '1')
    .option(
      '--threshold <p>',
      'confidence below which an appeal needs a human',
      String(DEFAULT_CONFIG.threshold),
    )
    .option('--learner <name>', LEARNER_HELP, 'select')
    .action((options) =>
      run(() => {
        const learner = choice('--learner', options.learner, LEARNER_NAMES);
        const examples = readJsonlFiles(dataFiles(options.data));
        const started = performance.now();
        const cpu = process.cpuUsage();
        const model = trainClassifier(
          examples,
          {
            ...LEARNERS[learner],
            seed: number('--seed', options.seed, Number.isInteger),
            threshold: number('--threshold', options.threshold, (p) => p >= 0 && p <= 1),
          },
          progress,
        );
        const bytes = serializeModel(model);
        writeFileSync(options.out, bytes);
        console.log(
          JSON.stringify({
            model: options.out,
            bytes: bytes.length,
            examples: examples.length,
            labels: model.labels,
            learner,
            members: model.selection?.chosen.map((m) => model.selection!.candidates[m]!.name),
            trainSeconds: Math.round((performance.now() - started) / 100) / 10,
            cpuSeconds: cpuSeconds(cpu),
          }),
        );
      }),
    );

  triage
    .command('eval')
    .description('score a model on labelled JSONL; prints accuracy, macro-F1, per-label figures')
    .requiredOption('--model <file>', 'a model written by `triage train`')
    .option('--data <file>', 'labelled JSONL; repeat to join several files', collect, [])
    .option('--threshold <p>', 'override the model’s needs-a-human threshold')
    .action((options) =>
      run(() => {
        const model = deserializeModel(readFileSync(options.model));
        const examples = readJsonlFiles(dataFiles(options.data));
        const threshold =
          options.threshold === undefined
            ? undefined
            : number('--threshold', options.threshold, (p) => p >= 0 && p <= 1);
        console.log(JSON.stringify(evaluateModel(model, examples, threshold)));
      }),
    );

  triage
    .command('cv')
    .description('stratified k-fold cross-validation of the training procedure')
    .option('--data <file>', 'labelled JSONL; repeat to join several files', collect, [])
    .option('--folds <k>', 'number of folds', '5')
    .option('--seed <n>', 'random seed (folds and training)', '1')
    .option('--text <variant>', `which text to learn from: ${TEXT_VARIANTS.join(' | ')}`, 'full')
    .option('--learner <name>', LEARNER_HELP, 'select')
    .action((options) =>
      run(() => {
        const variant = choice<TextVariant>('--text', options.text, TEXT_VARIANTS);
        const learner = choice(
          '--learner',
          options.learner,
          Object.keys(LEARNERS) as (keyof typeof LEARNERS)[],
        );
        const examples = textVariant(readJsonlFiles(dataFiles(options.data)), variant);
        const cpu = process.cpuUsage();
        const result = crossValidate(
          examples,
          {
            folds: number('--folds', options.folds, (k) => Number.isInteger(k) && k >= 2),
            seed: number('--seed', options.seed, Number.isInteger),
            config: LEARNERS[learner],
          },
          progress,
        );
        console.log(JSON.stringify({ ...result, text: variant, learner, cpuSeconds: cpuSeconds(cpu) }));
      }),
    );
  return triage;
}
