import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGrubConfig, renderGrubFallback } from '../src/index.js';
import { makeSite, sampleNodes } from './fixture.js';

// Runs each GRUB config for real in grub-emu (MACHINE.md): a wrapper config replaces linux, initrd and
// chainloader (absent on the emu platform) with functions that print what they were given, sources the
// node's config and lets the default entry boot. The printed lines say which entry a MAC really boots,
// with which kernel arguments. `search` is GRUB's own, run against a disk image (hd0) that holds an
// installed system's boot files, or against an empty one.

const MODULES = '/usr/lib/grub/x86_64-emu';
const available = existsSync(MODULES) && spawnSync('sh', ['-c', 'command -v grub-emu']).status === 0;
if (!available && process.env.CI) throw new Error('grub-emu is missing (apt-get install grub-emu)');

describe.skipIf(!available)('grub-emu boots the entry the node is set to', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootconfig-grub-emu-'));
    mkdirSync(join(dir, 'grub'));
    symlinkSync(MODULES, join(dir, 'grub/x86_64-emu'));
    // An "installed" disk: ext4 built from a directory (no mount needed), and an empty one.
    const root = join(dir, 'installed');
    mkdirSync(join(root, 'EFI/debian'), { recursive: true });
    mkdirSync(join(root, 'boot/grub'), { recursive: true });
    writeFileSync(join(root, 'EFI/debian/grubx64.efi'), 'stand-in');
    writeFileSync(join(root, 'boot/grub/grub.cfg'), 'stand-in');
    for (const [image, args] of [
      ['installed.img', ['-d', root]],
      ['empty.img', []],
    ] as const) {
      writeFileSync(join(dir, image), '');
      spawnSync('truncate', ['-s', '8M', join(dir, image)]);
      const made = spawnSync('mkfs.ext4', ['-q', '-F', ...args, join(dir, image)], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Boots `config` and returns the FLEET lines: one per stand-in call, one per kernel argument. */
  function boot(config: string, disk: 'installed.img' | 'empty.img' = 'installed.img'): string[] {
    writeFileSync(join(dir, 'devmap'), `(hd0) ${join(dir, disk)}\n`);
    writeFileSync(join(dir, 'node.cfg'), config);
    writeFileSync(
      join(dir, 'grub/grub.cfg'),
      `function linux { echo "FLEET-LINUX $1"; shift; for a in $@; do echo "FLEET-ARG $a"; done; }
function initrd { echo "FLEET-INITRD $1"; }
function chainloader { echo "FLEET-CHAIN root=$root $1"; }
source (host)${join(dir, 'node.cfg')}
set timeout=0
`,
    );
    const result = spawnSync('timeout', ['10', 'grub-emu', '-d', join(dir, 'grub'), '-m', join(dir, 'devmap')], {
      input: 'cccccccc\u0015halt\r',
      encoding: 'latin1',
      timeout: 15_000,
    });
    // grub-emu draws with terminal escapes; keep the text of our marker lines only.
    const text = `${result.stdout}${result.stderr}`.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '\n');
    return text
      .split(/[\r\n]+/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith('FLEET-'));
  }

  const site = makeSite();
  const [debian, ubuntu] = [sampleNodes()[0]!.node, sampleNodes()[1]!.node];

  it('install boots the installer kernel with the preseed URL and static network', () => {
    const lines = boot(renderGrubConfig({ ...debian, bootTarget: 'install' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /debian/bookworm/linux');
    expect(lines).toContain('FLEET-ARG url=http://198.18.0.10:8080/boot/nodes/cmp-0101/preseed.cfg');
    expect(lines).toContain('FLEET-ARG netcfg/get_ipaddress=198.18.20.15');
    expect(lines).toContain('FLEET-INITRD /debian/bookworm/initrd.gz');
  });

  it('install on an Ubuntu node keeps the datasource argument whole, semicolon included', () => {
    const lines = boot(renderGrubConfig({ ...ubuntu, bootTarget: 'install' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /ubuntu/noble/vmlinuz');
    expect(lines).toContain('FLEET-ARG ds=nocloud-net;s=http://198.18.0.10:8080/boot/nodes/sto-0201/');
    expect(lines).toContain('FLEET-ARG autoinstall');
  });

  it('live boots the inventory system with the MAC and MachineDB URL', () => {
    const lines = boot(renderGrubConfig({ ...debian, bootTarget: 'live' }, site));
    expect(lines[0]).toBe('FLEET-LINUX /live/vmlinuz');
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
    expect(lines[0]).toBe('FLEET-LINUX /live/vmlinuz');
    expect(lines.some((l) => l.startsWith('FLEET-ARG fleet.mac='))).toBe(false);
  });
});
