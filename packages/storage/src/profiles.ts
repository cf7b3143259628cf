import type { DiskSelector, StorageProfile } from './model.js';

const GIB = 1024 ** 3;
const TB = 1000 ** 4;

export interface RoleProfileOptions {
  /** Which disk holds the OS (set by the installer); it is never touched. Default: the SATA SSD under 1 TB. */
  systemDisk?: DiskSelector;
  /** Disks for the data volume group (controller, compute) or the cluster filesystem (storage). */
  dataDisks?: DiskSelector;
}

/** Controller: system disk + an LVM volume group on the SATA SSDs for the databases. */
export function controllerProfile(options: RoleProfileOptions = {}): StorageProfile {
  return {
    name: 'controller',
    role: 'controller',
    systemDisk: options.systemDisk ?? { transport: 'sata', rotational: false, maxBytes: TB },
    volumeGroups: [
      {
        name: 'fleet-db',
        disks: options.dataDisks ?? { transport: 'sata', rotational: false, minBytes: TB },
        minDisks: 2,
        volumes: [
          { name: 'postgres', size: 500 * GIB, mountpoint: '/var/lib/postgresql' },
          { name: 'rabbitmq', size: 100 * GIB, mountpoint: '/var/lib/rabbitmq' },
          { name: 'backup', size: 'rest', mountpoint: '/srv/backup' },
        ],
      },
    ],
  };
}

/** Compute: system disk + an LVM volume group on the NVMe drives for instance storage. */
export function computeProfile(options: RoleProfileOptions = {}): StorageProfile {
  return {
    name: 'compute',
    role: 'compute',
    systemDisk: options.systemDisk ?? { transport: 'sata', rotational: false, maxBytes: TB },
    volumeGroups: [
      {
        name: 'fleet-instances',
        disks: options.dataDisks ?? { transport: 'nvme' },
        volumes: [{ name: 'instances', size: 'rest', mountpoint: '/var/lib/nova/instances' }],
      },
    ],
  };
}

/** Storage: system disk + every other disk raw, with one GPT partition named for the cluster filesystem. */
export function storageProfile(options: RoleProfileOptions = {}): StorageProfile {
  return {
    name: 'storage',
    role: 'storage',
    systemDisk: options.systemDisk ?? { transport: 'sata', rotational: false, maxBytes: TB },
    clusterDisks: { disks: options.dataDisks ?? 'remaining', minDisks: 1 },
  };
}
