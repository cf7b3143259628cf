import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import {
  computeProfile,
  controllerProfile,
  type DesiredLayout,
  type Inventory,
  planLayout,
  readCurrentState,
  type StorageProfile,
  storageProfile,
} from '../src/index.js';
import { computeNode, controllerNode, GB, storageNode, systemSsd } from './nodes.js';

const GIB = 1024 ** 3;

function summary(layout: DesiredLayout) {
  return {
    system: layout.systemDisk.path,
    vgs: layout.volumeGroups.map((vg) => ({
      name: vg.name,
      disks: vg.disks.map((d) => d.path),
      volumes: vg.volumes.map(
        (v) => `${v.name}:${v.sizeBytes === 'rest' ? 'rest' : v.sizeBytes / GIB}:${v.mountpoint}`,
      ),
    })),
    filesystems: layout.filesystems.map((f) => `${f.partition.disk.path}:${f.partition.name}:${f.mountpoint}`),
    cluster: layout.clusterDisks.map((p) => `${p.disk.path}:${p.name}`),
    unused: layout.unused.map((d) => d.path),
  };
}

describe('planLayout per profile', () => {
  it.each<[string, Inventory, StorageProfile, ReturnType<typeof summary>]>([
    [
      'controller: LVM on the two 1.92 TB SSDs for the databases',
      controllerNode,
      controllerProfile(),
      {
        system: '/dev/sda',
        vgs: [
          {
            name: 'fleet-db',
            disks: ['/dev/sdb', '/dev/sdc'],
            volumes: ['postgres:500:/var/lib/postgresql', 'rabbitmq:100:/var/lib/rabbitmq', 'backup:rest:/srv/backup'],
          },
        ],
        filesystems: [],
        cluster: [],
        unused: [],
      },
    ],
    [
      'compute: LVM on both NVMe drives for instances',
      computeNode,
      computeProfile(),
      {
        system: '/dev/sda',
        vgs: [
          {
            name: 'fleet-instances',
            disks: ['/dev/nvme0n1', '/dev/nvme1n1'],
            volumes: ['instances:rest:/var/lib/nova/instances'],
          },
        ],
        filesystems: [],
        cluster: [],
        unused: [],
      },
    ],
    [
      'storage: every HDD raw for the cluster filesystem, numbered by WWN',
      storageNode,
      storageProfile(),
      {
        system: '/dev/sda',
        vgs: [],
        filesystems: [],
        cluster: storageNode.disks.slice(1).map((d, i) => `${d.path}:fleet-cluster-${i}`),
        unused: [],
      },
    ],
    [
      'compute with an extra SATA HDD: the HDD is left unused',
      { disks: [...computeNode.disks, { ...storageNode.disks[1]!, path: '/dev/sdb' }] },
      computeProfile(),
      {
        system: '/dev/sda',
        vgs: [
          {
            name: 'fleet-instances',
            disks: ['/dev/nvme0n1', '/dev/nvme1n1'],
            volumes: ['instances:rest:/var/lib/nova/instances'],
          },
        ],
        filesystems: [],
        cluster: [],
        unused: ['/dev/sdb'],
      },
    ],
  ])('%s', (_name, inventory, profile, expected) => {
    expect(summary(planLayout(inventory, profile))).toEqual(expected);
  });

  it('selects by stable properties, not by kernel name: renamed disks keep their roles', () => {
    const renamed: Inventory = {
      disks: [
        { ...computeNode.disks[1]!, path: '/dev/nvme1n1' },
        { ...systemSsd, path: '/dev/sdb' },
        { ...computeNode.disks[2]!, path: '/dev/nvme0n1' },
      ],
    };
    const layout = planLayout(renamed, computeProfile());
    expect(layout.systemDisk).toMatchObject({ path: '/dev/sdb', serial: systemSsd.serial });
  });

  it('numbers cluster partitions by WWN, so a reordered inventory gives the same names', () => {
    const reversed = { disks: [...storageNode.disks].reverse() };
    const names = (inv: Inventory) =>
      Object.fromEntries(planLayout(inv, storageProfile()).clusterDisks.map((p) => [p.disk.serial, p.name]));
    expect(names(reversed)).toEqual(names(storageNode));
  });

  it('computes the GPT partition and VG capacity exactly', () => {
    const layout = planLayout(storageNode, storageProfile());
    expect(layout.clusterDisks[0]).toMatchObject({ startBytes: 1024 ** 2, number: 1 });
    expect((layout.clusterDisks[0]!.startBytes + layout.clusterDisks[0]!.sizeBytes) % 1024 ** 2).toBe(0);
    const vg = planLayout(computeNode, computeProfile()).volumeGroups[0]!;
    expect(vg.capacityBytes % (4 * 1024 ** 2)).toBe(0);
    expect(vg.capacityBytes).toBeLessThan(2 * 3_840_755_982_336);
  });
});

