import type { Executor } from '@fleet/core';
import { StorageError } from './errors.js';
import type { DiskInfo, Inventory } from './model.js';

export interface Signature {
  offset: number;
  type: string;
  uuid?: string;
  label?: string;
}

export interface FilesystemProbe {
  /** `TYPE` from blkid: `xfs`, `LVM2_member`, `ext4` … */
  type?: string;
  uuid?: string;
  label?: string;
  signatures: Signature[];
}

export interface PartitionState extends FilesystemProbe {
  number: number;
  name?: string;
  startBytes: number;
  sizeBytes: number;
  /** Device path the partition was probed through. */
  path: string;
}

export interface DeviceState extends FilesystemProbe {
  path: string;
  /** `gpt`, `dos`, or undefined without a partition table. */
  partitionTable?: string;
  partitions: PartitionState[];
}

export interface PhysicalVolumeState {
  name: string;
  vgName?: string;
  vgTags: string[];
}

export interface VolumeGroupState {
  name: string;
  tags: string[];
  sizeBytes: number;
  freeBytes: number;
}

export interface LogicalVolumeState extends FilesystemProbe {
  name: string;
  vgName: string;
  path: string;
  sizeBytes: number;
  tags: string[];
}

export interface MountState {
  target: string;
  source: string;
  fstype: string;
}

export interface FstabEntry {
  spec: string;
  file: string;
  vfstype: string;
  options: string;
}

export interface BlockDeviceNode {
  name: string;
  path: string;
  type: string;
  sizeBytes: number;
  model?: string;
  serial?: string;
  wwn?: string;
  rotational: boolean;
  transport?: string;
  mountpoints: string[];
  children: BlockDeviceNode[];
}

/** What the machine looks like now, from the tools' own JSON (or export) output. */
export interface CurrentState {
  blockDevices: BlockDeviceNode[];
  devices: Record<string, DeviceState>;
  physicalVolumes: PhysicalVolumeState[];
  volumeGroups: VolumeGroupState[];
  logicalVolumes: LogicalVolumeState[];
  mounts: MountState[];
  fstab: FstabEntry[];
}

/** Maps a partition of a disk to the device path to reach it: `/dev/sdb1`, `/dev/nvme0n1p1`, `…-part1`. */
export type PartitionPathResolver = (
  disk: string,
  partition: { number: number; startBytes: number; sizeBytes: number },
) => string;

/** Kernel and udev naming: a disk path ending in a digit gets `p1`, a by-id path `-part1`, others `1`. */
export const defaultPartitionPath: PartitionPathResolver = (disk, { number }) => {
  if (disk.startsWith('/dev/disk/by-')) return `${disk}-part${number}`;
  return /\d$/.test(disk) ? `${disk}p${number}` : `${disk}${number}`;
};

function unreadable(tool: string, why: string, cause?: unknown): StorageError {
  return new StorageError('STORAGE_STATE_UNREADABLE', `cannot read ${tool} output: ${why}`, {
    ...(cause !== undefined ? { cause } : {}),
    details: { tool },
  });
}

