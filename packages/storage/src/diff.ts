import { randomUUID } from 'node:crypto';
import { StorageError } from './errors.js';
import type { DesiredLayout, DesiredVolume, DiskRef, PartitionRef } from './model.js';
import { FLEET_MARK } from './model.js';
import { formatBytes } from './plan.js';
import {
  type BlockDeviceNode,
  type CurrentState,
  type DeviceState,
  defaultPartitionPath,
  type FilesystemProbe,
  type PartitionPathResolver,
} from './state.js';

export type StepAction =
  | 'wipefs'
  | 'sgdisk'
  | 'pvcreate'
  | 'vgcreate'
  | 'vgextend'
  | 'lvcreate'
  | 'mkfs.xfs'
  | 'mkdir'
  | 'mount'
  | 'fstab';

/** One command of a plan. Steps run in order; a failed step stops the run. */
export interface PlanStep {
  action: StepAction;
  /** What and why, in an operator's words. */
  description: string;
  command: string;
  args: string[];
  stdin?: string;
  /** Writes to a block device (can destroy data): needs `allowDestructive`. */
  destructive: boolean;
  /** The whole disk the step writes to, when it writes to one. */
  disk?: string;
  /** The disk holds the OS (or is the profile's system disk): needs `allowSystemDisk` as well. */
  systemDisk: boolean;
  /** The disk holds data fleet did not create: needs `allowForeignData` as well. Says what data. */
  foreignData?: string;
}

export interface StoragePlan {
  profile: string;
  hostname?: string;
  layout: DesiredLayout;
  steps: PlanStep[];
}

export interface DiffOptions {
  partitionPath?: PartitionPathResolver;
  /** Default `/etc/fstab`. */
  fstabPath?: string;
  /** UUIDs for new filesystems (tests pass a fixed sequence). */
  newUuid?: () => string;
}

interface DiskAssessment {
  systemDisk: boolean;
  foreign?: string;
  blank: boolean;
  /** An LVM PV without a volume group: holds no data, can be reused as is. */
  orphanPv: boolean;
}

const SYSTEM_MOUNTS = new Set(['/', '/boot', '/boot/efi', '/usr', '/var', '[SWAP]']);
const PARTITION_TABLE_SIGNATURES = new Set(['gpt', 'PMBR', 'dos']);

function findNode(nodes: readonly BlockDeviceNode[], path: string): BlockDeviceNode | undefined {
  for (const node of nodes) {
    if (node.path === path) return node;
    const child = findNode(node.children, path);
    if (child) return child;
  }
  return undefined;
}

function subtreeMounts(node: BlockDeviceNode | undefined): string[] {
  if (!node) return [];
  return [...node.mountpoints, ...node.children.flatMap(subtreeMounts)];
}

function isFleetTagged(tags: readonly string[]): boolean {
  return tags.includes(FLEET_MARK);
}

/** Decides whether a disk is the system disk, holds data fleet did not create, or is blank. */
export function assessDisk(disk: DiskRef, current: CurrentState, layout: DesiredLayout): DiskAssessment {
  const device = current.devices[disk.path];
  if (!device) {
    throw new StorageError(
      'STORAGE_CONFLICT',
      `disk ${disk.path} was not probed: pass it in readCurrentState({ devices }) or check that it still exists`,
      { details: { disk: disk.path } },
    );
  }
  const mounts = subtreeMounts(findNode(current.blockDevices, disk.path));
  const systemDisk = disk.path === layout.systemDisk.path || mounts.some((m) => SYSTEM_MOUNTS.has(m));
  const pv = current.physicalVolumes.find((p) => p.name === disk.path);
  let foreign: string | undefined;
  if (mounts.length > 0) foreign = `mounted at ${mounts.join(', ')}`;
  else if (device.partitions.length > 0) {
    const other = device.partitions.find((p) => !p.name?.startsWith(`${FLEET_MARK}-`));
    if (other) foreign = `partition ${other.number}${other.name ? ` (${other.name})` : ''} was not created by fleet`;
  } else if (pv?.vgName && !isFleetTagged(pv.vgTags)) {
    foreign = `LVM physical volume of volume group ${pv.vgName}, not created by fleet`;
  } else if (!pv) {
    const data = device.signatures.filter((s) => !PARTITION_TABLE_SIGNATURES.has(s.type));
    if (data.length > 0) {
      foreign = data.map((s) => `${s.type}${s.uuid ? ` ${s.uuid}` : ''} at offset ${s.offset}`).join(', ');
    }
  }
  return {
    systemDisk,
    ...(foreign !== undefined ? { foreign } : {}),
    blank: device.signatures.length === 0 && device.partitions.length === 0 && !pv,
    orphanPv: pv !== undefined && pv.vgName === undefined,
  };
}

