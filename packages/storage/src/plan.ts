import { validateIdentifier } from '@fleet/core';
import { StorageError } from './errors.js';
import {
  type DesiredLayout,
  type DesiredVolumeGroup,
  type DiskInfo,
  type DiskRef,
  type DiskSelector,
  FLEET_MARK,
  type Inventory,
  type PartitionRef,
  type StorageProfile,
} from './model.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const SECTOR = 512;
/** LVM default extent size; each PV also loses 1 MiB to its label and metadata area. */
export const LVM_EXTENT_BYTES = 4 * MIB;
/** A `rest` volume smaller than this means the profile does not fit. */
const MIN_REST_BYTES = GIB;
const MOUNTPOINT = /^\/[A-Za-z0-9._/-]*$/;
const VOLUME_NAME = /^[a-z][a-z0-9_-]{0,11}$/;

/**
 * Where fleet puts its single GPT partition on a disk: start at 1 MiB, end on the last 1 MiB boundary
 * before the backup GPT (34 sectors), so the same geometry is computed on every run.
 */
export function gptPartitionGeometry(diskBytes: number): { startBytes: number; sizeBytes: number } {
  const usableEnd = diskBytes - 34 * SECTOR;
  const endBytes = Math.floor(usableEnd / MIB) * MIB;
  return { startBytes: MIB, sizeBytes: endBytes - MIB };
}

/** What LVM can allocate on these disks with default 4 MiB extents. */
export function volumeGroupCapacity(disks: readonly { sizeBytes: number }[]): number {
  return disks.reduce(
    (sum, d) => sum + Math.max(0, Math.floor((d.sizeBytes - MIB) / LVM_EXTENT_BYTES)) * LVM_EXTENT_BYTES,
    0,
  );
}

