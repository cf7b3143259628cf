import { createGrubEmu, type GrubEmu, hasGrubEmu } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGrubConfig, renderGrubFallback } from '../src/index.js';
import { makeSite, sampleNodes } from './fixture.js';

// Runs each GRUB config for real in grub-emu (MACHINE.md, @fleet/testkit's createGrubEmu): stand-ins for
// linux, initrd and chainloader print what they were given, so the lines say which entry a MAC really
// boots, with which kernel arguments (whole, however long). `search` is GRUB's own, run against a disk
// image (hd0) that holds an installed system's boot files, or against an empty one.

const available = hasGrubEmu();
if (!available && process.env.CI) throw new Error('grub-emu is missing (apt-get install grub-emu)');

describe.skipIf(!available)('grub-emu boots the entry the node is set to', () => {
  let emu: GrubEmu;
  beforeAll(() => {
    emu = createGrubEmu();
  });
  afterAll(() => emu?.close());

  /** Boots `config` and returns the FLEET lines: one per stand-in call, one per kernel argument. */
  function boot(config: string, disk: 'installed.img' | 'empty.img' = 'installed.img'): string[] {
    return emu.boot(config, disk === 'installed.img' ? 'installed' : 'empty').lines;
  }

  const site = makeSite();
  const [debian, ubuntu] = [sampleNodes()[0]!.node, sampleNodes()[1]!.node];

  it('install boots the installer kernel with the preseed URL and static network', () => {
    const lines = boot(renderGrubConfig({ ...debian, bootTarget: 'install' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /boot/debian/bookworm/linux');
    expect(lines).toContain('FLEET-ARG url=http://198.18.0.10:8080/boot/installer/3c-ec-ef-12-34-56/preseed.cfg');
    expect(lines).toContain('FLEET-ARG netcfg/get_ipaddress=198.18.20.15');
    expect(lines).toContain('FLEET-INITRD /boot/debian/bookworm/initrd.gz');
  });

  it('install on an Ubuntu node keeps the datasource argument whole, semicolon included', () => {
    const lines = boot(renderGrubConfig({ ...ubuntu, bootTarget: 'install' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /boot/ubuntu/noble/vmlinuz');
    expect(lines).toContain('FLEET-ARG ds=nocloud-net;s=http://198.18.0.10:8080/boot/installer/3c-ec-ef-00-02-01/');
    expect(lines).toContain('FLEET-ARG autoinstall');
    expect(lines).toContain('FLEET-ARG ip=198.18.21.21::198.18.21.1:255.255.255.0:sto-0201:eno1:none:198.18.20.2');
  });

  it('live boots the inventory system with the MAC and MachineDB URL', () => {
    const lines = boot(renderGrubConfig({ ...debian, bootTarget: 'live' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /boot/live/vmlinuz');
    expect(lines).toContain('FLEET-ARG fleet.mac=3c:ec:ef:12:34:56');
    expect(lines).toContain('FLEET-ARG fleet.machinedb=http://198.18.0.10:8080');
  });

  it('local chainloads the installed boot loader (UEFI) or the system disk (BIOS)', () => {
    expect(boot(renderGrubConfig({ ...debian, bootTarget: 'local', firmware: 'uefi' }, site))).toEqual([
      'FLEET-CHAIN root=host (hd0)/EFI/debian/grubx64.efi',
    ]);
    expect(boot(renderGrubConfig({ ...debian, bootTarget: 'local', firmware: 'bios' }, site))).toEqual([
      'FLEET-CHAIN root=hd0 +1',
    ]);
  });

  it('local without an installed system boots nothing (back to the firmware)', () => {
    for (const firmware of ['uefi', 'bios'] as const) {
      expect(boot(renderGrubConfig({ ...debian, bootTarget: 'local', firmware }, site), 'empty.img')).toEqual([]);
    }
  });

  it('an unknown MAC boots the live system', () => {
    const lines = boot(renderGrubFallback(site));
    expect(lines[0]).toBe('FLEET-LINUX /boot/live/vmlinuz');
    expect(lines.some((l) => l.startsWith('FLEET-ARG fleet.mac='))).toBe(false);
  });
});
