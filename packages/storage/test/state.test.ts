import { readFileSync } from 'node:fs';
import { createScriptedExecutor } from '@fleet/exec';
import { describe, expect, it } from 'vitest';
import {
  computeProfile,
  defaultPartitionPath,
  diffLayout,
  inventoryFromLsblk,
  parseBlkid,
  parseFstab,
  parseLsblk,
  parseSfdisk,
  parseWipefs,
  planLayout,
  readCurrentState,
} from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const UUID = '11111111-2222-4333-8444-555555555555';

describe('parsers', () => {
  it('reads lsblk into disks with stable properties, skipping CD-ROMs', () => {
    const inventory = inventoryFromLsblk(fixture('compute.lsblk.json'), { hostname: 'cmp-17' });
    expect(inventory.disks.map((d) => [d.path, d.transport, d.serial])).toEqual([
      ['/dev/sda', 'sata', 'S45NNA0R123456'],
      ['/dev/nvme0n1', 'nvme', 'S64HNE0T400001'],
      ['/dev/nvme1n1', 'nvme', 'S64HNE0T400002'],
    ]);
    expect(parseLsblk(fixture('compute.lsblk.json'))[0]?.children.map((c) => c.mountpoints)).toEqual([
      ['/boot/efi'],
      ['/'],
    ]);
  });

  it('reads wipefs hex offsets, blkid export, sfdisk tables and fstab', () => {
    expect(parseWipefs(fixture('foreign-ext4.wipefs.json'))).toEqual([
      { offset: 0x438, type: 'ext4', uuid: '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', label: 'olddata' },
    ]);
    expect(parseWipefs('')).toEqual([]);
    expect(parseBlkid('DEVNAME=/dev/loop0\nUUID=abc\nBLOCK_SIZE=512\nTYPE=xfs\n')).toEqual({
      type: 'xfs',
      uuid: 'abc',
    });
    expect(parseBlkid('')).toEqual({});
    expect(parseSfdisk(fixture('storage-disk.sfdisk.json'))).toEqual({
      label: 'gpt',
      partitions: [{ number: 1, name: 'fleet-cluster-0', startBytes: 1048576, sizeBytes: 31251755008 * 512 }],
    });
    expect(parseFstab('# c\nUUID=x /srv xfs defaults 0 2\n\n')).toEqual([
      { spec: 'UUID=x', file: '/srv', vfstype: 'xfs', options: 'defaults' },
    ]);
  });

  it.each([
    ['lsblk', () => parseLsblk('{"devices":[]}')],
    ['lsblk', () => parseLsblk('not json')],
    ['wipefs', () => parseWipefs('{"x":1}')],
    ['sfdisk', () => parseSfdisk('{"partitiontable":{}}')],
  ])('refuses malformed %s output with STORAGE_STATE_UNREADABLE', (_tool, parse) => {
    expect(parse).toThrow(expect.objectContaining({ code: 'STORAGE_STATE_UNREADABLE' }));
  });

  it('names partitions like the kernel and udev do', () => {
    const p = { number: 1, startBytes: 0, sizeBytes: 0 };
    expect(defaultPartitionPath('/dev/sdb', p)).toBe('/dev/sdb1');
    expect(defaultPartitionPath('/dev/nvme0n1', p)).toBe('/dev/nvme0n1p1');
    expect(defaultPartitionPath('/dev/disk/by-id/wwn-0x5000c500d0000001', p)).toBe(
      '/dev/disk/by-id/wwn-0x5000c500d0000001-part1',
    );
  });
});

describe('readCurrentState through an executor (scripted with captured output)', () => {
  const appliedCompute = () =>
    createScriptedExecutor([
      { command: 'lsblk', stdout: fixture('compute.lsblk.json') },
      { command: 'sfdisk', code: 1, stderr: 'does not contain a recognized partition table', repeat: true },
      {
        command: 'wipefs',
        args: ['-J', '/dev/fleet-instances/instances'],
        stdout:
          '{"signatures":[{"device":"dm-0","offset":"0x0","type":"xfs","uuid":"' + UUID + '","label":"instances"}]}',
      },
      {
        command: 'blkid',
        args: (a) => a.includes('/dev/fleet-instances/instances'),
        stdout: `UUID=${UUID}\nTYPE=xfs\nLABEL=instances\n`,
      },
      {
        command: 'wipefs',
        args: (a) => a[1]?.startsWith('/dev/nvme') === true,
        stdout: '{"signatures":[{"device":"nvme0n1","offset":"0x218","type":"LVM2_member","uuid":"x","label":null}]}',
        repeat: true,
      },
      {
        command: 'blkid',
        args: (a) => a.some((x) => x.startsWith('/dev/nvme')),
        stdout: 'TYPE=LVM2_member\n',
        repeat: true,
      },
      { command: 'pvs', stdout: fixture('compute-applied.pvs.json') },
      { command: 'vgs', stdout: fixture('compute-applied.vgs.json') },
      { command: 'lvs', stdout: fixture('compute-applied.lvs.json') },
      { command: 'findmnt', stdout: fixture('compute-applied.findmnt.json') },
      {
        command: 'cat',
        args: ['/etc/fstab'],
        stdout: `UUID=2f6c /  ext4 errors=remount-ro 0 1\nUUID=${UUID} /var/lib/nova/instances xfs defaults,nofail 0 2\n`,
      },
    ]);

  it('runs only read-only commands and finds nothing to do on an applied compute node', async () => {
    const executor = appliedCompute();
    const state = await readCurrentState(executor, { devices: ['/dev/nvme0n1', '/dev/nvme1n1'] });
    expect(executor.unused()).toEqual([]);
    for (const call of executor.calls) {
      expect(call.args).not.toContain('-a');
      expect(['lsblk', 'sfdisk', 'wipefs', 'blkid', 'pvs', 'vgs', 'lvs', 'findmnt', 'cat']).toContain(call.command);
    }
    expect(state.logicalVolumes[0]).toMatchObject({ type: 'xfs', label: 'instances', tags: ['fleet'] });
    const inventory = inventoryFromLsblk(fixture('compute.lsblk.json'));
    const plan = diffLayout(planLayout(inventory, computeProfile()), state);
    expect(plan.steps).toEqual([]);
  });

  it('reports a failing tool as STORAGE_STATE_UNREADABLE naming the command', async () => {
    const executor = createScriptedExecutor([{ command: 'lsblk', code: 127, stderr: 'lsblk: command not found' }]);
    await expect(readCurrentState(executor)).rejects.toMatchObject({
      code: 'STORAGE_STATE_UNREADABLE',
      message: expect.stringContaining('command not found'),
    });
  });
});
