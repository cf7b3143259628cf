import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import {
  InventorySchema,
  collectInventory,
  parseDmidecode,
  parseIpLinks,
  parseLldpctl,
  parseLsblk,
  parseLshw,
} from '../src/index.js';
import { fixture, fixtureExecutor, fixtureFiles, r650, thisMachine } from './fixture-host.js';

const check = TypeCompiler.Compile(InventorySchema);

describe('parsers on this machine\'s captured output', () => {
  it('lsblk: the virtio disk, not zram', () => {
    const disks = parseLsblk(fixture('this-machine', 'lsblk.json'));
    expect(disks.map((d) => d.name)).toEqual(['vda']);
    expect(disks[0]).toMatchObject({ sizeBytes: 274877906944, rotational: true, byId: [] });
  });

  it('ip link: ethernet interfaces with their MACs; ifb devices flagged virtual', () => {
    const links = parseIpLinks(fixture('this-machine', 'ip-link.json'));
    expect(links.map((l) => `${l.name}:${l.virtual}`)).toEqual(['ifb0:true', 'ifb1:true', 'eth0:false']);
    expect(links.find((l) => l.name === 'eth0')?.mac).toBe('02:fc:00:00:00:01');
    const addrs = parseIpLinks(fixture('this-machine', 'ip-addr.json'));
    expect(addrs.find((l) => l.name === 'eth0')?.addresses.length).toBeGreaterThan(0);
  });

  it('lshw: memory and CPU from a VM', () => {
    const facts = parseLshw(fixture('this-machine', 'lshw.json'));
    expect(facts.memoryBytes).toBe(25769803776);
    expect(facts.cpuModels).toEqual(['AMD EPYC']);
  });

  it('lldpctl: real lldpd output from a namespace pair, single-interface object form', () => {
    const lldp = parseLldpctl(fixture('this-machine', 'lldpctl-netns.json'));
    expect([...lldp.keys()]).toEqual(['lldp-a']);
    expect(lldp.get('lldp-a')).toEqual({
      switchName: 'leaf-b-r12',
      switchChassisId: '0a:de:14:71:5c:6a',
      port: '0a:de:14:71:5c:6a',
      portDescription: 'leaf-b Ethernet17 to r650-0117',
    });
  });

  it('dmidecode failing (no /dev/mem) yields no facts', () => {
    expect(parseDmidecode(fixture('this-machine', 'dmidecode.txt'))).toEqual({ board: {}, bios: {}, cpus: [], dimms: [] });
  });

  it('collectInventory: a valid inventory with notes for every missing tool', async () => {
    const { executor, files } = thisMachine();
    const inv = await collectInventory({ executor, files });
    expect(check.Check(inv)).toBe(true);
    expect(inv.systemUuid).toBe('3d1219c7-c4c5-404a-aa1f-6d2a48adfda4');
    expect(inv.nics).toEqual([{ name: 'eth0', mac: '02:fc:00:00:00:01' }]);
    expect(inv.cpus).toEqual([{ socket: 0, model: 'AMD EPYC', cores: 2, threads: 2, mhz: expect.any(Number) }]);
    expect(inv.memory.totalBytes).toBe(24683620 * 1024);
    expect(inv.notes).toEqual(
      expect.arrayContaining([
        'lldpctl not installed',
        expect.stringMatching(/^dmidecode exited 1/),
        'no SMBIOS system UUID: using /etc/machine-id',
        expect.stringMatching(/^ipmitool exited 1/),
      ]),
    );
    expect(inv.bmc).toBeUndefined();
  });
});