function parseJson(tool: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw unreadable(tool, 'not valid JSON', error);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function num(tool: string, value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw unreadable(tool, `${field} is not a number (${JSON.stringify(value)})`);
  return n;
}

/** `lsblk -J -b -O`: the device tree with sizes, models, serials, rotational flag, transport, mountpoints. */
export function parseLsblk(text: string): BlockDeviceNode[] {
  const root = record(parseJson('lsblk', text));
  if (!Array.isArray(root.blockdevices)) throw unreadable('lsblk', 'no "blockdevices" array (use lsblk -J -b -O)');
  const node = (raw: unknown): BlockDeviceNode => {
    const d = record(raw);
    const name = str(d.name) ?? str(d.kname);
    if (!name) throw unreadable('lsblk', 'a device without a name');
    const mountpoints = [
      ...(Array.isArray(d.mountpoints) ? d.mountpoints : []),
      ...(typeof d.mountpoint === 'string' ? [d.mountpoint] : []),
    ].filter((m): m is string => typeof m === 'string');
    const rota = d.rota;
    return {
      name,
      path: str(d.path) ?? `/dev/${name}`,
      type: str(d.type) ?? 'unknown',
      sizeBytes: num('lsblk', d.size, `size of ${name}`),
      ...(str(d.model) ? { model: str(d.model) } : {}),
      ...(str(d.serial) ? { serial: str(d.serial) } : {}),
      ...(str(d.wwn) ? { wwn: str(d.wwn) } : {}),
      rotational: rota === true || rota === '1' || rota === 1,
      ...(str(d.tran) ? { transport: str(d.tran) } : {}),
      mountpoints: [...new Set(mountpoints)],
      children: Array.isArray(d.children) ? d.children.map(node) : [],
    };
  };
  return root.blockdevices.map(node);
}

/** The inventory of whole disks from `lsblk -J -b -O` (loop devices included only when asked). */
export function inventoryFromLsblk(
  text: string,
  options: { includeLoop?: boolean; hostname?: string } = {},
): Inventory {
  const disks: DiskInfo[] = parseLsblk(text)
    .filter((d) => d.type === 'disk' || (options.includeLoop === true && d.type === 'loop' && d.sizeBytes > 0))
    .map((d) => ({
      path: d.path,
      sizeBytes: d.sizeBytes,
      rotational: d.rotational,
      ...(d.model !== undefined ? { model: d.model } : {}),
      ...(d.serial !== undefined ? { serial: d.serial } : {}),
      ...(d.wwn !== undefined ? { wwn: d.wwn } : {}),
      ...(d.transport !== undefined ? { transport: d.transport } : {}),
    }));
  return { ...(options.hostname !== undefined ? { hostname: options.hostname } : {}), disks };
}

/** `wipefs -J DEV`: every signature wipefs would erase (empty output means none). */
export function parseWipefs(text: string): Signature[] {
  if (text.trim() === '') return [];
  const root = record(parseJson('wipefs', text));
  if (!Array.isArray(root.signatures)) throw unreadable('wipefs', 'no "signatures" array (use wipefs -J)');
  return root.signatures.map((raw) => {
    const s = record(raw);
    const offset = typeof s.offset === 'string' ? Number.parseInt(s.offset, 16) : num('wipefs', s.offset, 'offset');
    return {
      offset,
      type: str(s.type) ?? 'unknown',
      ...(str(s.uuid) ? { uuid: str(s.uuid) } : {}),
      ...(str(s.label) ? { label: str(s.label) } : {}),
    };
  });
}

/** `blkid -p -o export DEV`: `KEY=value` lines (empty when blkid finds nothing, exit 2). */
export function parseBlkid(text: string): { type?: string; uuid?: string; label?: string } {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    ...(values.TYPE ? { type: values.TYPE } : {}),
    ...(values.UUID ? { uuid: values.UUID } : {}),
    ...(values.LABEL ? { label: values.LABEL } : {}),
  };
}

/** `sfdisk -J DEV`: the partition table, or undefined when the device has none. */
export function parseSfdisk(
  text: string,
):
  | { label: string; partitions: { number: number; name?: string; startBytes: number; sizeBytes: number }[] }
  | undefined {
  if (text.trim() === '') return undefined;
  const table = record(record(parseJson('sfdisk', text)).partitiontable);
  const label = str(table.label);
  if (!label) throw unreadable('sfdisk', 'no "partitiontable.label" (use sfdisk -J)');
  const sector = typeof table.sectorsize === 'number' ? table.sectorsize : 512;
  const raw = Array.isArray(table.partitions) ? table.partitions : [];
  return {
    label,
    partitions: raw.map((p, i) => {
      const part = record(p);
      const node = str(part.node) ?? '';
      const number = Number(/(\d+)$/.exec(node)?.[1] ?? i + 1);
      return {
        number,
        ...(str(part.name) ? { name: str(part.name) } : {}),
        startBytes: num('sfdisk', part.start, 'start') * sector,
        sizeBytes: num('sfdisk', part.size, 'size') * sector,
      };
    }),
  };
}

function lvmRows(tool: string, text: string, key: string): Record<string, unknown>[] {
  const root = record(parseJson(tool, text));
  if (!Array.isArray(root.report)) throw unreadable(tool, 'no "report" array (use --reportformat json)');
  return root.report.flatMap((r) => {
    const rows = record(r)[key];
    return Array.isArray(rows) ? rows.map(record) : [];
  });
}

const tags = (value: unknown) => (str(value) ?? '').split(',').filter(Boolean);

export function parsePvs(text: string): PhysicalVolumeState[] {
  return lvmRows('pvs', text, 'pv').map((r) => ({
    name: str(r.pv_name) ?? '',
    ...(str(r.vg_name) ? { vgName: str(r.vg_name) } : {}),
    vgTags: tags(r.vg_tags),
  }));
}

export function parseVgs(text: string): VolumeGroupState[] {
  return lvmRows('vgs', text, 'vg').map((r) => ({
    name: str(r.vg_name) ?? '',
    tags: tags(r.vg_tags),
    sizeBytes: num('vgs', r.vg_size, 'vg_size'),
    freeBytes: num('vgs', r.vg_free, 'vg_free'),
  }));
}

export function parseLvs(text: string): Omit<LogicalVolumeState, keyof FilesystemProbe>[] {
  return lvmRows('lvs', text, 'lv').map((r) => {
    const name = str(r.lv_name) ?? '';
    const vgName = str(r.vg_name) ?? '';
    return {
      name,
      vgName,
      path: str(r.lv_path) ?? `/dev/${vgName}/${name}`,
      sizeBytes: num('lvs', r.lv_size, 'lv_size'),
      tags: tags(r.lv_tags),
    };
  });
}

