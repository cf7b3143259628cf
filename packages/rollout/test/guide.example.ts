import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedFleet, formatSummary, runRollout } from '@fleet/rollout';

export async function main(stateDir = mkdtempSync(join(tmpdir(), 'rollout-'))): Promise<string> {
  // Simulated nodes stand in for `createSshPool(…).executor(…)` from @fleet/exec.
  const fleet = createSimulatedFleet({ nodes: { 'web-2': { update: 'reboot' } } });
  const result = await runRollout({
    cluster: 'prod',
    targets: [1, 2, 3, 4, 5, 6].map((i) => ({ name: `web-${i}`, rack: `r${i % 3}` })),
    executorFor: (node) => fleet.executorFor(node),
    batches: [1, 2, '50%'], // a canary, then growing batches
    maxPerRack: 1, // never two nodes of one rack at once
    stateDir, // SQLite progress, lock file, per-node logs
  });
  console.log(formatSummary(result));
  return result.state; // 'done'
}
