import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './vitest.sequencer.ts';

// One runner for the whole monorepo. The JSON report lets .ci/run print the plain summary line.
export default defineConfig({
  test: {
    include: [
      'apps/server/src/**/*.test.ts',
      'apps/server/test/**/*.test.ts',
      'apps/e2e/**/*.test.ts',
      'packages/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Browser tests serve the built web apps: build them once per run.
    globalSetup: ['./apps/e2e/support/build-web.ts'],
    sequence: { sequencer: SlowFirstSequencer },
    pool: 'forks',
    // Each worker imports the server's modules once for all its files, not once per file (the
    // imports were ~260 s of CI's first pass). Every file builds its own harness and database.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.DOORSTEP_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.DOORSTEP_TEST_REPORT ? { json: process.env.DOORSTEP_TEST_REPORT } : undefined,
  },
});