/** `findmnt -J -l -o TARGET,SOURCE,FSTYPE`. */
export function parseFindmnt(text: string): MountState[] {
  const root = record(parseJson('findmnt', text));
  if (!Array.isArray(root.filesystems)) throw unreadable('findmnt', 'no "filesystems" array (use findmnt -J -l)');
  const out: MountState[] = [];
  const walk = (rows: unknown[]) => {
    for (const raw of rows) {
      const r = record(raw);
      out.push({ target: str(r.target) ?? '', source: str(r.source) ?? '', fstype: str(r.fstype) ?? '' });
      if (Array.isArray(r.children)) walk(r.children);
    }
  };
  walk(root.filesystems);
  return out;
}

export function parseFstab(text: string): FstabEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [spec = '', file = '', vfstype = '', options = ''] = line.split(/\s+/);
      return { spec, file, vfstype, options };
    });
}

export interface ReadStateOptions {
  /** Disks to probe with wipefs, blkid and sfdisk. Default: every `disk` lsblk reports. */
  devices?: readonly string[];
  partitionPath?: PartitionPathResolver;
  /** Default `/etc/fstab`. */
  fstabPath?: string;
  timeoutMs?: number;
}

const LVM_UNITS = ['--reportformat', 'json', '--units', 'b', '--nosuffix'];

/**
 * Reads the machine's storage state through an executor (local or SSH). Read-only: every command here
 * only lists (`wipefs` without `-a`, `blkid -p`, `sfdisk -J`).
 */
export async function readCurrentState(executor: Executor, options: ReadStateOptions = {}): Promise<CurrentState> {
  const partitionPath = options.partitionPath ?? defaultPartitionPath;
  const run = async (tool: string, args: string[], okCodes: number[] = [0]) => {
    // LVM tools warn on stderr about every inherited descriptor (Node leaves some open).
    const result = await executor.run(tool, args, {
      timeoutMs: options.timeoutMs ?? 60_000,
      env: { LVM_SUPPRESS_FD_WARNINGS: '1' },
    });
    if (!okCodes.includes(result.code)) {
      throw unreadable(
        tool,
        `${tool} ${args.join(' ')} on ${executor.target} exited ${result.code}: ${result.stderr.trim().slice(0, 300)}`,
      );
    }
    return result;
  };
  const probe = async (path: string): Promise<FilesystemProbe> => {
    const [wipefs, blkid] = [
      await run('wipefs', ['-J', path]),
      await run('blkid', ['-p', '-o', 'export', path], [0, 2]),
    ];
    return { ...parseBlkid(blkid.stdout), signatures: parseWipefs(wipefs.stdout) };
  };

  const blockDevices = parseLsblk((await run('lsblk', ['-J', '-b', '-O'])).stdout);
  const paths = options.devices ?? blockDevices.filter((d) => d.type === 'disk').map((d) => d.path);
  const devices: Record<string, DeviceState> = {};
  for (const path of paths) {
    const table = await run('sfdisk', ['-J', path], [0, 1]);
    const parsed = table.code === 0 ? parseSfdisk(table.stdout) : undefined;
    const partitions: PartitionState[] = [];
    for (const p of parsed?.partitions ?? []) {
      const partPath = partitionPath(path, p);
      partitions.push({ ...p, path: partPath, ...(await probe(partPath)) });
    }
    devices[path] = {
      path,
      ...(await probe(path)),
      ...(parsed ? { partitionTable: parsed.label } : {}),
      partitions,
    };
  }
  const physicalVolumes = parsePvs((await run('pvs', [...LVM_UNITS, '-o', 'pv_name,vg_name,vg_tags'])).stdout);
  const volumeGroups = parseVgs((await run('vgs', [...LVM_UNITS, '-o', 'vg_name,vg_tags,vg_size,vg_free'])).stdout);
  const logicalVolumes: LogicalVolumeState[] = [];
  for (const lv of parseLvs(
    (await run('lvs', [...LVM_UNITS, '-o', 'lv_name,vg_name,lv_path,lv_size,lv_tags'])).stdout,
  )) {
    logicalVolumes.push({ ...lv, ...(await probe(lv.path)) });
  }
  const mounts = parseFindmnt((await run('findmnt', ['-J', '-l', '-o', 'TARGET,SOURCE,FSTYPE'])).stdout);
  const fstab = parseFstab((await run('cat', [options.fstabPath ?? '/etc/fstab'])).stdout);
  return { blockDevices, devices, physicalVolumes, volumeGroups, logicalVolumes, mounts, fstab };
}