describe('planLayout refuses bad input with a typed error', () => {
  it.each<[string, Inventory, StorageProfile, string, RegExp]>([
    [
      'compute node without NVMe',
      { disks: [systemSsd] },
      computeProfile(),
      'STORAGE_DISK_NOT_FOUND',
      /fleet-instances needs at least 1 disk\(s\) matching transport=nvme, found 0/,
    ],
    [
      'no disk for the system disk rule',
      { disks: computeNode.disks.slice(1) },
      computeProfile(),
      'STORAGE_DISK_NOT_FOUND',
      /no disk matches systemDisk/,
    ],
    [
      'two disks match the single system disk rule',
      {
        disks: [systemSsd, { ...systemSsd, path: '/dev/sdb', serial: 'S45NNA0R999999' }, ...computeNode.disks.slice(1)],
      },
      computeProfile(),
      'STORAGE_DISK_AMBIGUOUS',
      /2 disks match systemDisk.*\/dev\/sda.*\/dev\/sdb.*Narrow it with serial/,
    ],
    [
      'controller volumes bigger than the SSDs',
      {
        disks: [
          systemSsd,
          { ...controllerNode.disks[1]!, sizeBytes: 240 * GB },
          { ...controllerNode.disks[2]!, sizeBytes: 240 * GB },
        ],
      },
      controllerProfile({
        systemDisk: { serial: systemSsd.serial! },
        dataDisks: { transport: 'sata', rotational: false, minBytes: 200 * GB, maxBytes: 300 * GB },
      }),
      'STORAGE_INSUFFICIENT_SPACE',
      /fleet-db needs 600 GiB plus at least 1 GiB .* hold 44\d\.\d GiB/,
    ],
    [
      'controller with one data SSD where two are required',
      { disks: controllerNode.disks.slice(0, 2) },
      controllerProfile(),
      'STORAGE_DISK_NOT_FOUND',
      /at least 2 disk/,
    ],
    ['an empty inventory', { disks: [] }, computeProfile(), 'STORAGE_INVALID_INVENTORY', /lists no disks/],
    [
      'a disk listed twice',
      { disks: [systemSsd, systemSsd] },
      computeProfile(),
      'STORAGE_INVALID_INVENTORY',
      /listed twice/,
    ],
    [
      'a mountpoint with shell characters',
      computeNode,
      {
        ...computeProfile(),
        volumeGroups: [
          {
            name: 'vg',
            disks: { transport: 'nvme' },
            volumes: [{ name: 'x', size: 'rest', mountpoint: '/srv/$(reboot)' }],
          },
        ],
      },
      'STORAGE_INVALID_PROFILE',
      /mountpoint/,
    ],
    [
      'two rest volumes',
      computeNode,
      {
        ...computeProfile(),
        volumeGroups: [
          {
            name: 'vg',
            disks: { transport: 'nvme' },
            volumes: [
              { name: 'a', size: 'rest', mountpoint: '/a' },
              { name: 'b', size: 'rest', mountpoint: '/b' },
            ],
          },
        ],
      },
      'STORAGE_INVALID_PROFILE',
      /only one volume/,
    ],
    [
      'a volume name longer than an XFS label',
      computeNode,
      {
        ...computeProfile(),
        volumeGroups: [
          {
            name: 'vg',
            disks: { transport: 'nvme' },
            volumes: [{ name: 'instances-long', size: 'rest', mountpoint: '/a' }],
          },
        ],
      },
      'STORAGE_INVALID_PROFILE',
      /at most 12 characters/,
    ],
    [
      'the system disk rule also matching a filesystem rule',
      computeNode,
      {
        ...computeProfile(),
        filesystems: [{ name: 'scratch', disk: { serial: systemSsd.serial! }, mountpoint: '/scratch' }],
      },
      'STORAGE_INVALID_PROFILE',
      /another rule already uses/,
    ],
  ])('%s', (_name, inventory, profile, code, message) => {
    let error: unknown;
    try {
      planLayout(inventory, profile);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });

  it('fails before any command runs when plan comes first', async () => {
    const executor = createScriptedExecutor([]);
    const run = async () => {
      const layout = planLayout({ disks: [systemSsd] }, computeProfile());
      return await readCurrentState(executor, { devices: layout.volumeGroups[0]!.disks.map((d) => d.path) });
    };
    await expect(run()).rejects.toMatchObject({ code: 'STORAGE_DISK_NOT_FOUND' });
    expect(executor.calls).toEqual([]);
  });
});
