// Realistic inventories and current states for the table-driven planner and diff tests.
import type { CurrentState, DeviceState, DiskInfo, Inventory } from '../src/index.js';

const GB = 1000 ** 3;
const TB = 1000 ** 4;

const ssd = (path: string, serial: string, sizeBytes: number, model: string): DiskInfo => ({
  path,
  sizeBytes,
  model,
  serial,
  wwn: `0x5002538e${serial
    .slice(-8)
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '0')}`,
  rotational: false,
  transport: 'sata',
});

export const systemSsd = ssd('/dev/sda', 'S45NNA0R123456', 480_103_981_056, 'SAMSUNG MZ7LH480HAHQ-00005');

export const controllerNode: Inventory = {
  hostname: 'ctl-1',
  disks: [
    systemSsd,
    ssd('/dev/sdb', 'S455NY0M200001', 1_920_383_410_176, 'SAMSUNG MZ7LH1T9HMLT-00005'),
    ssd('/dev/sdc', 'S455NY0M200002', 1_920_383_410_176, 'SAMSUNG MZ7LH1T9HMLT-00005'),
  ],
};

const nvme = (n: number, serial: string): DiskInfo => ({
  path: `/dev/nvme${n}n1`,
  sizeBytes: 3_840_755_982_336,
  model: 'SAMSUNG MZQL23T8HCLS-00A07',
  serial,
  wwn: `eui.36344730529${n}0000`,
  rotational: false,
  transport: 'nvme',
});

export const computeNode: Inventory = {
  hostname: 'cmp-17',
  disks: [systemSsd, nvme(0, 'S64HNE0T400001'), nvme(1, 'S64HNE0T400002')],
};

export const storageNode: Inventory = {
  hostname: 'sto-3',
  disks: [
    systemSsd,
    ...Array.from({ length: 12 }, (_, i) => ({
      path: `/dev/sd${String.fromCharCode(98 + i)}`,
      sizeBytes: 16 * TB,
      model: 'ST16000NM001G-2KK103',
      serial: `ZL2${String(i).padStart(5, '0')}`,
      wwn: `0x5000c500d${String(i).padStart(7, '0')}`,
      rotational: true,
      transport: 'sata',
    })),
  ],
};

export { GB, TB };

/** A machine as the inventory shows it, freshly installed: the OS on the system disk, nothing else. */
export function installedState(inventory: Inventory): CurrentState {
  const devices: Record<string, DeviceState> = {};
  for (const d of inventory.disks) devices[d.path] = { path: d.path, signatures: [], partitions: [] };
  devices[systemSsd.path] = {
    path: systemSsd.path,
    signatures: [
      { offset: 512, type: 'gpt' },
      { offset: 510, type: 'PMBR' },
    ],
    partitionTable: 'gpt',
    partitions: [
      { number: 1, startBytes: 1048576, sizeBytes: 536870912, path: '/dev/sda1', type: 'vfat', signatures: [] },
      { number: 2, startBytes: 537919488, sizeBytes: 479_000_000_000, path: '/dev/sda2', type: 'ext4', signatures: [] },
    ],
  };
  return {
    blockDevices: inventory.disks.map((d) => ({
      name: d.path.slice(5),
      path: d.path,
      type: 'disk',
      sizeBytes: d.sizeBytes,
      rotational: d.rotational,
      mountpoints: [],
      children:
        d.path === systemSsd.path
          ? [
              {
                name: 'sda1',
                path: '/dev/sda1',
                type: 'part',
                sizeBytes: 536870912,
                rotational: false,
                mountpoints: ['/boot/efi'],
                children: [],
              },
              {
                name: 'sda2',
                path: '/dev/sda2',
                type: 'part',
                sizeBytes: 479_000_000_000,
                rotational: false,
                mountpoints: ['/'],
                children: [],
              },
            ]
          : [],
    })),
    devices,
    physicalVolumes: [],
    volumeGroups: [],
    logicalVolumes: [],
    mounts: [
      { target: '/', source: '/dev/sda2', fstype: 'ext4' },
      { target: '/boot/efi', source: '/dev/sda1', fstype: 'vfat' },
    ],
    fstab: [
      { spec: 'UUID=2f6c0c57-1d7b-4b1e-bb0e-9c1d5f1e0a11', file: '/', vfstype: 'ext4', options: 'errors=remount-ro' },
    ],
  };
}
