// `npm run fuzz -- --runs 10000 [--seed 20261206]`: the long hostile-input campaign. It runs the
// same properties CI runs (apps/server/test/fuzz-api.test.ts) with a budget of `--runs` cases in all,
// shared among every route of the API and Open311, and prints how many cases were sent and what
// failed. TEST_DATABASE_URL=postgres://… runs it on PostgreSQL, as in CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261206' } },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);

const work = mkdtempSync(path.join(tmpdir(), 'doorstep-fuzz-'));
const report = path.join(work, 'report.json');
const results = path.join(work, 'vitest.json');
const started = Date.now();
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    'apps/server/test/fuzz-api.test.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      DOORSTEP_FUZZ_CASES: String(runs),
      DOORSTEP_FUZZ_SEED: String(seed),
      DOORSTEP_FUZZ_REPORT: report,
      // The campaign needs no browser app.
      DOORSTEP_WEB_BUILD: 'skip',
    },
  },
);

const read = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};
const done = read(report);
const tests = read(results);
const failed = (tests?.testResults ?? []).flatMap((file) =>
  (file.assertionResults ?? [])
    .filter((t) => t.status === 'failed')
    .map((t) => ({ title: t.fullName, why: t.failureMessages?.[0]?.split('\n').slice(0, 6).join('\n') })),
);
rmSync(work, { recursive: true, force: true });
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
console.log(
  `\nfuzz: ${done?.cases ?? 0} cases sent (seed ${seed}, ${done?.runsPerProperty ?? '?'} runs per property, ${database}, ${minutes} min)`,
);
console.log(`fuzz: ${failed.length} failures`);
for (const failure of failed) console.log(`\n✗ ${failure.title}\n${failure.why ?? ''}`);
process.exit(run.status === 0 && failed.length === 0 ? 0 : 1);
