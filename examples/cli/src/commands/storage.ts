import { type Executor, type FleetError, isFleetError } from '@fleet/core';
import type { CurrentState, DeviceState, Inventory, StoragePlan, StorageProfile } from '@fleet/storage';

type StoragePackage = typeof import('@fleet/storage');
const storagePackage = (): Promise<StoragePackage> => import('@fleet/storage');

import { type Command, type CommandContext, printJson, readJsonFile, str } from '../command.js';
import { CliError, configError, usageError } from '../errors.js';
import { EXECUTOR_OPTIONS, executorFor } from '../executor.js';
import { oneOf, requireFlag } from '../flags.js';

/** The package names its options; the person at the shell needs the flags that set them. */
const OVERRIDE_FLAGS: Record<string, string> = {
  allowDestructive: '--yes-destroy',
  allowSystemDisk: '--yes-destroy-system-disk',
  allowForeignData: '--yes-destroy-foreign-data',
};

function refusalInFlags(error: FleetError): CliError {
  const message = error.message
    .replace(/\b(allowDestructive|allowSystemDisk|allowForeignData)\b/g, (name) => OVERRIDE_FLAGS[name] ?? name)
    .replace(/(--yes-destroy[a-z-]*) (?=step \d)/g, '$1; ');
  return new CliError(error.code, `${message} (with --execute)`, { input: 'usage', cause: error });
}

const PROFILES = ['controller', 'compute', 'storage'] as const;
type ProfileName = (typeof PROFILES)[number];

function profileFrom(ctx: CommandContext, pkg: StoragePackage): StorageProfile {
  const name = requireFlag(ctx.values, 'profile', `one of ${PROFILES.join(', ')}, or a profile JSON file`);
  if (name.endsWith('.json')) return readJsonFile(ctx.io.cwd, name, 'profile') as StorageProfile;
  const known = oneOf(name, PROFILES, '--profile') as ProfileName;
  if (known === 'controller') return pkg.controllerProfile();
  return known === 'compute' ? pkg.computeProfile() : pkg.storageProfile();
}

/**
 * Devices no layout can use, left out of `lsblk` output with the reason: zram (compressed RAM, often
 * unconfigured and 0 bytes), loop devices without a backing file, and anything of zero size.
 */
export function withoutVirtualDevices(value: { blockdevices: unknown[] }): {
  value: { blockdevices: unknown[] };
  skipped: string[];
} {
  const skipped: string[] = [];
  const kept = value.blockdevices.filter((raw) => {
    const d = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = typeof d.name === 'string' ? d.name : '?';
    const path = typeof d.path === 'string' ? d.path : `/dev/${name}`;
    const size = Number(d.size ?? 0);
    let why: string | undefined;
    if (/^zram\d+$/.test(name)) why = 'zram: compressed RAM, not a disk';
    else if (d.type === 'loop' && !d['back-file']) why = 'loop device without a backing file';
    else if (!(size > 0)) why = 'zero size';
    if (why) skipped.push(`${path} (${why})`);
    return why === undefined;
  });
  return { value: { ...value, blockdevices: kept }, skipped };
}

/** An inventory file holds either `{ hostname?, disks: [...] }` or the raw `lsblk -J -b -O` output. */
function inventoryFrom(
  pkg: StoragePackage,
  value: unknown,
  hostname: string | undefined,
  skipped: string[],
): Inventory {
  if (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { blockdevices?: unknown }).blockdevices)
  ) {
    const usable = withoutVirtualDevices(value as { blockdevices: unknown[] });
    skipped.push(...usable.skipped);
    return pkg.inventoryFromLsblk(JSON.stringify(usable.value), hostname ? { hostname } : {});
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as Inventory).disks)) {
    throw configError('the inventory file must hold { "disks": [...] } or the output of lsblk -J -b -O');
  }
  const inv = value as Inventory;
  return hostname ? { ...inv, hostname } : inv;
}

