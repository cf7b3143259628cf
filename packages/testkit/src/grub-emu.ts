import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULES = '/usr/lib/grub/x86_64-emu';

/** True when grub-emu and its modules are installed (`apt-get install grub-emu`). */
export function hasGrubEmu(): boolean {
  return existsSync(MODULES) && spawnSync('sh', ['-c', 'command -v grub-emu']).status === 0;
}

/** What one GRUB config really did when its default entry booted in grub-emu. */
export interface GrubBoot {
  /** `linux PATH ARGS…` of the entry that booted, arguments whole (however long). */
  linux: { path: string; args: string[] } | undefined;
  /** `initrd PATH…` of the entry that booted. */
  initrd: string[];
  /** `chainloader` calls, as `root=<root> <target>`. */
  chain: string[];
  /** Everything the stand-ins printed, in order (one entry per call or argument). */
  lines: string[];
}

export interface GrubEmu {
  /** Runs `config` as GRUB would (default entry, no keys pressed) with `disk` as (hd0). */
  boot(config: string, disk?: 'installed' | 'empty'): GrubBoot;
  close(): void;
}

// grub-emu's terminal is 80 columns wide and draws wrapped lines with escape sequences: each value is
// printed in 50-character pieces (`FLEET-MORE` continues the previous line) and joined again here. The
// value given to `regexp` starts with `:` so that a piece starting with `-` is not taken for an option.
const WRAPPER = (node: string) => `function fleet_print {
  set fleet_tag="$1"
  set fleet_rest="$2"
  while regexp --set=1:fleet_head --set=2:fleet_rest '^:(.{1,50})(.*)$' ":$fleet_rest"; do
    echo "$fleet_tag $fleet_head"
    set fleet_tag=FLEET-MORE
  done
  if [ "$2" = "" ]; then echo "$1"; fi
}
function linux { fleet_print FLEET-LINUX "$1"; shift; for a in $@; do fleet_print FLEET-ARG "$a"; done; }
function initrd { for a in $@; do fleet_print FLEET-INITRD "$a"; done; }
function chainloader { fleet_print FLEET-CHAIN "root=$root $1"; }
source (host)${node}
set timeout=0
`;

/**
 * Runs GRUB configs for real in grub-emu (MACHINE.md): a wrapper config replaces `linux`, `initrd` and
 * `chainloader` (absent on the emu platform) with functions that print what they were given, sources the
 * config and lets its default entry boot. `search` is GRUB's own, run against (hd0): a disk image holding an
 * installed system's boot files (`/EFI/debian/grubx64.efi`, `/EFI/ubuntu/shimx64.efi`, `/boot/grub/grub.cfg`)
 * or an empty one.
 */
export function createGrubEmu(): GrubEmu {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-grub-emu-'));
  mkdirSync(join(dir, 'grub'));
  symlinkSync(MODULES, join(dir, 'grub/x86_64-emu'));
  const root = join(dir, 'installed');
  mkdirSync(join(root, 'EFI/debian'), { recursive: true });
  mkdirSync(join(root, 'EFI/ubuntu'), { recursive: true });
  mkdirSync(join(root, 'boot/grub'), { recursive: true });
  writeFileSync(join(root, 'EFI/debian/grubx64.efi'), 'stand-in');
  writeFileSync(join(root, 'EFI/ubuntu/shimx64.efi'), 'stand-in');
  writeFileSync(join(root, 'boot/grub/grub.cfg'), 'stand-in');
  for (const [image, args] of [
    ['installed.img', ['-d', root]],
    ['empty.img', []],
  ] as const) {
    writeFileSync(join(dir, image), '');
    spawnSync('truncate', ['-s', '8M', join(dir, image)]);
    const made = spawnSync('mkfs.ext4', ['-q', '-F', ...args, join(dir, image)], { encoding: 'utf8', timeout: 60_000 });
    if (made.status !== 0) throw new Error(`mkfs.ext4 failed: ${made.stderr}`);
  }
  return {
    boot(config, disk = 'installed') {
      writeFileSync(join(dir, 'devmap'), `(hd0) ${join(dir, `${disk}.img`)}\n`);
      writeFileSync(join(dir, 'node.cfg'), config);
      writeFileSync(join(dir, 'grub/grub.cfg'), WRAPPER(join(dir, 'node.cfg')));
      const result = spawnSync('timeout', ['20', 'grub-emu', '-d', join(dir, 'grub'), '-m', join(dir, 'devmap')], {
        input: 'cccccccc\u0015halt\r',
        encoding: 'latin1',
        timeout: 30_000,
      });
      // grub-emu draws with terminal escapes; keep the text of our marker lines only.
      const text = `${result.stdout}${result.stderr}`.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '\n');
      const lines: string[] = [];
      for (const raw of text.split(/[\r\n]+/)) {
        const line = raw.trim();
        if (line.startsWith('FLEET-MORE ')) {
          if (lines.length > 0) lines[lines.length - 1] += line.slice('FLEET-MORE '.length);
        } else if (line.startsWith('FLEET-')) {
          lines.push(line);
        }
      }
      const value = (line: string) => line.slice(line.indexOf(' ') + 1);
      const linuxAt = lines.findIndex((l) => l.startsWith('FLEET-LINUX '));
      const args: string[] = [];
      for (let i = linuxAt + 1; linuxAt >= 0 && i < lines.length && lines[i]?.startsWith('FLEET-ARG'); i++) {
        args.push(lines[i] === 'FLEET-ARG' ? '' : value(lines[i] as string));
      }
      return {
        linux: linuxAt >= 0 ? { path: value(lines[linuxAt] as string), args } : undefined,
        initrd: lines.filter((l) => l.startsWith('FLEET-INITRD ')).map(value),
        chain: lines.filter((l) => l.startsWith('FLEET-CHAIN ')).map(value),
        lines,
      };
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
