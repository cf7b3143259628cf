import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachineDbClient, type MachineDbClient } from '@fleet/machinedb-client';
import type { NodeState } from '@fleet/machinedb-contract';
import { createGrubEmu, type GrubEmu, hasGrubEmu } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from './setup.js';

// The boot chain, followed as the machines follow it. For every lifecycle state a node passes through,
// the test fetches the node's GRUB file by the name GRUB asks for (grub.cfg-01-<mac>) and runs it in
// grub-emu to see which entry really boots; it fetches the iPXE script by ${net0/mac}. Every URL that
// firmware, kernel or installer would load from our server is taken from those files (GRUB: paths on its
// root, the server it was netbooted from; iPXE: absolute URLs; installer: url=, ds=nocloud-net;s=, the
// late command's report) and fetched as that client would — a plain GET, or the late command's own curl
// run under sh — and each answer must be 200 with the right content type and pass the file's real reader:
// grub-script-check, debconf-set-selections --checkonly, cloud-init schema, PyYAML, sh -n, the kernel's
// bzImage header, the initrd's gzip magic. Kernels and initrds are Debian's real netboot images.

const DI = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64';
const TOOLS = ['grub-script-check', 'debconf-set-selections', 'cloud-init', 'python3', 'curl'];
const missing = [
  ...(hasGrubEmu() ? [] : ['grub-emu']),
  ...TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0),
  ...(spawnSync('python3', ['-c', 'import yaml']).status === 0 ? [] : ['python3-yaml']),
  ...(existsSync(`${DI}/linux`) ? [] : ['debian-installer-12-netboot-amd64']),
];
if (missing.length > 0 && process.env.CI) throw new Error(`boot-chain test needs: ${missing.join(', ')}`);

const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0042-3610-8051-${String(900 + i).padStart(12, '0')}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [
    {
      name: 'nvme0n1',
      sizeBytes: 960e9,
      rotational: false,
      serial: `S9${i}NX0R`,
      wwn: `eui.0025388b9${i}`,
      byId: [`/dev/disk/by-id/nvme-SAMSUNG_MZQL2960_S9${i}NX0R`, `/dev/disk/by-id/nvme-eui.0025388b9${i}`],
    },
  ],
  nics: [
    { name: 'eno1', mac: `3c:ec:ef:09:0${i}:01` },
    { name: 'ens1f0', mac: `3c:ec:ef:09:0${i}:02` },
    { name: 'ens1f1', mac: `3c:ec:ef:09:0${i}:03` },
  ],
});

type Kind = 'kernel' | 'initrd' | 'preseed' | 'meta-data' | 'user-data' | 'vendor-data';

interface Followed {
  /** The entry that boots: `live`, `install` or `local`, as GRUB really chose it. */
  entry: string;
  /** Every URL loaded from our server, with what it is. */
  urls: Map<string, Kind>;
  /** Late-command scripts found in the installer files (decoded). */
  lateScripts: string[];
  /** The installer's early commands (preseed/early_command, autoinstall early-commands), as shell lines. */
  earlyCommands: string[];
}

