import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import {
  createStore,
  REPO_ROOT,
  removeDir,
  spawnNode,
  stopAll,
  tempDir,
} from '../apps/server/test/support/processes.ts';

/**
 * `npm run bench -- --smoke` end to end, so the script keeps working: a 2,000-appeal seed, every
 * scenario for 2 s through its baseline and the HTTP API. Figures from a smoke run mean nothing
 * (CI is busy and the database tiny); this checks that each scenario ran, answered 2xx, and that
 * its baseline and plans were written. The real runs are by hand (bench/README.md).
 */
const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCENARIOS = [
  'intake',
  'track',
  'list-district',
  'list-subdistrict',
  'list-community',
  'detail',
  'dispatch',
  'stats',
];

afterAll(stopAll);

test('npm run bench -- --smoke measures every scenario against its baseline', {
  timeout: 300_000,
}, async () => {
  const store = await createStore();
  const out = tempDir('doorstep-bench-');
  try {
    const args = ['bench/run.ts', '--smoke', '--out', out, '--data-dir', store.dataDir, '--connections', '4'];
    if (store.testDb?.url) args.push('--database-url', store.testDb.url);
    const child = spawnNode(TSX, args, {});
    const exit = await child.waitForExit(280_000);
    expect(exit.code, child.stderr()).toBe(0);

    const kind = store.testDb ? 'postgres' : 'pglite';
    const date = new Date().toISOString().slice(0, 10);
    const report = JSON.parse(readFileSync(path.join(out, `${date}-${kind}-2000-smoke.json`), 'utf8'));
    expect(report).toMatchObject({ database: kind, rows: 2000, connections: 4, durationSeconds: 2 });
    expect(report.appealRows).toBeGreaterThanOrEqual(2000);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.offline.demoDistrictMs).toBeGreaterThan(0);
    expect(report.scenarios.map((s: { name: string }) => s.name)).toEqual(SCENARIOS);
    for (const s of report.scenarios) {
      expect(s.requests, s.name).toBeGreaterThan(0);
      expect(s.non2xx + s.errors, `${s.name}: ${child.stderr()}`).toBe(0);
      expect(s.baselinePerSec, s.name).toBeGreaterThan(0);
      expect(s.baselineStatements, s.name).toBeGreaterThan(0);
      expect(s.ratio, s.name).toBeCloseTo(s.reqPerSec / s.baselinePerSec, 2);
    }
    // The plans of the hot reads, and the table a person reads.
    const plans = readFileSync(path.join(out, `${date}-${kind}-2000-smoke-explain.txt`), 'utf8');
    for (const name of ['track', 'list-district', 'detail', 'stats'])
      expect(plans).toContain(`-- ${name} · statement`);
    expect(plans).toMatch(/Execution Time/);
    expect(child.stdout()).toMatch(/scenario\s+req\/s\s+p50 ms\s+p99 ms/);
  } finally {
    await store.close();
    removeDir(out);
  }
});
