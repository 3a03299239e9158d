import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take a minute or more (they spawn servers, the CLI, a browser, or the benchmark). On a
 * clean checkout Vitest knows no durations and starts large files first; these are small files, so
 * they started last and the run waited on them alone with the other worker idle. Starting them
 * first is longest-job-first scheduling: CI's first pass ended about a minute sooner.
 */
const SLOW_FIRST = [
  'bench/bench.test.ts',
  'apps/server/test/cli.test.ts',
  'apps/server/test/server-process.test.ts',
  'apps/server/test/open311-keys.test.ts',
  'apps/server/test/backup.test.ts',
  'apps/server/test/data-key.test.ts',
  'apps/e2e/console.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((file) => spec.moduleId.endsWith(file));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the base order (durations once known) holds within each rank.
    return sorted.sort((a, b) =>
      rank(a) === SLOW_FIRST.length && rank(b) === SLOW_FIRST.length ? 0 : rank(a) - rank(b),
    );
  }
}