/** Without a node to read, every disk is taken as blank: the plan for a freshly racked machine. */
function blankState(inventory: Inventory): CurrentState {
  const devices: Record<string, DeviceState> = {};
  for (const d of inventory.disks) devices[d.path] = { path: d.path, signatures: [], partitions: [] };
  return {
    blockDevices: inventory.disks.map((d) => ({
      name: d.path.replace(/^\/dev\//, ''),
      path: d.path,
      type: 'disk',
      sizeBytes: d.sizeBytes,
      rotational: d.rotational,
      mountpoints: [],
      children: [],
    })),
    devices,
    physicalVolumes: [],
    volumeGroups: [],
    logicalVolumes: [],
    mounts: [],
    fstab: [],
  };
}

async function buildPlan(
  ctx: CommandContext,
  pkg: StoragePackage,
  executor: Executor | undefined,
): Promise<{ plan: StoragePlan; assumedBlank: boolean; skipped: string[] }> {
  const hostname = str(ctx.values, 'hostname');
  const inventoryFile = str(ctx.values, 'inventory');
  const skipped: string[] = [];
  let inventory: Inventory;
  if (inventoryFile)
    inventory = inventoryFrom(pkg, readJsonFile(ctx.io.cwd, inventoryFile, 'inventory'), hostname, skipped);
  else if (executor) {
    const lsblk = await executor.run('lsblk', ['-J', '-b', '-O']);
    if (lsblk.code !== 0)
      throw configError(`lsblk failed on ${executor.target}: ${lsblk.stderr.trim().split('\n')[0] ?? ''}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(lsblk.stdout);
    } catch {
      throw configError(`lsblk on ${executor.target} printed no JSON`);
    }
    inventory = inventoryFrom(pkg, parsed, hostname, skipped);
  } else throw usageError('give --inventory FILE, or --local / --ssh HOST to read the node');
  const layout = pkg.planLayout(inventory, profileFrom(ctx, pkg));
  const stateFile = str(ctx.values, 'state');
  let current: CurrentState;
  let assumedBlank = false;
  if (stateFile) current = readJsonFile(ctx.io.cwd, stateFile, 'state file') as CurrentState;
  else if (executor) {
    const disks = [layout.systemDisk, ...layout.volumeGroups.flatMap((vg) => vg.disks)].map((d) => d.path);
    current = await pkg.readCurrentState(executor, { devices: [...new Set(disks)] });
  } else {
    current = blankState(inventory);
    assumedBlank = true;
  }
  return { plan: pkg.diffLayout(layout, current), assumedBlank, skipped };
}

const PLAN_OPTIONS = {
  inventory: {
    type: 'string',
    arg: 'FILE',
    description: 'disks from a file ({ disks } or lsblk -J -b -O output) instead of reading them',
  },
  profile: {
    type: 'string',
    arg: 'NAME',
    description: 'controller, compute, storage or a profile JSON file (required)',
  },
  state: { type: 'string', arg: 'FILE', description: 'current disk state from a file (default: every disk blank)' },
  hostname: { type: 'string', arg: 'NAME', description: 'host name for the plan (default: from the inventory)' },
  local: { type: 'boolean', description: 'read the disks of this host' },
  ...EXECUTOR_OPTIONS,
} as const;

export const storageCommands: Command[] = [
  {
    name: 'storage plan',
    summary: "plan a node's disk layout from its inventory and a role profile (runs nothing)",
    usage: '--profile controller|compute|storage|FILE.json (--inventory FILE [--state FILE] | --local | --ssh HOST)',
    options: PLAN_OPTIONS,
    examples: [
      'fleet storage plan --inventory cmp-17.lsblk.json --profile compute',
      'fleet storage plan --profile storage --ssh 10.20.0.17 --identity ~/.ssh/fleet --known-hosts ~/.ssh/known_hosts',
    ],
    async run(ctx) {
      const reads = ctx.values.local === true || str(ctx.values, 'ssh') !== undefined;
      const pkg = await storagePackage();
      const { plan, assumedBlank, skipped } = await buildPlan(ctx, pkg, reads ? await executorFor(ctx) : undefined);
      if (ctx.json) printJson(ctx.io, { ...pkg.planToJson(plan), assumedBlank, skipped });
      else {
        for (const s of skipped) ctx.io.out(`(skipped ${s})`);
        if (assumedBlank) ctx.io.out('(no --state, --local or --ssh: every data disk is assumed blank)');
        ctx.io.out(pkg.renderPlanText(plan));
      }
      return 0;
    },
  },
  {
    name: 'storage apply',
    summary: 'apply a storage plan on this host or a node (dry run unless --execute)',
    usage:
      '--profile NAME (--local | --ssh HOST) [--inventory FILE] [--execute] [--yes-destroy] [--yes-destroy-system-disk] [--yes-destroy-foreign-data]',
    options: {
      ...PLAN_OPTIONS,
      execute: { type: 'boolean', description: 'really change the disks (default: dry run)' },
      'yes-destroy': { type: 'boolean', description: 'allow steps that destroy data' },
      'yes-destroy-system-disk': { type: 'boolean', description: 'allow touching the system disk' },
      'yes-destroy-foreign-data': { type: 'boolean', description: 'allow wiping data fleet did not create' },
    },
    examples: [
      'fleet storage apply --profile compute --ssh 10.20.0.17 --identity ~/.ssh/fleet --known-hosts ~/.ssh/known_hosts',
      'fleet storage apply --profile compute --local --execute --yes-destroy',
    ],
    async run(ctx) {
      if (ctx.values.local !== true && str(ctx.values, 'ssh') === undefined)
        throw usageError('storage apply needs --local or --ssh HOST');
      const pkg = await storagePackage();
      const executor = await executorFor(ctx);
      const { plan, skipped } = await buildPlan(ctx, pkg, executor);
      if (!ctx.json) for (const s of skipped) ctx.io.out(`(skipped ${s})`);
      const result = await pkg
        .applyPlan(executor, plan, {
          dryRun: ctx.values.execute !== true,
          allowDestructive: ctx.values['yes-destroy'] === true,
          allowSystemDisk: ctx.values['yes-destroy-system-disk'] === true,
          allowForeignData: ctx.values['yes-destroy-foreign-data'] === true,
        })
        .catch((error: unknown) => {
          throw isFleetError(error) && error.code === 'STORAGE_NOT_ALLOWED' ? refusalInFlags(error) : error;
        });
      if (ctx.json)
        printJson(ctx.io, {
          ...result.json,
          dryRun: result.dryRun,
          done: result.done.length,
          notDone: result.notDone.length,
        });
      else {
        ctx.io.out(result.text);
        ctx.io.out(
          result.dryRun
            ? '(dry run: nothing was changed; add --execute to apply)'
            : `${result.done.length} step(s) done`,
        );
      }
      return 0;
    },
  },
];
