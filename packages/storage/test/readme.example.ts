import { createScriptedExecutor } from '@fleet/exec';
import { type CurrentState, type Inventory, applyPlan, computeProfile, diffLayout, planLayout } from '@fleet/storage';

// On a node: inventoryFromLsblk((await node.run('lsblk', ['-J', '-b', '-O'])).stdout) and readCurrentState(node).
const ssd = (path: string, transport: string, sizeBytes: number) => ({ path, transport, sizeBytes, rotational: false });
const inventory: Inventory = {
  hostname: 'cmp-17',
  disks: [ssd('/dev/sda', 'sata', 480e9), ssd('/dev/nvme0n1', 'nvme', 3.84e12), ssd('/dev/nvme1n1', 'nvme', 3.84e12)],
};
// What the node has now: blank disks (the OS disk is left alone whatever is on it).
const current: CurrentState = {
  blockDevices: [],
  devices: Object.fromEntries(inventory.disks.map((d) => [d.path, { path: d.path, signatures: [], partitions: [] }])),
  ...{ physicalVolumes: [], volumeGroups: [], logicalVolumes: [], mounts: [], fstab: [] },
};
const layout = planLayout(inventory, computeProfile()); // disks chosen by transport, size, model — never /dev/sdX
const plan = diffLayout(layout, current);
// A dry run prints the commands and runs nothing; the scripted executor (a test double) would refuse any call.
const preview = await applyPlan(createScriptedExecutor([]), plan);
console.log(`system disk ${layout.systemDisk.path}`);
console.log(preview.text);
// After review: await applyPlan(node, plan, { dryRun: false, allowDestructive: true });
// prints: system disk /dev/sda
// prints: 9 step(s), 6 destructive
// prints: $ vgcreate --addtag fleet fleet-instances /dev/nvme0n1 /dev/nvme1n1
