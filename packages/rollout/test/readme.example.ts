import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedFleet, formatSummary, runRollout } from '@fleet/rollout';

// Simulated nodes (a test double) stand in for `createSshPool(…).executor(…)` from @fleet/exec.
const fleet = createSimulatedFleet({ nodes: { 'web-2': { update: 'reboot' } } });
const stateDir = mkdtempSync(join(tmpdir(), 'rollout-')); // SQLite progress, lock file, per-node logs
const result = await runRollout({
  cluster: 'prod',
  targets: [1, 2, 3, 4, 5, 6].map((i) => ({ name: `web-${i}`, rack: `r${i % 3}` })),
  executorFor: (node) => fleet.executorFor(node),
  batches: [1, 2, '50%'], // a canary, then growing batches
  maxPerRack: 1, // never two nodes of one rack at once
  stateDir, // run it again after a crash or a halt: it resumes, never repeating a node
});
console.log(formatSummary(result));
rmSync(stateDir, { recursive: true });
// prints: of prod: done
// prints: done 6, failed 0, running 0, interrupted 0, pending 0
