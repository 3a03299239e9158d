import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo. The JSON report lets .ci/run print the plain summary line.
export default defineConfig({
  test: {
    include: ['apps/server/src/**/*.test.ts', 'apps/server/test/**/*.test.ts', 'packages/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.DOORSTEP_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.DOORSTEP_TEST_REPORT ? { json: process.env.DOORSTEP_TEST_REPORT } : undefined,
  },
});
