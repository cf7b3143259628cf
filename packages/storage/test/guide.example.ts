import type { Executor } from '@fleet/core';
import {
  applyPlan,
  computeProfile,
  diffLayout,
  inventoryFromLsblk,
  planLayout,
  readCurrentState,
} from '@fleet/storage';

// `node` is any Executor: createLocalExecutor() on the node, or createSshExecutor({ host, … }) against it.
export async function main(node: Executor) {
  const lsblk = await node.run('lsblk', ['-J', '-b', '-O']);
  const layout = planLayout(inventoryFromLsblk(lsblk.stdout, { hostname: 'cmp-17' }), computeProfile());
  const disks = [layout.systemDisk, ...layout.volumeGroups.flatMap((vg) => vg.disks)].map((d) => d.path);
  const plan = diffLayout(layout, await readCurrentState(node, { devices: disks }));
  const preview = await applyPlan(node, plan); // dry run: prints, runs nothing
  console.log(preview.text);
  // After review: await applyPlan(node, plan, { dryRun: false, allowDestructive: true });
  return preview;
}