describe('parsers on a multi-disk, multi-NIC server (Dell R650)', () => {
  it('lsblk with by-id links: five disks, no partitions, optical or zram', () => {
    const byId = new Map([['sda', ['/dev/disk/by-id/ata-X_1', '/dev/disk/by-id/wwn-0x1']]]);
    const disks = parseLsblk(fixture('r650', 'lsblk.json'), byId);
    expect(disks.map((d) => d.name)).toEqual(['nvme0n1', 'nvme1n1', 'sda', 'sdb', 'sdc']);
    const sda = disks.find((d) => d.name === 'sda');
    expect(sda).toMatchObject({ serial: 'PHYF0123004X480BGN', wwn: '0x55cd2e415201a3c4', rotational: false });
    expect(sda?.byId).toEqual(['/dev/disk/by-id/ata-X_1', '/dev/disk/by-id/wwn-0x1']);
    // Without links, by-id paths are derived the way udev names them.
    const nvme = disks.find((d) => d.name === 'nvme0n1');
    expect(nvme?.byId).toContain('/dev/disk/by-id/nvme-Dell_Ent_NVMe_CM6_RI_3.84TB_Y0R0A02ETZ8E');
    expect(disks.find((d) => d.name === 'sdb')?.rotational).toBe(true);
  });

  it('ip link: bond members keep their own permanent MAC; bond, VLAN and docker are virtual', () => {
    const links = parseIpLinks(fixture('r650', 'ip-link.json'));
    const byName = Object.fromEntries(links.map((l) => [l.name, l]));
    expect(byName['ens1f1np1']?.mac).toBe('0c:42:a1:5e:77:81');
    expect(byName['bond0']?.virtual).toBe(true);
    expect(byName['bond0.120']?.virtual).toBe(true);
    expect(byName['docker0']?.virtual).toBe(true);
    expect(byName['eno1']?.virtual).toBe(false);
  });

  it('dmidecode: identity, board, BIOS, two sockets, populated DIMMs only', () => {
    const dmi = parseDmidecode(fixture('r650', 'dmidecode.txt'));
    expect(dmi).toMatchObject({
      systemUuid: '4c4c4544-0042-3210-8052-b5c04f4b3933',
      manufacturer: 'Dell Inc.',
      product: 'PowerEdge R650',
      serial: '5B2K4R3',
      board: { manufacturer: 'Dell Inc.', product: '0Y2K8N' },
      bios: { vendor: 'Dell Inc.', version: '1.10.2', date: '03/28/2023' },
    });
    expect(dmi.cpus).toEqual([
      { socket: 0, model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', cores: 32, threads: 64, mhz: 2000 },
      { socket: 1, model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', cores: 32, threads: 64, mhz: 2000 },
    ]);
    expect(dmi.dimms.map((d) => `${d.slot}:${d.sizeBytes / 2 ** 30}:${d.speedMts}`)).toEqual([
      'A1:64:3200',
      'A2:64:3200',
      'B1:64:3200',
      'B2:64:2933',
    ]);
  });

  it('lldpctl: array form, chassis without a name, VLAN from the PVID', () => {
    const lldp = parseLldpctl(fixture('r650', 'lldpctl.json'));
    expect(lldp.get('eno1')).toEqual({
      switchName: 'oob-sw-r12',
      switchChassisId: '70:10:6f:aa:bb:01',
      port: 'swp17',
      portDescription: 'r650-0117 idrac+eno1',
      vlan: 250,
    });
    expect(lldp.get('ens1f0np0')).toMatchObject({ switchName: 'leaf-r12-a', port: 'Ethernet17', vlan: 120 });
    expect(lldp.get('ens1f1np1')).toEqual({ switchChassisId: 'b8:59:9f:10:20:40', port: 'b8:59:9f:10:20:51' });
    const single = parseLldpctl(
      JSON.stringify({ lldp: { interface: { eth0: { chassis: { sw1: { id: { value: 'aa' } } }, port: { id: { value: 'p1' } } } } } }),
    );
    expect(single.get('eth0')).toMatchObject({ switchName: 'sw1', port: 'p1' });
    expect(parseLldpctl('{"lldp":{}}').size).toBe(0);
  });

  it('collectInventory: everything together, physical NICs only, addressed NIC first', async () => {
    const { executor, files } = r650();
    const inv = await collectInventory({ executor, files });
    expect(check.Check(inv)).toBe(true);
    expect(inv.systemUuid).toBe('4c4c4544-0042-3210-8052-b5c04f4b3933');
    expect(inv.memory.totalBytes).toBe(256 * 2 ** 30);
    expect(inv.memory.dimms).toHaveLength(4);
    expect(inv.nics.map((n) => `${n.name}/${n.speedMbps ?? '-'}`)).toEqual([
      'eno1/1000',
      'eno2/1000',
      'ens1f0np0/25000',
      'ens1f1np1/25000',
    ]);
    expect(inv.nics[2]?.lldp?.switchName).toBe('leaf-r12-a');
    expect(inv.disks.find((d) => d.name === 'sda')?.byId).toEqual([
      '/dev/disk/by-id/ata-SSDSC2KB480G8R_PHYF0123004X480BGN',
      '/dev/disk/by-id/wwn-0x55cd2e415201a3c4',
    ]);
    expect(inv.bmc).toEqual({ address: '10.250.12.117', mac: 'b0:7b:25:d4:1a:14', firmware: '6.10', vendor: 'DELL Inc' });
    expect(inv.notes).toBeUndefined();
  });
});

describe('collectInventory when tools are missing', () => {
  it('notes each missing tool and still reports from /proc and /sys', async () => {
    const executor = fixtureExecutor({ 'ip -j link': { code: 0, stdout: fixture('this-machine', 'ip-link.json') } });
    const files = fixtureFiles({
      files: {
        '/sys/class/dmi/id/product_uuid': 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE\n',
        '/proc/meminfo': 'MemTotal: 1024 kB\n',
        '/proc/cpuinfo': 'processor\t: 0\nmodel name\t: Test CPU\ncpu cores\t: 1\n\n',
      },
      links: { '/sys/class/net/eth0/device': '../../../virtio2' },
    });
    const inv = await collectInventory({ executor, files });
    expect(inv.systemUuid).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(inv.disks).toEqual([]);
    expect(inv.notes).toEqual(
      expect.arrayContaining(['dmidecode not installed', 'lshw not installed', 'lsblk not installed', 'lldpctl not installed']),
    );
  });

  it('fails with INVENTORY_NO_IDENTITY or INVENTORY_NO_NIC rather than sending a report that cannot be placed', async () => {
    await expect(collectInventory({ executor: fixtureExecutor({}), files: fixtureFiles({}) })).rejects.toMatchObject({
      code: 'INVENTORY_NO_IDENTITY',
    });
    await expect(
      collectInventory({ executor: fixtureExecutor({}), files: fixtureFiles({ files: { '/etc/machine-id': 'a'.repeat(32) } }) }),
    ).rejects.toMatchObject({ code: 'INVENTORY_NO_NIC' });
  });
});
