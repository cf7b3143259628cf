// Prints one line `N passed, N failed` over the Vitest JSON reports given as arguments (one per runtime), with
// each runtime's figures after it. A report that is missing or records a run that did not succeed (unhandled
// errors, a crashed worker) counts as one failure even when every test passed, so the line never says 0 failed
// for a red run. Exits 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const parts = [];
for (const arg of process.argv.slice(2)) {
  const [label, file, exitCode] = arg.split('=');
  if (!file || !existsSync(file)) {
    failed += 1;
    parts.push(`${label}: no report`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  let f = report.numFailedTests ?? 0;
  let extra = '';
  if (f === 0 && (report.success === false || (exitCode !== undefined && exitCode !== '0'))) {
    f = 1;
    extra = ', run not clean (unhandled errors or failed suites)';
  }
  passed += p;
  failed += f;
  parts.push(`${label}: ${p} passed, ${f} failed${extra}`);
}
console.log(`${passed} passed, ${failed} failed (${parts.join('; ')})`);
process.exit(failed === 0 ? 0 : 1);
