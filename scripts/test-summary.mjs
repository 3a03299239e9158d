// Sums Vitest's JSON reports of the CI runs into the plain closing line "N passed, N failed[, N skipped]".
// A run that stopped before Vitest wrote its report (type or lint errors) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
for (let i = 0; i < args.length; i += 2) {
  const file = args[i];
  const status = Number(args[i + 1]);
  if (status !== 0) exitCode = 1;
  if (!existsSync(file)) {
    console.log(`${file}: no test report (the run stopped before the tests)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests > 0 || report.numFailedTestSuites > 0) exitCode = 1;
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode);
