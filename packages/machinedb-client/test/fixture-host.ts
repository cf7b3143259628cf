import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult, Executor } from '@fleet/core';
import type { InventoryFiles } from '../src/index.js';

export const fixtures = new URL('./fixtures/', import.meta.url).pathname;

export function fixture(dir: string, name: string): string {
  return readFileSync(join(fixtures, dir, name), 'utf8');
}

type Reply = { code: number; stdout?: string; stderr?: string } | 'missing';

/** An Executor answering from captured tool output; unknown commands behave like a missing binary. */
export function fixtureExecutor(replies: Record<string, Reply>, calls: string[] = []): Executor {
  return {
    target: 'fixture',
    async run(command, args): Promise<ExecResult> {
      const line = [command, ...args].join(' ');
      calls.push(line);
      const reply = replies[line] ?? 'missing';
      if (reply === 'missing') throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
      return { code: reply.code, stdout: reply.stdout ?? '', stderr: reply.stderr ?? '', durationMs: 1 };
    },
  };
}

export function fixtureFiles(tree: {
  files?: Record<string, string>;
  links?: Record<string, string>;
  dirs?: Record<string, string[]>;
}): InventoryFiles {
  return {
    readFile: async (p) => tree.files?.[p],
    readDir: async (p) => tree.dirs?.[p],
    readLink: async (p) => tree.links?.[p],
  };
}

const ok = (stdout: string) => ({ code: 0, stdout });

/** The Debian VM these tests were written on, as captured in fixtures/this-machine. */
export function thisMachine() {
  const d = 'this-machine';
  const executor = fixtureExecutor({
    'dmidecode': { code: 1, stdout: '# dmidecode 3.4\nScanning /dev/mem for entry point.\n', stderr: '/dev/mem: No such file or directory\n' },
    'lshw -json -quiet': ok(fixture(d, 'lshw.json')),
    'lsblk -J -b -O': ok(fixture(d, 'lsblk.json')),
    'ip -j link': ok(fixture(d, 'ip-link.json')),
    'ip -j addr': ok(fixture(d, 'ip-addr.json')),
    'ipmitool lan print 1': { code: 1, stderr: fixture(d, 'ipmitool-lan.txt') },
  });
  const files = fixtureFiles({
    files: {
      '/proc/cpuinfo': fixture(d, 'cpuinfo.txt'),
      '/proc/meminfo': fixture(d, 'meminfo.txt'),
      '/etc/machine-id': fixture(d, 'machine-id.txt'),
      '/sys/class/net/eth0/speed': '-1\n',
    },
    links: { '/sys/class/net/eth0/device': '../../../virtio2' },
    dirs: { '/sys/class/net': ['eth0', 'ifb0', 'ifb1', 'lo'] },
  });
  return { executor, files };
}

/** A Dell R650 with 5 disks, 4 physical NICs (two bonded), LLDP and a BMC, written down from real output shapes. */
export function r650() {
  const d = 'r650';
  const executor = fixtureExecutor({
    'dmidecode': ok(fixture(d, 'dmidecode.txt')),
    'lshw -json -quiet': ok(fixture(d, 'lshw.json')),
    'lsblk -J -b -O': ok(fixture(d, 'lsblk.json')),
    'ip -j link': ok(fixture(d, 'ip-link.json')),
    'ip -j addr': ok(fixture(d, 'ip-addr.json')),
    'lldpctl -f json': ok(fixture(d, 'lldpctl.json')),
    'ipmitool lan print 1': ok(fixture(d, 'ipmitool-lan.txt')),
    'ipmitool mc info': ok(fixture(d, 'ipmitool-mc.txt')),
  });
  const sys = JSON.parse(fixture(d, 'sys.json')) as { files: Record<string, string>; links: Record<string, string>; dirs: Record<string, string[]> };
  const byId = JSON.parse(fixture(d, 'by-id.json')) as Record<string, string>;
  const links = { ...sys.links };
  for (const [name, target] of Object.entries(byId)) links[`/dev/disk/by-id/${name}`] = target;
  const files = fixtureFiles({ files: sys.files, links, dirs: { ...sys.dirs, '/dev/disk/by-id': Object.keys(byId) } });
  return { executor, files };
}

export function hasFixture(dir: string, name: string): boolean {
  return existsSync(join(fixtures, dir, name));
}
