import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CurrentState,
  computeProfile,
  controllerProfile,
  diffLayout,
  type Inventory,
  parseFindmnt,
  parseLvs,
  parsePvs,
  parseSfdisk,
  parseVgs,
  parseWipefs,
  planLayout,
  type StorageProfile,
  storageProfile,
} from '../src/index.js';
import { computeNode, controllerNode, installedState, storageNode } from './nodes.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const UUID = '11111111-2222-4333-8444-555555555555';
const diffOf = (inventory: Inventory, profile: StorageProfile, state: CurrentState) =>
  diffLayout(planLayout(inventory, profile), state, { newUuid: () => UUID });
const actions = (inventory: Inventory, profile: StorageProfile, state: CurrentState) =>
  diffOf(inventory, profile, state).steps.map((s) => `${s.action} ${s.args.at(-1)}`);

/** The compute node after a successful apply, from captured-format LVM JSON. */
function computeApplied(): CurrentState {
  const state = installedState(computeNode);
  state.physicalVolumes = parsePvs(fixture('compute-applied.pvs.json'));
  state.volumeGroups = parseVgs(fixture('compute-applied.vgs.json'));
  state.logicalVolumes = parseLvs(fixture('compute-applied.lvs.json')).map((lv) => ({
    ...lv,
    type: 'xfs',
    label: 'instances',
    uuid: UUID,
    signatures: [{ offset: 0, type: 'xfs', uuid: UUID, label: 'instances' }],
  }));
  for (const pv of ['/dev/nvme0n1', '/dev/nvme1n1']) {
    state.devices[pv] = {
      path: pv,
      type: 'LVM2_member',
      signatures: [{ offset: 536, type: 'LVM2_member' }],
      partitions: [],
    };
  }
  state.mounts = parseFindmnt(fixture('compute-applied.findmnt.json'));
  state.fstab.push({
    spec: `UUID=${UUID}`,
    file: '/var/lib/nova/instances',
    vfstype: 'xfs',
    options: 'defaults,nofail',
  });
  return state;
}