/**
 * The ordered steps that turn the current state into the desired layout. Pure apart from new UUIDs.
 * Everything already as desired yields no step, so diffing the result of an apply gives an empty plan.
 */
export function diffLayout(desired: DesiredLayout, current: CurrentState, options: DiffOptions = {}): StoragePlan {
  const partitionPath = options.partitionPath ?? defaultPartitionPath;
  const fstabPath = options.fstabPath ?? '/etc/fstab';
  const newUuid = options.newUuid ?? randomUUID;
  const steps: PlanStep[] = [];
  const usedMounts = new Set<string>();

  const diskStep = (disk: DiskRef, a: DiskAssessment, step: Omit<PlanStep, 'disk' | 'systemDisk' | 'foreignData'>) => {
    steps.push({
      ...step,
      disk: disk.path,
      systemDisk: a.systemDisk,
      ...(a.foreign !== undefined ? { foreignData: a.foreign } : {}),
    });
  };

  const ensurePartition = (p: PartitionRef): { device: DeviceState; exists: boolean; a: DiskAssessment } => {
    const a = assessDisk(p.disk, current, desired);
    const device = current.devices[p.disk.path]!;
    const existing = device.partitions.find((x) => x.number === p.number);
    if (device.partitions.length === 1 && existing?.name === p.name) return { device, exists: true, a };
    if (!a.blank) {
      diskStep(p.disk, a, {
        action: 'wipefs',
        description: `erase every signature on ${p.disk.path} (${a.foreign ?? 'old partition table'})`,
        command: 'wipefs',
        args: ['-a', p.disk.path],
        destructive: true,
      });
    }
    const first = p.startBytes / 512;
    const last = (p.startBytes + p.sizeBytes) / 512 - 1;
    diskStep(p.disk, a, {
      action: 'sgdisk',
      description: `new GPT on ${p.disk.path} with partition ${p.number} "${p.name}" (${formatBytes(p.sizeBytes)})`,
      command: 'sgdisk',
      args: [
        '--clear',
        `--new=${p.number}:${first}:${last}`,
        `--change-name=${p.number}:${p.name}`,
        `--typecode=${p.number}:8300`,
        p.disk.path,
      ],
      destructive: true,
    });
    return { device, exists: false, a };
  };

  /** wipefs -a + mkfs.xfs on a volume unless it already carries our XFS; returns the UUID. */
  const ensureFilesystem = (
    device: string,
    probe: FilesystemProbe | undefined,
    label: string,
    a: DiskAssessment | undefined,
    disk: DiskRef | undefined,
  ): string => {
    if (probe?.type === 'xfs' && probe.label === label && probe.uuid) return probe.uuid;
    const uuid = newUuid();
    const flags = { disk: disk?.path, systemDisk: a?.systemDisk ?? false };
    // The incident: a new volume at an old offset still carried an XFS superblock and mkfs brought
    // the old filesystem back. Erase every signature on the new volume first, always.
    steps.push({
      action: 'wipefs',
      description: `erase old signatures inside the new volume ${device} before formatting`,
      command: 'wipefs',
      args: ['-a', device],
      destructive: true,
      ...flags,
    });
    steps.push({
      action: 'mkfs.xfs',
      description: `create XFS "${label}" with UUID ${uuid} on ${device}`,
      command: 'mkfs.xfs',
      args: ['-L', label, '-m', `uuid=${uuid}`, device],
      destructive: true,
      ...flags,
    });
    return uuid;
  };

  const ensureMounted = (device: string, sources: readonly string[], uuid: string, mountpoint: string) => {
    if (usedMounts.has(mountpoint))
      throw new StorageError('STORAGE_CONFLICT', `mountpoint ${mountpoint} is used twice`);
    usedMounts.add(mountpoint);
    const mounted = current.mounts.find((m) => m.target === mountpoint);
    if (mounted && !sources.includes(mounted.source)) {
      throw new StorageError(
        'STORAGE_CONFLICT',
        `${mountpoint} already has ${mounted.source} (${mounted.fstype}) mounted; unmount it or change the profile`,
        { details: { mountpoint, source: mounted.source } },
      );
    }
    if (!mounted) {
      steps.push({
        action: 'mkdir',
        description: `create mountpoint ${mountpoint}`,
        command: 'mkdir',
        args: ['-p', mountpoint],
        destructive: false,
        systemDisk: false,
      });
      steps.push({
        action: 'mount',
        description: `mount ${device} on ${mountpoint}`,
        command: 'mount',
        args: ['-t', 'xfs', device, mountpoint],
        destructive: false,
        systemDisk: false,
      });
    }
    const entry = current.fstab.find((e) => e.file === mountpoint);
    if (entry && entry.spec !== `UUID=${uuid}`) {
      throw new StorageError(
        'STORAGE_CONFLICT',
        `${fstabPath} already mounts ${entry.spec} on ${mountpoint}; remove that line or change the profile`,
        { details: { mountpoint, spec: entry.spec } },
      );
    }
    if (!entry) {
      steps.push({
        action: 'fstab',
        description: `add ${mountpoint} to ${fstabPath} by UUID`,
        command: 'tee',
        args: ['-a', fstabPath],
        stdin: `UUID=${uuid} ${mountpoint} xfs defaults,nofail 0 2\n`,
        destructive: false,
        systemDisk: false,
      });
    }
  };

  for (const p of desired.clusterDisks) ensurePartition(p);

  for (const fs of desired.filesystems) {
    const { device, exists, a } = ensurePartition(fs.partition);
    const path = partitionPath(fs.partition.disk.path, fs.partition);
    const probe = exists ? device.partitions.find((x) => x.number === fs.partition.number) : undefined;
    const uuid = ensureFilesystem(path, probe, fs.label, a, fs.partition.disk);
    ensureMounted(path, [path], uuid, fs.mountpoint);
  }

  for (const vg of desired.volumeGroups) {
    const members: DiskRef[] = [];
    const missing: DiskRef[] = [];
    for (const disk of vg.disks) {
      const pv = current.physicalVolumes.find((p) => p.name === disk.path);
      if (pv?.vgName === vg.name) {
        members.push(disk);
        continue;
      }
      const a = assessDisk(disk, current, desired);
      if (!a.blank && !a.orphanPv) {
        diskStep(disk, a, {
          action: 'wipefs',
          description: `erase every signature on ${disk.path} (${a.foreign ?? 'old fleet data'})`,
          command: 'wipefs',
          args: ['-a', disk.path],
          destructive: true,
        });
      }
      if (!a.orphanPv) {
        diskStep(disk, a, {
          action: 'pvcreate',
          description: `make ${disk.path} an LVM physical volume`,
          command: 'pvcreate',
          args: [disk.path],
          destructive: true,
        });
      }
      missing.push(disk);
    }
    const existing = current.volumeGroups.find((g) => g.name === vg.name);
    if (existing && !isFleetTagged(existing.tags)) {
      throw new StorageError(
        'STORAGE_CONFLICT',
        `volume group ${vg.name} exists but was not created by fleet (no "${FLEET_MARK}" tag); rename it or change the profile`,
        { details: { volumeGroup: vg.name } },
      );
    }
    if (!existing) {
      steps.push({
        action: 'vgcreate',
        description: `create volume group ${vg.name} on ${missing.length} disk(s), tagged ${FLEET_MARK}`,
        command: 'vgcreate',
        args: ['--addtag', FLEET_MARK, vg.name, ...missing.map((d) => d.path)],
        destructive: true,
        systemDisk: missing.some((d) => assessDisk(d, current, desired).systemDisk),
      });
    } else if (missing.length > 0) {
      steps.push({
        action: 'vgextend',
        description: `add ${missing.map((d) => d.path).join(', ')} to volume group ${vg.name}`,
        command: 'vgextend',
        args: [vg.name, ...missing.map((d) => d.path)],
        destructive: true,
        systemDisk: missing.some((d) => assessDisk(d, current, desired).systemDisk),
      });
    }

    // Fixed sizes first: the `rest` volume takes what they leave.
    const ordered = [...vg.volumes].sort((x, y) => Number(x.sizeBytes === 'rest') - Number(y.sizeBytes === 'rest'));
    const needed = ordered
      .filter((lv) => !current.logicalVolumes.some((l) => l.vgName === vg.name && l.name === lv.name))
      .reduce((sum, lv) => sum + (lv.sizeBytes === 'rest' ? 0 : lv.sizeBytes), 0);
    const free = existing
      ? existing.freeBytes + (missing.length > 0 ? vg.capacityBytes - existing.sizeBytes : 0)
      : vg.capacityBytes;
    if (needed > free) {
      throw new StorageError(
        'STORAGE_INSUFFICIENT_SPACE',
        `volume group ${vg.name} has ${formatBytes(free)} free but the missing volumes need ${formatBytes(needed)}`,
        { details: { volumeGroup: vg.name, requiredBytes: needed, freeBytes: free } },
      );
    }
    for (const lv of ordered) ensureLogicalVolume(vg.name, lv);
  }

  function ensureLogicalVolume(vgName: string, lv: DesiredVolume): void {
    const path = `/dev/${vgName}/${lv.name}`;
    const mapper = `/dev/mapper/${vgName.replace(/-/g, '--')}-${lv.name.replace(/-/g, '--')}`;
    const existing = current.logicalVolumes.find((l) => l.vgName === vgName && l.name === lv.name);
    if (existing && !isFleetTagged(existing.tags)) {
      throw new StorageError(
        'STORAGE_CONFLICT',
        `logical volume ${vgName}/${lv.name} exists but was not created by fleet`,
        {
          details: { logicalVolume: `${vgName}/${lv.name}` },
        },
      );
    }
    if (!existing) {
      steps.push({
        action: 'lvcreate',
        description: `create logical volume ${vgName}/${lv.name} (${lv.sizeBytes === 'rest' ? 'all free space' : formatBytes(lv.sizeBytes)}), tagged ${FLEET_MARK}`,
        command: 'lvcreate',
        args: [
          '--yes',
          '--wipesignatures',
          'y',
          '--zero',
          'y',
          '--addtag',
          FLEET_MARK,
          '--name',
          lv.name,
          ...(lv.sizeBytes === 'rest' ? ['--extents', '100%FREE'] : ['--size', `${lv.sizeBytes}b`]),
          vgName,
        ],
        destructive: true,
        systemDisk: false,
      });
    }
    const uuid = ensureFilesystem(path, existing, lv.label, undefined, undefined);
    ensureMounted(path, [path, mapper], uuid, lv.mountpoint);
  }

  return {
    profile: desired.profile,
    ...(desired.hostname !== undefined ? { hostname: desired.hostname } : {}),
    layout: desired,
    steps,
  };
}
