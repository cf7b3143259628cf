import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogFields, Logger } from '@fleet/core';
import { createMachineDbClient, type MachineDbClient } from '@fleet/machinedb-client';
import type { HistoryEntry } from '@fleet/machinedb-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSite, loadServerConfig } from '../src/config.js';
import { createFleetServer, type FleetServer } from '../src/server.js';
import {
  DI_IMAGES,
  KVM_PROBE_SCRIPT,
  OVMF_VARS,
  type RunningVm,
  type VmBoot,
  type VmNetwork,
  type VmOptions,
  createSparseDisk,
  embeddedIpxeScript,
  kvmWorks,
  missingVmTools,
  prepareGrubTftp,
  qemuArgs,
  startVm,
} from './netboot-vm.js';

// A real machine installs from fleet: a QEMU VM netboots as a server does. Its iPXE asks DHCP and chains to
// the server's iPXE file for its MAC; that file chains to the Debian installer's kernel and initrd served by
// this server from its image directory; the kernel command line names the node's preseed; the installer
// fetches it and its early command reports back with the node's install token. The test registers the VM
// as an admin would and then only watches: through the API (state, history) and the server's request log.
//
// The server runs in this process (like the other server tests) rather than as `dist/main.js`: `pnpm test`
// needs no build first, and the request log is read through the server's Logger port, not scraped. The
// VM reaches it only through QEMU's `restrict=on` user network, whose one forwarded address leads here.
//
// Opt out with FLEET_SKIP_VM=1; without QEMU, iPXE, socat or the installer images the test is skipped
// with the apt packages to install, and under CI a missing tool is an error.
//
// FLEET_VM_BOOT=grub boots the other way instead (one VM per run either way): UEFI firmware (OVMF)
// PXE-boots Debian's signed netboot GRUB from QEMU's TFTP, whose grub.cfg asks the server over HTTP for
// `grub.cfg-01-<mac>`; the rest of the chain is the same. KVM is used only when a probe guest really runs
// (/dev/kvm may exist while nested guests hang); FLEET_VM_ACCEL=tcg skips the probe.

const BOOT: VmBoot = process.env.FLEET_VM_BOOT === 'grub' ? 'grub' : 'ipxe';
const missing = missingVmTools(BOOT);
const skipReason =
  process.env.FLEET_SKIP_VM === '1'
    ? 'FLEET_SKIP_VM=1'
    : missing.length > 0
      ? `needs apt packages: ${missing.join(' ')}`
      : null;
if (skipReason !== null && process.env.CI && process.env.FLEET_SKIP_VM !== '1') {
  throw new Error(`vm-netboot test: ${skipReason} (scripts/apt-packages.txt lists them)`);
}
if (skipReason !== null) process.stderr.write(`vm-netboot test skipped: ${skipReason}\n`);

/** Kept after the run (gitignored): the serial console, the server's request log, QEMU's command line. */
const ARTEFACTS = fileURLToPath(new URL('../test-results/vm-netboot/', import.meta.url));
/**
 * The whole boot, from QEMU's start to the early command's report, must fit in this: 5 min with KVM; 10 min
 * when QEMU emulates the CPU (TCG), where a busy box slows the guest with it — 149 s under one busy loop per
 * core, over 300 s when a second whole-suite run shared the two cores. A hang still fails; a broken chain,
 * a panic or a GRUB prompt fail at once (below).
 */
const bootBudgetMs = (accel: 'kvm' | 'tcg') => (accel === 'kvm' ? 5 : 10) * 60_000;
const BOOT_BUDGET_MAX_MS = bootBudgetMs('tcg');

const VM_MAC = '52:54:00:f1:ee:01';
const VM_UUID = '6f1ee7a0-0000-4000-8000-00000000f1ee';
const DISK_SERIAL = 'FLEETVM01';
const DISK_BYTES = 4 * 2 ** 30;
// The node's management network is the IPAM primary pool (10.20.0.0/22 by default); the server and QEMU's
// DHCP range sit at its top, far from the addresses IPAM hands out first.
const SERVER_ADDRESS = '10.20.3.250';
/** What @fleet/bootconfig's early command says with install-started (the late command says otherwise). */
const EARLY_COMMAND_REASON = 'the installer runs its configuration (early command)';
const DHCP_START = '10.20.3.200';

interface LogLine {
  at: number;
  level: string;
  message: string;
  fields: LogFields;
}