function glob(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const body = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`, 'i').test(value.trim());
}

/** True when a disk has every property the selector asks for. */
export function matchesSelector(disk: DiskInfo, selector: DiskSelector): boolean {
  if (selector.model !== undefined && !glob(selector.model, disk.model)) return false;
  if (selector.serial !== undefined && !glob(selector.serial, disk.serial)) return false;
  if (selector.wwn !== undefined && selector.wwn.toLowerCase() !== disk.wwn?.toLowerCase()) return false;
  if (selector.transport !== undefined && selector.transport !== disk.transport) return false;
  if (selector.rotational !== undefined && selector.rotational !== disk.rotational) return false;
  if (selector.minBytes !== undefined && disk.sizeBytes < selector.minBytes) return false;
  if (selector.maxBytes !== undefined && disk.sizeBytes > selector.maxBytes) return false;
  return true;
}

/** A short human description of a selector, for error messages. */
export function describeSelector(selector: DiskSelector): string {
  const parts: string[] = [];
  if (selector.model !== undefined) parts.push(`model=${selector.model}`);
  if (selector.serial !== undefined) parts.push(`serial=${selector.serial}`);
  if (selector.wwn !== undefined) parts.push(`wwn=${selector.wwn}`);
  if (selector.transport !== undefined) parts.push(`transport=${selector.transport}`);
  if (selector.rotational !== undefined) parts.push(selector.rotational ? 'rotational' : 'non-rotational');
  if (selector.minBytes !== undefined) parts.push(`>= ${formatBytes(selector.minBytes)}`);
  if (selector.maxBytes !== undefined) parts.push(`<= ${formatBytes(selector.maxBytes)}`);
  return parts.length > 0 ? parts.join(', ') : 'any disk';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

function describeDisk(disk: DiskInfo): string {
  const facts = [disk.model, disk.serial && `serial ${disk.serial}`, formatBytes(disk.sizeBytes)].filter(Boolean);
  return `${disk.path} (${facts.join(', ')})`;
}

function ref(disk: DiskInfo): DiskRef {
  return {
    path: disk.path,
    sizeBytes: disk.sizeBytes,
    ...(disk.model !== undefined ? { model: disk.model } : {}),
    ...(disk.serial !== undefined ? { serial: disk.serial } : {}),
    ...(disk.wwn !== undefined ? { wwn: disk.wwn } : {}),
  };
}

function partition(disk: DiskInfo, name: string): PartitionRef {
  return { disk: ref(disk), number: 1, name, ...gptPartitionGeometry(disk.sizeBytes) };
}

function invalidProfile(field: string, message: string): StorageError {
  return new StorageError('STORAGE_INVALID_PROFILE', message, { details: { field } });
}

/** Checks a profile on its own (names, mountpoints, sizes) before it meets an inventory. */
export function validateProfile(profile: StorageProfile): StorageProfile {
  validateIdentifier(profile.name, 'profile.name');
  const mountpoints = new Set<string>();
  const checkMountpoint = (field: string, mountpoint: string) => {
    if (!MOUNTPOINT.test(mountpoint) || mountpoint.includes('..') || mountpoint === '/') {
      throw invalidProfile(
        field,
        `${field} ${JSON.stringify(mountpoint)} must be an absolute path below / (a-z, 0-9, ._-)`,
      );
    }
    if (mountpoints.has(mountpoint)) throw invalidProfile(field, `${field} ${mountpoint} is used twice`);
    mountpoints.add(mountpoint);
  };
  const checkName = (field: string, name: string) => {
    if (!VOLUME_NAME.test(name)) {
      throw invalidProfile(
        field,
        `${field} ${JSON.stringify(name)} must be a-z, 0-9, _ or - and at most 12 characters (an XFS label)`,
      );
    }
  };
  const vgNames = new Set<string>();
  (profile.volumeGroups ?? []).forEach((vg, i) => {
    validateIdentifier(vg.name, `volumeGroups[${i}].name`);
    if (vgNames.has(vg.name))
      throw invalidProfile(`volumeGroups[${i}].name`, `volume group ${vg.name} is defined twice`);
    vgNames.add(vg.name);
    let rest = 0;
    const lvNames = new Set<string>();
    vg.volumes.forEach((lv, j) => {
      const field = `volumeGroups[${i}].volumes[${j}]`;
      checkName(`${field}.name`, lv.name);
      if (lvNames.has(lv.name))
        throw invalidProfile(`${field}.name`, `volume ${lv.name} is defined twice in ${vg.name}`);
      lvNames.add(lv.name);
      checkMountpoint(`${field}.mountpoint`, lv.mountpoint);
      if (lv.size === 'rest') rest++;
      else if (!Number.isSafeInteger(lv.size) || lv.size < LVM_EXTENT_BYTES) {
        throw invalidProfile(`${field}.size`, `${field}.size must be 'rest' or a whole number of bytes >= 4 MiB`);
      }
    });
    if (rest > 1) throw invalidProfile(`volumeGroups[${i}].volumes`, `only one volume of ${vg.name} may take the rest`);
  });
  (profile.filesystems ?? []).forEach((fs, i) => {
    checkName(`filesystems[${i}].name`, fs.name);
    checkMountpoint(`filesystems[${i}].mountpoint`, fs.mountpoint);
  });
  return profile;
}

function validateInventory(inventory: Inventory): void {
  if (!Array.isArray(inventory?.disks) || inventory.disks.length === 0) {
    throw new StorageError(
      'STORAGE_INVALID_INVENTORY',
      'the inventory lists no disks: collect it again with the node agent',
    );
  }
  const seen = new Set<string>();
  inventory.disks.forEach((disk, i) => {
    if (typeof disk.path !== 'string' || !/^\/dev\/[A-Za-z0-9._:/+-]+$/.test(disk.path) || disk.path.includes('..')) {
      throw new StorageError(
        'STORAGE_INVALID_INVENTORY',
        `disks[${i}].path ${JSON.stringify(disk.path)} is not a device path`,
      );
    }
    if (!Number.isSafeInteger(disk.sizeBytes) || disk.sizeBytes <= 0) {
      throw new StorageError('STORAGE_INVALID_INVENTORY', `disks[${i}] (${disk.path}) has no valid size`);
    }
    if (seen.has(disk.path)) throw new StorageError('STORAGE_INVALID_INVENTORY', `disk ${disk.path} is listed twice`);
    seen.add(disk.path);
  });
}

/**
 * The layout a profile asks for on this inventory. Pure: runs nothing, and every problem (no disk for a
 * rule, two disks for a single-disk rule, volumes bigger than their disks) is a typed error raised here,
 * before any command could run.
 */
export function planLayout(inventory: Inventory, profile: StorageProfile): DesiredLayout {
  validateProfile(profile);
  validateInventory(inventory);
  const free = new Set(inventory.disks);

  const single = (rule: string, selector: DiskSelector): DiskInfo => {
    const matches = inventory.disks.filter((d) => matchesSelector(d, selector));
    if (matches.length === 0) {
      throw new StorageError(
        'STORAGE_DISK_NOT_FOUND',
        `no disk matches ${rule} (${describeSelector(selector)}); disks seen: ${inventory.disks.map(describeDisk).join('; ')}`,
        { details: { rule } },
      );
    }
    if (matches.length > 1) {
      throw new StorageError(
        'STORAGE_DISK_AMBIGUOUS',
        `${matches.length} disks match ${rule}, which must match exactly one (${describeSelector(selector)}): ` +
          `${matches.map(describeDisk).join('; ')}. Narrow it with serial, wwn or model`,
        { details: { rule, matches: matches.map((d) => d.path) } },
      );
    }
    const disk = matches[0]!;
    if (!free.has(disk)) {
      throw new StorageError(
        'STORAGE_INVALID_PROFILE',
        `${rule} selects ${describeDisk(disk)}, which another rule already uses`,
        {
          details: { rule },
        },
      );
    }
    free.delete(disk);
    return disk;
  };

  const system = single('systemDisk', profile.systemDisk);
  const filesystems = (profile.filesystems ?? []).map((fs) => {
    const disk = single(`filesystem ${fs.name}`, fs.disk);
    return {
      name: fs.name,
      partition: partition(disk, `${FLEET_MARK}-fs-${fs.name}`),
      mountpoint: fs.mountpoint,
      label: fs.name,
    };
  });

  const volumeGroups: DesiredVolumeGroup[] = (profile.volumeGroups ?? []).map((vg) => {
    const disks = [...free].filter((d) => matchesSelector(d, vg.disks));
    const minDisks = vg.minDisks ?? 1;
    if (disks.length < minDisks) {
      throw new StorageError(
        'STORAGE_DISK_NOT_FOUND',
        `volume group ${vg.name} needs at least ${minDisks} disk(s) matching ${describeSelector(vg.disks)}, found ` +
          `${disks.length}${disks.length ? `: ${disks.map(describeDisk).join('; ')}` : ''}`,
        { details: { rule: `volumeGroup ${vg.name}`, found: disks.length, required: minDisks } },
      );
    }
    for (const d of disks) free.delete(d);
    const capacityBytes = volumeGroupCapacity(disks);
    const fixed = vg.volumes.reduce((sum, lv) => sum + (lv.size === 'rest' ? 0 : roundUpExtent(lv.size)), 0);
    const hasRest = vg.volumes.some((lv) => lv.size === 'rest');
    if (fixed + (hasRest ? MIN_REST_BYTES : 0) > capacityBytes) {
      throw new StorageError(
        'STORAGE_INSUFFICIENT_SPACE',
        `volume group ${vg.name} needs ${formatBytes(fixed)}${hasRest ? ' plus at least 1 GiB for its rest volume' : ''} ` +
          `but its ${disks.length} disk(s) hold ${formatBytes(capacityBytes)}: shrink the volumes or add disks`,
        { details: { volumeGroup: vg.name, requiredBytes: fixed, capacityBytes } },
      );
    }
    return {
      name: vg.name,
      disks: disks.map(ref),
      capacityBytes,
      volumes: vg.volumes.map((lv) => ({
        name: lv.name,
        sizeBytes: lv.size === 'rest' ? ('rest' as const) : roundUpExtent(lv.size),
        mountpoint: lv.mountpoint,
        label: lv.name,
      })),
    };
  });

  let clusterDisks: PartitionRef[] = [];
  if (profile.clusterDisks) {
    const spec = profile.clusterDisks;
    const chosen = [...free].filter((d) => spec.disks === 'remaining' || matchesSelector(d, spec.disks));
    const minDisks = spec.minDisks ?? 1;
    if (chosen.length < minDisks) {
      throw new StorageError(
        'STORAGE_DISK_NOT_FOUND',
        `the cluster filesystem needs at least ${minDisks} disk(s) (${spec.disks === 'remaining' ? 'any remaining disk' : describeSelector(spec.disks)}), found ${chosen.length}`,
        { details: { rule: 'clusterDisks', found: chosen.length, required: minDisks } },
      );
    }
    for (const d of chosen) free.delete(d);
    // Number by a stable property so the names do not move when kernel names do.
    const sorted = [...chosen].sort((a, b) => stableKey(a).localeCompare(stableKey(b)));
    clusterDisks = sorted.map((d, i) => partition(d, `${FLEET_MARK}-cluster-${i}`));
  }

  return {
    profile: profile.name,
    role: profile.role,
    ...(inventory.hostname !== undefined ? { hostname: inventory.hostname } : {}),
    systemDisk: ref(system),
    volumeGroups,
    filesystems,
    clusterDisks,
    unused: [...free].map(ref),
  };
}

function stableKey(disk: DiskInfo): string {
  return disk.wwn ?? disk.serial ?? disk.path;
}

function roundUpExtent(bytes: number): number {
  return Math.ceil(bytes / LVM_EXTENT_BYTES) * LVM_EXTENT_BYTES;
}
