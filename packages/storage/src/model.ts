/** One disk as the inventory reports it. `path` is only used to run commands, never to choose disks. */
export interface DiskInfo {
  /** Device path to run commands on now (`/dev/disk/by-id/…` when known, else `/dev/sdb`, `/dev/loop3`). */
  path: string;
  sizeBytes: number;
  model?: string;
  serial?: string;
  wwn?: string;
  rotational: boolean;
  /** `sata`, `sas`, `nvme`, `usb` … */
  transport?: string;
}

export interface Inventory {
  hostname?: string;
  disks: DiskInfo[];
}

/**
 * Chooses disks by stable properties. Every given field must match. `model` and `serial` accept `*`
 * wildcards. Kernel names (`/dev/sdX`) are deliberately not selectable: they change between boots.
 */
export interface DiskSelector {
  model?: string;
  serial?: string;
  wwn?: string;
  transport?: string;
  rotational?: boolean;
  minBytes?: number;
  maxBytes?: number;
}

export interface LogicalVolumeSpec {
  /** LV name, also the XFS label (at most 12 characters). */
  name: string;
  /** Bytes, or `rest` for what is left in the volume group (at most one per group). */
  size: number | 'rest';
  mountpoint: string;
}

export interface VolumeGroupSpec {
  name: string;
  disks: DiskSelector;
  /** Fewer matching disks is an error. Default 1. */
  minDisks?: number;
  volumes: LogicalVolumeSpec[];
}

/** An XFS filesystem on a single GPT partition spanning one disk. */
export interface PartitionFilesystemSpec {
  /** Partition name suffix and XFS label (at most 12 characters). */
  name: string;
  /** Must match exactly one disk. */
  disk: DiskSelector;
  mountpoint: string;
}

export interface ClusterDisksSpec {
  /** `remaining`: every disk not used by anything else (and not the system disk). */
  disks: DiskSelector | 'remaining';
  minDisks?: number;
}

export type ProfileRole = 'controller' | 'compute' | 'storage' | 'custom';

export interface StorageProfile {
  name: string;
  role: ProfileRole;
  /** Must match exactly one disk; it is never touched. */
  systemDisk: DiskSelector;
  volumeGroups?: VolumeGroupSpec[];
  filesystems?: PartitionFilesystemSpec[];
  clusterDisks?: ClusterDisksSpec;
}

/** A disk chosen by the planner: the stable facts that chose it, and the path to act on. */
export interface DiskRef {
  path: string;
  sizeBytes: number;
  model?: string;
  serial?: string;
  wwn?: string;
}

/** A GPT partition the planner wants: number 1, aligned at 1 MiB, up to the last aligned sector. */
export interface PartitionRef {
  disk: DiskRef;
  number: number;
  /** GPT partition name; `fleet-` marks it as created by fleet. */
  name: string;
  startBytes: number;
  sizeBytes: number;
}

export interface DesiredVolume {
  name: string;
  sizeBytes: number | 'rest';
  mountpoint: string;
  label: string;
}

export interface DesiredVolumeGroup {
  name: string;
  disks: DiskRef[];
  capacityBytes: number;
  volumes: DesiredVolume[];
}

export interface DesiredFilesystem {
  name: string;
  partition: PartitionRef;
  mountpoint: string;
  label: string;
}

export interface DesiredLayout {
  profile: string;
  role: ProfileRole;
  hostname?: string;
  systemDisk: DiskRef;
  volumeGroups: DesiredVolumeGroup[];
  filesystems: DesiredFilesystem[];
  clusterDisks: PartitionRef[];
  /** Disks nothing asked for: left alone. */
  unused: DiskRef[];
}

/** The tag and name prefix that mark what fleet created. */
export const FLEET_MARK = 'fleet';