function recordingLogger(lines: LogLine[]): Logger {
  const add = (level: string) => (message: string, fields: LogFields = {}) => {
    lines.push({ at: Date.now(), level, message, fields });
  };
  return { debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function cidrOf(address: string, netmask: string): string {
  const mask = ipv4ToInt(netmask);
  const net = (ipv4ToInt(address) & mask) >>> 0;
  const prefix = mask.toString(2).replace(/0+$/, '').length;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${prefix}`;
}

function inNet(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/') as [string, string];
  const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
  return ((ipv4ToInt(ip) & mask) >>> 0) === ((ipv4ToInt(net) & mask) >>> 0);
}

/** The VM's network, from what the server tells the installer on the kernel command line. */
function networkFromIpxe(script: string, hostPort: number): VmNetwork & { address: string } {
  const arg = (name: string) => {
    const value = new RegExp(`(?:^|\\s)netcfg/${name}=(\\S+)`, 'm').exec(script)?.[1];
    if (value === undefined) throw new Error(`the iPXE script carries no netcfg/${name}:\n${script}`);
    return value;
  };
  const address = arg('get_ipaddress');
  const gateway = arg('get_gateway');
  const cidr = cidrOf(address, arg('get_netmask'));
  const dns = arg('get_nameservers').split(',')[0];
  for (const ip of [SERVER_ADDRESS, DHCP_START]) {
    if (!inNet(ip, cidr)) throw new Error(`the test puts the server at ${ip}, outside the node's network ${cidr}`);
  }
  if (ipv4ToInt(address) >= ipv4ToInt(DHCP_START)) throw new Error(`IPAM gave the node ${address}, inside the test's reserved range`);
  return {
    address,
    cidr,
    gateway,
    // QEMU's DNS must lie in the network and differ from its host (the gateway); the installer never
    // resolves a name here (every URL is an address), so it may be left to QEMU's default.
    dns: dns !== undefined && inNet(dns, cidr) && dns !== gateway ? dns : undefined,
    dhcpStart: DHCP_START,
    serverAddress: SERVER_ADDRESS,
    hostPort,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe.skipIf(skipReason !== null)(`a VM netboots through ${BOOT === 'ipxe' ? 'iPXE' : 'UEFI and GRUB'} into the real Debian installer`, () => {
  let server: FleetServer;
  let admin: MachineDbClient;
  let work: string;
  let vm: RunningVm | undefined;
  const log: LogLine[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fleet-vm-netboot-'));
    rmSync(ARTEFACTS, { recursive: true, force: true });
    mkdirSync(ARTEFACTS, { recursive: true });
    // The image directory: the site's Debian installer paths are the Debian package's real files.
    const images = join(work, 'images');
    mkdirSync(join(images, 'debian'), { recursive: true });
    symlinkSync(`${DI_IMAGES}/linux`, join(images, 'debian', 'linux'));
    symlinkSync(`${DI_IMAGES}/initrd.gz`, join(images, 'debian', 'initrd.gz'));
    // The site names the server as the VM sees it: port 80 of SERVER_ADDRESS, forwarded to our real port.
    const configFile = join(work, 'fleet.json');
    writeFileSync(configFile, JSON.stringify({ site: defaultSite(SERVER_ADDRESS, 80) }));
    const config = loadServerConfig({
      FLEET_CONFIG: configFile,
      FLEET_DATA_DIR: join(work, 'data'),
      FLEET_HOST: '127.0.0.1',
      FLEET_PORT: '0',
      FLEET_NETBOOT_IMAGE_DIR: images,
      // iPXE runs here on BIOS firmware (SeaBIOS), GRUB on UEFI (OVMF).
      FLEET_FIRMWARE: BOOT === 'grub' ? 'uefi' : 'bios',
      FLEET_LOG_REQUESTS: 'true',
    });
    server = await createFleetServer(config, recordingLogger(log));
    const url = await server.listen();
    const creds = server.initialAdmin;
    if (!creds) throw new Error('a fresh data directory must create the admin account');
    const anonymous = createMachineDbClient({ baseUrl: url });
    const { token } = await anonymous.login({ username: creds.username, password: creds.password });
    await anonymous.close();
    admin = createMachineDbClient({ baseUrl: url, token });
  }, 60_000);

  afterAll(async () => {
    await vm?.stop();
    writeFileSync(
      join(ARTEFACTS, 'requests.log'),
      log.map((l) => `${new Date(l.at).toISOString()} ${l.level} ${l.message} ${JSON.stringify(l.fields)}`).join('\n'),
    );
    await admin?.close();
    server?.app.server.closeAllConnections();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it(`installs: ${BOOT === 'ipxe' ? 'iPXE' : 'GRUB'} → our kernel and initrd → preseed → the early command reports install-started`, async () => {
    const url = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    // What the live system's agent does for a new machine: report its inventory (here: the VM's real
    // MAC, SMBIOS UUID and disk serial), then the admin names it, places it and picks its system disk.
    const enrolling = createMachineDbClient({ baseUrl: url });
    const enrol = await enrolling.submitInventory({
      systemUuid: VM_UUID,
      manufacturer: 'QEMU',
      product: 'Standard PC (i440FX + PIIX, 1996)',
      cpus: [{ model: 'QEMU Virtual CPU', cores: 1, threads: 1 }],
      memory: { totalBytes: 2 ** 30 },
      disks: [
        { name: 'vda', sizeBytes: DISK_BYTES, rotational: true, serial: DISK_SERIAL, byId: [`/dev/disk/by-id/virtio-${DISK_SERIAL}`] },
      ],
      nics: [{ name: 'ens3', mac: VM_MAC }],
    });
    await enrolling.close();
    const nodeId = enrol.nodeId;
    const node = await admin.getNode(nodeId);
    await admin.updateNode(
      nodeId,
      {
        hostname: 'vm-0001',
        roles: ['compute'],
        location: { site: 'lab', rack: 'r01', unit: 1 },
        systemDisk: { byId: `/dev/disk/by-id/virtio-${DISK_SERIAL}` },
      },
      { version: node.version },
    );
    // The agent reports its BMC configured (a VM has none); from now on the node's netboot installs.
    const agent = createMachineDbClient({ baseUrl: url, token: enrol.token ?? '' });
    await agent.reportNodeEvent(nodeId, { type: 'bmc-configured' });
    await agent.close();
    expect((await admin.getNode(nodeId)).bootTarget).toBe('install');

    // The VM's network is the one the server tells the installer: address, gateway, DNS from IPAM.
    const hostPort = Number(new URL(url).port);
    const ipxeAnswer = await fetch(`${url}/boot/ipxe/${VM_MAC}`);
    const ipxe = await ipxeAnswer.text();
    expect(ipxeAnswer.status, ipxe).toBe(200);
    const network = networkFromIpxe(ipxe, hostPort);
    // The boot files the server gives this MAC now, kept beside the console for whoever reads a failure.
    writeFileSync(join(ARTEFACTS, 'server-boot.ipxe'), ipxe);
    const grubAnswer = await fetch(`${url}/boot/grub/grub.cfg-01-${VM_MAC.replaceAll(':', '-')}`);
    writeFileSync(join(ARTEFACTS, 'server-grub.cfg'), await grubAnswer.text());

    const embedded = join(ARTEFACTS, 'embed.ipxe');
    writeFileSync(embedded, embeddedIpxeScript(SERVER_ADDRESS));
    const tftpDir = join(work, 'tftp');
    const uefiVars = join(work, 'OVMF_VARS.fd');
    if (BOOT === 'grub') {
      prepareGrubTftp(tftpDir, SERVER_ADDRESS);
      copyFileSync(join(tftpDir, 'debian-installer/amd64/grub/grub.cfg'), join(ARTEFACTS, 'tftp-grub.cfg'));
      copyFileSync(OVMF_VARS, uefiVars);
    }
    const probeScript = join(work, 'probe.ipxe');
    writeFileSync(probeScript, KVM_PROBE_SCRIPT);
    const accel = process.env.FLEET_VM_ACCEL === 'tcg' ? 'tcg' : (await kvmWorks(probeScript)) ? 'kvm' : 'tcg';
    const disk = join(work, 'disk.img');
    createSparseDisk(disk, DISK_BYTES);
    const options: VmOptions = {
      boot: BOOT,
      ...(BOOT === 'ipxe' ? { ipxeScriptPath: embedded } : { tftpDir, uefiVarsPath: uefiVars }),
      mac: VM_MAC,
      uuid: VM_UUID,
      diskPath: disk,
      diskSerial: DISK_SERIAL,
      network,
      accel,
      consolePath: join(ARTEFACTS, 'console.log'),
    };
    writeFileSync(join(ARTEFACTS, 'qemu-args.json'), `${JSON.stringify(qemuArgs(options), null, 2)}\n`);
    log.length = 0; // the request log from here on is the VM's
    // Nothing has reported install-started yet: the entry the test waits for can only come from the VM.
    const before = await history(admin, nodeId);
    expect(before.some((e) => e.action === 'event:install-started')).toBe(false);

    const startedAt = Date.now();
    vm = startVm(options);

    /** Response lines of the request log for paths matching `pattern`. */
    const responses = (pattern: RegExp) =>
      log.filter(
        (l) => l.message === 'response' && String(l.fields.host).startsWith(SERVER_ADDRESS) && pattern.test(String(l.fields.path)),
      );
    const phaseAt = (pattern: RegExp, method = 'GET') =>
      responses(pattern).find((l) => l.fields.method === method && l.fields.status === 200)?.at;
    const dashed = VM_MAC.replaceAll(':', '-');
    const phases: [string, () => number | undefined][] = [
      BOOT === 'ipxe'
        ? ['iPXE script fetched', () => phaseAt(/^\/boot\/ipxe\//)]
        : ['GRUB config fetched', () => phaseAt(new RegExp(`^/boot/grub/grub\\.cfg-01-${dashed}$`))],
      ['kernel fetched', () => phaseAt(/^\/boot\/images\/debian\/linux$/)],
      ['initrd fetched', () => phaseAt(/^\/boot\/images\/debian\/initrd\.gz$/)],
      ['preseed fetched', () => phaseAt(new RegExp(`^/boot/installer/${dashed}/preseed\\.cfg$`))],
      ['early command reported', () => phaseAt(new RegExp(`^/api/v1/nodes/${nodeId}/events$`), 'POST')],
    ];
    const phaseReport = () =>
      phases
        .map(([name, at]) => {
          const t = at();
          return `${name}: ${t === undefined ? '—' : `+${seconds(t - startedAt)}`}`;
        })
        .join(', ');

    /** Names the link that failed: the VM's last fetch (finished or not) and its console's last lines. */
    const diagnosis = (what: string) => {
      // The VM asks for the server by the address the site names; the test's own API calls use 127.0.0.1.
      const vmLines = log.filter((l) => String(l.fields.host).startsWith(SERVER_ADDRESS));
      const last = vmLines[vmLines.length - 1];
      const lastFetch = last
        ? `${String(last.fields.method)} ${String(last.fields.path)} ${
            last.message === 'request' ? 'was asked for and never answered' : `→ ${String(last.fields.status ?? last.message)}`
          } at +${seconds(last.at - startedAt)}`
        : 'none: the VM never reached the server (iPXE, DHCP or the forwarded address)';
        const tail = vm
          ?.console()
          .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .slice(-15)
          .join('\n  ');
      return `${what}\nphases: ${phaseReport()}\nthe VM's last fetch: ${lastFetch}\nQEMU: ${vm?.exited() ?? 'running'} (${accel})\nlast console lines:\n  ${tail}\nartefacts: ${ARTEFACTS}`;
    };

    // Watch through the API until the history shows the installer's own report, or something ends it.
    let entry: HistoryEntry | undefined;
    while (entry === undefined) {
      if (vm.exited() !== null) throw new Error(diagnosis(`QEMU ended before the install started: ${vm.exited()}`));
      if (vm.console().includes('fleet-vm: chain failed')) {
        throw new Error(diagnosis(`${BOOT === 'ipxe' ? 'iPXE' : 'GRUB'} could not chain to the server`));
      }
      if (/Kernel panic/.test(vm.console())) throw new Error(diagnosis('the installer kernel panicked'));
      if (/Failed to boot both default and fallback entries|\ngrub> /.test(vm.console())) {
        throw new Error(diagnosis('GRUB could not boot an entry of the config it fetched'));
      }
      if (Date.now() - startedAt > bootBudgetMs(accel)) {
        throw new Error(diagnosis(`no install-started within ${seconds(bootBudgetMs(accel))}`));
      }
      entry = (await history(admin, nodeId)).find((e) => e.action === 'event:install-started');
      if (entry === undefined) await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const elapsed = Date.now() - startedAt;
    const summary = `VM boot (${BOOT}, ${accel}): ${phaseReport()}; install-started in history after ${seconds(elapsed)}`;
    process.stdout.write(`${summary}\n`);
    writeFileSync(join(ARTEFACTS, 'phases.txt'), `${summary}\n`);

    const now = await admin.getNode(nodeId);
    expect(now.state).toBe('installing');
    // The entry is the installer's own report (its early command, authenticated by the install token).
    expect(entry.actor).toEqual({ kind: 'node', name: nodeId });
    expect(entry.reason).toBe(EARLY_COMMAND_REASON);
    // Every link was a fetch from our server, in the boot's order.
    const times = phases.map(([name, at]) => [name, at()] as const);
    for (const [name, t] of times) expect(t, diagnosis(`${name} never happened`)).toBeDefined();
    const ordered = times.map(([, t]) => t as number);
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
  }, BOOT_BUDGET_MAX_MS + 120_000);
});

async function history(client: MachineDbClient, nodeId: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for await (const e of client.iterateNodeHistory(nodeId)) entries.push(e);
  return entries;
}