describe('diffLayout per profile', () => {
  it.each<[string, Inventory, StorageProfile, () => CurrentState, string[]]>([
    [
      'controller, freshly installed: PVs, VG, then fixed LVs before the rest LV, each wiped before mkfs',
      controllerNode,
      controllerProfile(),
      () => installedState(controllerNode),
      [
        'pvcreate /dev/sdb',
        'pvcreate /dev/sdc',
        'vgcreate /dev/sdc',
        'lvcreate fleet-db',
        'wipefs /dev/fleet-db/postgres',
        'mkfs.xfs /dev/fleet-db/postgres',
        'mkdir /var/lib/postgresql',
        'mount /var/lib/postgresql',
        'fstab /etc/fstab',
        'lvcreate fleet-db',
        'wipefs /dev/fleet-db/rabbitmq',
        'mkfs.xfs /dev/fleet-db/rabbitmq',
        'mkdir /var/lib/rabbitmq',
        'mount /var/lib/rabbitmq',
        'fstab /etc/fstab',
        'lvcreate fleet-db',
        'wipefs /dev/fleet-db/backup',
        'mkfs.xfs /dev/fleet-db/backup',
        'mkdir /srv/backup',
        'mount /srv/backup',
        'fstab /etc/fstab',
      ],
    ],
    [
      'compute, freshly installed',
      computeNode,
      computeProfile(),
      () => installedState(computeNode),
      [
        'pvcreate /dev/nvme0n1',
        'pvcreate /dev/nvme1n1',
        'vgcreate /dev/nvme1n1',
        'lvcreate fleet-instances',
        'wipefs /dev/fleet-instances/instances',
        'mkfs.xfs /dev/fleet-instances/instances',
        'mkdir /var/lib/nova/instances',
        'mount /var/lib/nova/instances',
        'fstab /etc/fstab',
      ],
    ],
    ['compute, already applied: nothing to do', computeNode, computeProfile(), computeApplied, []],
    [
      'compute, crashed after lvcreate: wipe, format, mount, fstab only',
      computeNode,
      computeProfile(),
      () => {
        const state = computeApplied();
        state.logicalVolumes = state.logicalVolumes.map(({ type: _t, label: _l, uuid: _u, ...lv }) => ({
          ...lv,
          signatures: [],
        }));
        state.mounts = state.mounts.filter((m) => m.target !== '/var/lib/nova/instances');
        state.fstab = state.fstab.filter((e) => e.file !== '/var/lib/nova/instances');
        return state;
      },
      [
        'wipefs /dev/fleet-instances/instances',
        'mkfs.xfs /dev/fleet-instances/instances',
        'mkdir /var/lib/nova/instances',
        'mount /var/lib/nova/instances',
        'fstab /etc/fstab',
      ],
    ],
    [
      'compute, crashed after pvcreate of one disk: that orphan PV is reused',
      computeNode,
      computeProfile(),
      () => {
        const state = installedState(computeNode);
        state.physicalVolumes = [{ name: '/dev/nvme0n1', vgTags: [] }];
        state.devices['/dev/nvme0n1']!.signatures = [{ offset: 536, type: 'LVM2_member' }];
        return state;
      },
      [
        'pvcreate /dev/nvme1n1',
        'vgcreate /dev/nvme1n1',
        'lvcreate fleet-instances',
        'wipefs /dev/fleet-instances/instances',
        'mkfs.xfs /dev/fleet-instances/instances',
        'mkdir /var/lib/nova/instances',
        'mount /var/lib/nova/instances',
        'fstab /etc/fstab',
      ],
    ],
    [
      'storage, freshly installed: one GPT partition per HDD',
      storageNode,
      storageProfile(),
      () => installedState(storageNode),
      storageNode.disks.slice(1).map((d) => `sgdisk ${d.path}`),
    ],
    [
      'storage, disk sdb already labelled by fleet: left alone',
      storageNode,
      storageProfile(),
      () => {
        const state = installedState(storageNode);
        const table = parseSfdisk(fixture('storage-disk.sfdisk.json'))!;
        state.devices['/dev/sdb'] = {
          path: '/dev/sdb',
          partitionTable: 'gpt',
          signatures: [{ offset: 512, type: 'gpt' }],
          partitions: table.partitions.map((p) => ({ ...p, path: '/dev/sdb1', signatures: [] })),
        };
        return state;
      },
      storageNode.disks.slice(2).map((d) => `sgdisk ${d.path}`),
    ],
  ])('%s', (_name, inventory, profile, state, expected) => {
    expect(actions(inventory, profile, state())).toEqual(expected);
  });

  it('marks block-device writes destructive and mount/fstab steps not', () => {
    const { steps } = diffOf(computeNode, computeProfile(), installedState(computeNode));
    expect(steps.filter((s) => !s.destructive).map((s) => s.action)).toEqual(['mkdir', 'mount', 'fstab']);
    expect(steps.every((s) => !s.systemDisk && s.foreignData === undefined)).toBe(true);
    const mkfs = steps.find((s) => s.action === 'mkfs.xfs')!;
    expect(mkfs.args).toEqual(['-L', 'instances', '-m', `uuid=${UUID}`, '/dev/fleet-instances/instances']);
    expect(steps.find((s) => s.action === 'fstab')?.stdin).toBe(
      `UUID=${UUID} /var/lib/nova/instances xfs defaults,nofail 0 2\n`,
    );
    expect(steps.find((s) => s.action === 'lvcreate')?.args).toEqual(
      expect.arrayContaining(['--addtag', 'fleet', '--extents', '100%FREE', '--wipesignatures', 'y']),
    );
  });

  it('marks a disk with data fleet did not create, and wipes it first', () => {
    const state = installedState(storageNode);
    state.devices['/dev/sdc']!.signatures = parseWipefs(fixture('foreign-ext4.wipefs.json'));
    const { steps } = diffOf(storageNode, storageProfile(), state);
    const onSdc = steps.filter((s) => s.disk === '/dev/sdc');
    expect(onSdc.map((s) => s.action)).toEqual(['wipefs', 'sgdisk']);
    expect(onSdc[0]?.foreignData).toMatch(/ext4 9a1b2c3d/);
  });

  it('marks a disk holding / as the system disk even when a rule picked it', () => {
    const state = installedState(storageNode);
    const sdd = state.blockDevices.find((d) => d.path === '/dev/sdd')!;
    sdd.children = [
      {
        name: 'sdd1',
        path: '/dev/sdd1',
        type: 'part',
        sizeBytes: 1,
        rotational: true,
        mountpoints: ['/'],
        children: [],
      },
    ];
    const { steps } = diffOf(storageNode, storageProfile(), state);
    expect(steps.find((s) => s.disk === '/dev/sdd')).toMatchObject({ systemDisk: true, foreignData: 'mounted at /' });
  });

  it.each<[string, (s: CurrentState) => void, string, RegExp]>([
    [
      'a volume group of the same name not created by fleet',
      (s) => {
        s.volumeGroups = parseVgs(fixture('foreign.vgs.json'));
      },
      'STORAGE_CONFLICT',
      /not created by fleet/,
    ],
    [
      'the mountpoint already used by another device',
      (s) => {
        s.mounts.push({ target: '/var/lib/nova/instances', source: '/dev/sdz1', fstype: 'ext4' });
      },
      'STORAGE_CONFLICT',
      /already has \/dev\/sdz1/,
    ],
    [
      'an fstab line for the mountpoint with another UUID',
      (s) => {
        s.fstab.push({ spec: 'UUID=deadbeef', file: '/var/lib/nova/instances', vfstype: 'xfs', options: 'defaults' });
      },
      'STORAGE_CONFLICT',
      /already mounts UUID=deadbeef/,
    ],
    [
      'a disk that was not probed',
      (s) => {
        delete s.devices['/dev/nvme1n1'];
      },
      'STORAGE_CONFLICT',
      /was not probed/,
    ],
  ])('refuses %s', (_name, mutate, code, message) => {
    const state = installedState(computeNode);
    mutate(state);
    expect(() => diffOf(computeNode, computeProfile(), state)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});