function tempFile(dir: string, name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

function run(cmd: string, args: string[], input?: string): { code: number; out: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

/** The scripts carried base64-encoded in an installer file (preseed late_command, autoinstall late-commands). */
function lateScripts(text: string): string[] {
  return [...text.matchAll(/printf '%s' '([A-Za-z0-9+/=]{80,})'/g)].map((m) =>
    Buffer.from(m[1] as string, 'base64').toString('utf8'),
  );
}

describe.skipIf(missing.length > 0)('the boot chain: every URL answers in every state', () => {
  let s: Running;
  let emu: GrubEmu;
  let work: string;
  let origin: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fleet-boot-chain-'));
    const images = join(work, 'images');
    // The site's image paths, all backed by Debian's real netboot kernel and initrd.
    for (const [dir, kernel, initrd] of [
      ['live', 'vmlinuz', 'initrd.img'],
      ['debian', 'linux', 'initrd.gz'],
      ['ubuntu', 'vmlinuz', 'initrd'],
    ] as const) {
      mkdirSync(join(images, dir), { recursive: true });
      symlinkSync(`${DI}/linux`, join(images, dir, kernel));
      symlinkSync(`${DI}/initrd.gz`, join(images, dir, initrd));
    }
    s = await startServer({ FLEET_NETBOOT_IMAGE_DIR: images });
    origin = new URL(s.url).origin;
    emu = createGrubEmu();
  }, 60_000);
  afterAll(async () => {
    emu?.close();
    // Keep-alive sockets of the test's many fetches (and curl's) must not hold the close open.
    s?.server.app.server.closeAllConnections();
    await s?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** Resolves a URL a boot file names and requires it to be on our server. */
  function ours(url: string): string {
    expect(new URL(url).origin, `${url} is not on the provisioning server`).toBe(origin);
    return url;
  }

  /** Installer URLs carried on a kernel command line (Debian `url=`, Ubuntu NoCloud `ds=…;s=`). */
  function installerUrls(args: string[], urls: Map<string, Kind>): void {
    for (const arg of args) {
      if (arg.startsWith('url=')) urls.set(ours(arg.slice(4)), 'preseed');
      const ds = /^ds=nocloud-net;s=(.+\/)$/.exec(arg);
      if (ds) {
        for (const file of ['meta-data', 'user-data', 'vendor-data'] as const) {
          urls.set(ours(new URL(file, ds[1]).href), file);
        }
      }
    }
  }

  async function follow(mac: string): Promise<Followed> {
    const urls = new Map<string, Kind>();
    // GRUB, as GRUB asks for it; then run for real.
    const grubRes = await fetch(`${origin}/boot/grub/grub.cfg-01-${mac.replaceAll(':', '-')}`);
    const grub = await grubRes.text();
    expect(grubRes.status, grub).toBe(200);
    expect(grubRes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const check = run('grub-script-check', [tempFile(work, 'grub.cfg', grub)]);
    expect(check.code, check.out).toBe(0);
    // Every entry's kernel and initrd (a fallback entry may boot too): GRUB paths on its root.
    for (const m of grub.matchAll(/^\s*(linux|initrd) (\S+)/gm)) {
      urls.set(ours(`${origin}${m[2]}`), m[1] === 'linux' ? 'kernel' : 'initrd');
    }
    const booted = emu.boot(grub);
    const entry = booted.linux ? (booted.linux.args.some((a) => a.startsWith('fleet.machinedb=')) ? 'live' : 'install') : 'local';
    if (booted.linux) {
      urls.set(ours(`${origin}${booted.linux.path}`), 'kernel');
      for (const initrd of booted.initrd) urls.set(ours(`${origin}${initrd}`), 'initrd');
      installerUrls(booted.linux.args, urls);
    } else {
      expect(booted.chain.length, booted.lines.join('\n')).toBe(1);
    }

    // iPXE, by ${net0/mac}: the entry it jumps to must boot the same kernel with the same installer URLs.
    const ipxeRes = await fetch(`${origin}/boot/ipxe/${mac}`);
    const ipxe = await ipxeRes.text();
    expect(ipxeRes.status, ipxe).toBe(200);
    expect(ipxeRes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(ipxe.startsWith('#!ipxe\n')).toBe(true);
    for (const m of ipxe.matchAll(/^kernel (\S+)/gm)) urls.set(ours(m[1] as string), 'kernel');
    for (const m of ipxe.matchAll(/^initrd (?:--name \S+ )?(\S+)/gm)) urls.set(ours(m[1] as string), 'initrd');
    const target = /^goto (\S+)$/m.exec(ipxe)?.[1];
    expect(target).toBe(entry);
    const block = ipxe.slice(ipxe.indexOf(`\n:${target}\n`));
    const kernelLine = /^kernel (\S+) (.*)$/m.exec(block.split('\nboot\n')[0] ?? '');
    if (entry === 'local') {
      expect(kernelLine).toBeNull();
    } else {
      const args = (kernelLine?.[2] ?? '').split(' ');
      expect(kernelLine?.[1]).toBe(`${origin}${booted.linux?.path}`);
      const fromIpxe = new Map<string, Kind>();
      installerUrls(args, fromIpxe);
      const fromGrub = new Map<string, Kind>();
      installerUrls(booted.linux?.args ?? [], fromGrub);
      expect([...fromIpxe]).toEqual([...fromGrub]);
    }

    // Fetch everything as the firmware, kernel or installer would: a plain GET, nothing else.
    const scripts: string[] = [];
    const early: string[] = [];
    for (const [url, kind] of urls) {
      const res = await fetch(url);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status, `${kind} ${url}: ${body.subarray(0, 200).toString()}`).toBe(200);
      const type = res.headers.get('content-type');
      switch (kind) {
        case 'kernel':
          expect(type).toBe('application/octet-stream');
          expect(body.subarray(0x202, 0x206).toString('latin1'), `${url} is a bzImage`).toBe('HdrS');
          break;
        case 'initrd':
          expect(type).toBe('application/octet-stream');
          expect([body[0], body[1]], `${url} is gzip`).toEqual([0x1f, 0x8b]);
          break;
        case 'preseed': {
          expect(type).toBe('text/plain; charset=utf-8');
          const checked = run('debconf-set-selections', ['--checkonly', tempFile(work, 'preseed.cfg', body)]);
          expect(checked.code, checked.out).toBe(0);
          scripts.push(...lateScripts(body.toString()));
          early.push(...[...body.toString().matchAll(/^d-i preseed\/early_command string (.+)$/gm)].map((m) => m[1] as string));
          break;
        }
        case 'user-data':
        case 'vendor-data': {
          expect(type).toBe('text/cloud-config; charset=utf-8');
          const checked = run('cloud-init', ['schema', '--config-file', tempFile(work, kind, body)]);
          expect(checked.code, checked.out).toBe(0);
          const parsed = run('python3', ['-c', 'import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin), default=repr))'], body.toString());
          expect(parsed.code, parsed.out).toBe(0);
          if (kind === 'user-data') {
            const autoinstall = JSON.parse(parsed.out).autoinstall as { version: number; 'early-commands'?: string[] };
            expect(autoinstall.version).toBe(1);
            scripts.push(...lateScripts(body.toString()));
            early.push(...(autoinstall['early-commands'] ?? []));
          }
          break;
        }
        case 'meta-data': {
          expect(type).toBe('application/yaml');
          const parsed = run('python3', ['-c', 'import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin), default=repr))'], body.toString());
          expect(parsed.code, parsed.out).toBe(0);
          expect(Object.keys(JSON.parse(parsed.out)).sort()).toEqual(['instance-id', 'local-hostname']);
          break;
        }
      }
    }
    for (const script of scripts) {
      const syntax = run('sh', ['-n'], script);
      expect(syntax.code, syntax.out).toBe(0);
      expect(ours(/^REPORT_URL='([^']+)'$/m.exec(script)?.[1] ?? '')).toMatch(/\/api\/v1\/nodes\/[a-z0-9_-]+\/events$/);
    }
    for (const command of early) {
      const syntax = run('sh', ['-n', '-c', command]);
      expect(syntax.code, syntax.out).toBe(0);
    }
    return { entry, urls, lateScripts: scripts, earlyCommands: early };
  }

  /**
   * Runs the late command's report as the installer would (its own curl, under sh), without the parts
   * that touch a real system (authorized keys for the admin, efibootmgr: firmware=bios here).
   */
  async function runReport(script: string): Promise<{ code: number; out: string }> {
    const head = script.slice(0, script.indexOf('\n', script.indexOf("TOKEN='")) + 1);
    const tail = script.slice(script.indexOf('\nfirmware=bios'));
    return await runShell(`${head}${tail}`);
  }

  /** Runs a shell command line as the installer would; asynchronous, as the server answering it runs here. */
  async function runShell(command: string): Promise<{ code: number; out: string }> {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, out };
  }

  async function state(admin: MachineDbClient, nodeId: string): Promise<NodeState> {
    return (await admin.getNode(nodeId)).state;
  }

  async function transition(nodeId: string, to: NodeState): Promise<void> {
    await s.admin.transitionNode(nodeId, { to, reason: `boot-chain test: ${to}` });
  }

  for (const [i, role, family] of [
    [1, 'compute', 'debian'],
    [2, 'storage', 'ubuntu'],
  ] as const) {
    it(
      `walks a ${family} node through every state and every URL answers`,
      async () => {
        const inv = inventory(i);
        const mac = inv.nics[0]!.mac;
        const expectInstallerKinds = family === 'debian' ? ['preseed'] : ['meta-data', 'user-data', 'vendor-data'];
        const seen: string[] = [];
        const step = async (label: string, entry: string): Promise<Followed> => {
          const followed = await follow(mac);
          expect(followed.entry, label).toBe(entry);
          const kinds = [...new Set(followed.urls.values())].filter((k) => k !== 'kernel' && k !== 'initrd');
          expect(kinds.sort(), label).toEqual(entry === 'install' ? [...expectInstallerKinds].sort() : []);
          seen.push(label);
          return followed;
        };

        // Unknown MAC: the live system (the node's `new` state is never stored: enrolment makes it inventoried).
        await step('unknown', 'live');
        const anonymous = createMachineDbClient({ baseUrl: s.url });
        const enrol = await anonymous.submitInventory(inv);
        await anonymous.close();
        const nodeId = enrol.nodeId;
        expect(await state(s.admin, nodeId)).toBe('inventoried');
        await step('inventoried', 'live');

        const node = await s.admin.getNode(nodeId);
        await s.admin.updateNode(
          nodeId,
          {
            hostname: `${role === 'compute' ? 'cmp' : 'sto'}-090${i}`,
            roles: [role],
            location: { site: 'lab', rack: 'r01' },
            // Chosen as `fleet nodes set-disk --serial` (Debian) and `--wwn` (Ubuntu) do: the by-id path
            // the installer files name comes from the inventory.
            systemDisk: family === 'debian' ? { serial: `S9${i}NX0R` } : { wwn: `eui.0025388b9${i}` },
          },
          { version: node.version },
        );
        const byId =
          family === 'debian'
            ? `/dev/disk/by-id/nvme-SAMSUNG_MZQL2960_S9${i}NX0R`
            : `/dev/disk/by-id/nvme-eui.0025388b9${i}`;
        expect((await s.admin.getNode(nodeId)).systemDisk?.byId).toBe(byId);
        expect(await state(s.admin, nodeId)).toBe('ready-for-bmc');
        await step('ready-for-bmc', 'live');

        const nodeClient = createMachineDbClient({ baseUrl: s.url, token: enrol.token ?? '' });
        await nodeClient.reportNodeEvent(nodeId, { type: 'bmc-configured' });
        await nodeClient.close();
        expect(await state(s.admin, nodeId)).toBe('bmc-configured');
        // Fetching the installer files changes nothing; the installer's early command (its own wget or
        // curl, with the install token) moves the node on to installing.
        const started = await step('bmc-configured', 'install');
        const installerFile = family === 'debian' ? 'preseed.cfg' : 'user-data';
        const installerText = await (await fetch(`${s.url}/boot/installer/${mac.replaceAll(':', '-')}/${installerFile}`)).text();
        expect(installerText).toContain(byId);
        expect(await state(s.admin, nodeId)).toBe('bmc-configured');
        expect(started.earlyCommands).toHaveLength(1);
        const early = await runShell(started.earlyCommands[0]!);
        expect(early.code, early.out).toBe(0);
        expect(early.out).not.toContain('not reported');
        expect(await state(s.admin, nodeId)).toBe('installing');
        const installing = await step('installing', 'install');
        expect(installing.lateScripts.length).toBeGreaterThan(0);

        // The installer's last act: its late command reports install-finished with its own curl.
        const report = await runReport(installing.lateScripts[0]!);
        expect(report.code, report.out).toBe(0);
        expect(await state(s.admin, nodeId)).toBe('deployed');
        await step('deployed', 'local');

        await transition(nodeId, 'maintenance');
        await step('maintenance', 'local');
        // Reinstall: back to the installer, and its report is accepted again — even when the early
        // command's report was lost (the late command reports install-started first).
        await transition(nodeId, 'bmc-configured');
        const reinstall = await step('reinstall', 'install');
        const again = await runReport(reinstall.lateScripts[0]!);
        expect(again.code, again.out).toBe(0);
        expect(await state(s.admin, nodeId)).toBe('deployed');

        await transition(nodeId, 'failed');
        await step('failed', 'live');
        await transition(nodeId, 'decommissioned');
        await step('decommissioned', 'live');
        expect(seen).toHaveLength(10);
      },
      600_000,
    );
  }
});
