import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Executor } from '@fleet/core';
import { describeError, isFleetError } from '@fleet/core';
import { type MachineDbClient, createMachineDbClient, runAgent } from '@fleet/machinedb-client';
import type { Inventory, Node, NodeUpdate } from '@fleet/machinedb-contract';
import type { ConsulDouble } from '@fleet/testkit';
import { loadServerConfig } from './config.js';
import { createFleetServer } from './server.js';

export interface DemoOptions {
  /** Simulated nodes in all, the troubled ones included. Default 20. */
  nodes?: number;
  /** How many of them fail their install (reported by the installer). Default 0. */
  failed?: number;
  /** One of them starts its install and never reports back: the timeout sweep fails it. Default false. */
  stuck?: boolean;
  /** Seconds the stuck node may stay `installing` (FLEET_STATE_TIMEOUTS). Default 3. */
  installTimeoutSeconds?: number;
  /**
   * Start the Consul HTTP API test double (from @fleet/testkit; no real Consul agent can be installed here)
   * as datacenter `lab`, with the deployed nodes registered and some drift planted. Ignored when
   * `consulDatacenters` is given. Default false.
   */
  consul?: boolean;
  /** `dc=http://host:8500,…` of real Consul agents (FLEET_CONSUL_DATACENTERS). */
  consulDatacenters?: string;
  /** Print the Ansible inventory graph at the end (needs the built inventory script). Default false. */
  inventoryGraph?: boolean;
  /** Keep the server running afterwards (the CLI demo does; the test does not). */
  keepRunning?: boolean;
  port?: number;
  write?: (line: string) => void;
}

export interface DemoResult {
  url: string;
  deployed: string[];
  /** Nodes whose install failed, and the stuck one once the sweep failed it. */
  failed: string[];
  stuck: string | null;
  admin: { username: string; password: string };
  close(): Promise<void>;
}

/** A simulated machine: the inventory a live system would collect, made up but shaped like real servers. */
function simulatedInventory(i: number): Inventory {
  const hex = i.toString(16).padStart(4, '0');
  const mac = (n: number) => `3c:ec:ef:${hex.slice(0, 2)}:${hex.slice(2)}:${n.toString(16).padStart(2, '0')}`;
  const serial = `S64FNE0R${hex.toUpperCase()}`;
  return {
    systemUuid: `4c4c4544-0042-3610-8051-${hex.padStart(12, '0')}`,
    serial: `CZ${hex.toUpperCase()}`,
    manufacturer: 'Supermicro',
    product: 'SYS-1029U-TRT',
    cpus: [{ socket: 0, model: 'Intel(R) Xeon(R) Gold 6230', cores: 20, threads: 40 }],
    memory: { totalBytes: 384 * 2 ** 30 },
    disks: [
      {
        name: 'nvme0n1',
        sizeBytes: 960_197_124_096,
        model: 'SAMSUNG MZQL2960HCJR',
        serial,
        rotational: false,
        byId: [`/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR_${serial}`],
      },
      {
        name: 'sda',
        sizeBytes: 7_681_501_126_656,
        model: 'MZ7KH7T6HALA',
        serial: `S47N${hex}`,
        rotational: false,
        byId: [`/dev/disk/by-id/ata-MZ7KH7T6HALA_S47N${hex}`],
      },
    ],
    nics: [
      { name: 'eno1', mac: mac(1), speedMbps: 1000 },
      {
        name: 'ens1f0',
        mac: mac(2),
        speedMbps: 25000,
        lldp: { switchName: `tor-a-r${(i % 4) + 1}`, port: `Ethernet${i}` },
      },
      {
        name: 'ens1f1',
        mac: mac(3),
        speedMbps: 25000,
        lldp: { switchName: `tor-b-r${(i % 4) + 1}`, port: `Ethernet${i}` },
      },
    ],
  };
}

/** An admin edit that reloads and tries again when the node changed meanwhile (ETag / If-Match). */
async function updateWithRetry(client: MachineDbClient, nodeId: string, update: NodeUpdate): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const node = await client.getNode(nodeId);
    try {
      await client.updateNode(nodeId, update, { version: node.version });
      return;
    } catch (error) {
      if (attempt >= 5 || !isFleetError(error) || error.code !== 'PRECONDITION_FAILED') throw error;
    }
  }
}

/** GETs a URL a boot file names, as firmware or installer would (no credentials); it must answer 200. */
async function load(url: string, what: string): Promise<string> {
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${what} ${url} answered ${res.status}`);
  return body;
}

/**
 * One install, driven only by the URLs the server's boot files carry: the iPXE script for the MAC (GRUB's
 * file must offer the same entry), the kernel and initrd of its install entry, the installer files named
 * on the kernel command line (`url=` or `ds=nocloud-net;s=`), then the reports its early and late commands send.
 */
async function followInstall(
  base: string,
  mac: string,
  event: { type: 'install-finished' | 'failed'; reason: string } | null,
): Promise<{ status: number; state: string }> {
  const grub = await load(`${base}/boot/grub/grub.cfg-01-${mac.replaceAll(':', '-')}`, 'GRUB config');
  if (!/^set default=install$/m.test(grub)) throw new Error(`GRUB config of ${mac} does not boot the installer`);
  const ipxe = await load(`${base}/boot/ipxe/${mac}`, 'iPXE script');
  const block = ipxe.slice(ipxe.indexOf('\n:install\n'));
  const kernel = /^kernel (\S+) (.*)$/m.exec(block);
  const initrd = /^initrd (?:--name \S+ )?(\S+)$/m.exec(block);
  if (!/^goto install$/m.test(ipxe) || !kernel || !initrd)
    throw new Error(`iPXE script of ${mac} does not boot the installer`);
  await load(kernel[1] as string, 'kernel');
  await load(initrd[1] as string, 'initrd');
  const installerFiles: string[] = [];
  for (const arg of (kernel[2] as string).split(' ')) {
    if (arg.startsWith('url=')) installerFiles.push(await load(arg.slice(4), 'preseed'));
    const seed = /^ds=nocloud-net;s=(.+)$/.exec(arg)?.[1];
    if (seed) {
      for (const file of ['meta-data', 'user-data', 'vendor-data'])
        installerFiles.push(await load(`${seed}${file}`, file));
    }
  }
  // The late command travels base64-encoded; its report is a POST with the install token.
  const script = installerFiles
    .flatMap((text) => [...text.matchAll(/printf '%s' '([A-Za-z0-9+/=]{80,})'/g)])
    .map((m) => Buffer.from(m[1] as string, 'base64').toString('utf8'))[0];
  const reportUrl = script && /^REPORT_URL='([^']+)'$/m.exec(script)?.[1];
  const token = script && /^TOKEN='([^']+)'$/m.exec(script)?.[1];
  if (!reportUrl || !token) throw new Error(`the installer files of ${mac} carry no late-command report`);
  // The installer's early command reports install-started; its late command the end (a hung installer
  // reports nothing after its start).
  const report = async (sent: { type: string; reason: string }) => {
    const res = await fetch(reportUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sent),
    });
    const body = (await res.json()) as { state?: string };
    return { status: res.status, state: body.state ?? '' };
  };
  const started = await report({ type: 'install-started', reason: 'the installer runs its configuration (early command)' });
  if (started.status !== 200 || event === null) return started;
  return await report(event);
}

/** Stands in for ipmitool on the simulated machines: every BMC command succeeds. Named for what it is. */
const simulatedBmc: Executor = {
  target: 'simulated-bmc',
  run: async () => ({ code: 0, stdout: '', stderr: '', durationMs: 1 }),
};

/**
 * `pnpm demo`: a server on a temporary SQLite, and simulated nodes driven through their whole life with
 * the real agent and client code paths: netboot lookup → inventory → location + disk → BMC → install → deployed.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-demo-'));
  const closers: Array<() => Promise<void>> = [];
  let consulDc = options.consulDatacenters;
  let consul: ConsulDouble | undefined;
  if (!consulDc && options.consul) {
    // Loaded only when asked: the double is a test part, not something the server needs.
    const { startConsulDouble } = await import('@fleet/testkit');
    consul = await startConsulDouble({ datacenter: 'lab' });
    const double = consul;
    closers.push(() => double.close());
    consulDc = `lab=${consul.url}`;
  }
  const timeout = options.installTimeoutSeconds ?? 3;
  // Simulated machines boot simulated images: stand-in kernels and initrds at the paths the site names,
  // unless FLEET_NETBOOT_IMAGE_DIR points at real ones.
  const imageDir = process.env.FLEET_NETBOOT_IMAGE_DIR ?? join(dataDir, 'images');
  if (process.env.FLEET_NETBOOT_IMAGE_DIR === undefined) {
    for (const path of [
      'live/vmlinuz',
      'live/initrd.img',
      'debian/linux',
      'debian/initrd.gz',
      'ubuntu/vmlinuz',
      'ubuntu/initrd',
    ]) {
      mkdirSync(join(imageDir, dirname(path)), { recursive: true });
      writeFileSync(join(imageDir, path), `fleet demo stand-in for ${path}\n`);
    }
  }
  const config = loadServerConfig({
    FLEET_NETBOOT_IMAGE_DIR: imageDir,
    FLEET_DATA_DIR: dataDir,
    FLEET_PORT: String(options.port ?? 0),
    ...(consulDc ? { FLEET_CONSUL_DATACENTERS: consulDc } : {}),
    ...(options.stuck ? { FLEET_STATE_TIMEOUTS: `installing=${timeout}` } : {}),
  });
  const server = await createFleetServer(config);
  const url = await server.listen();
  const admin = server.initialAdmin ?? { username: 'admin', password: '' };
  write(`demo: server on ${url} (SQLite in ${dataDir})`);
  if (consul) write(`demo: Consul HTTP API test double (@fleet/testkit) for datacenter lab on ${consul.url}`);
  else if (consulDc) write(`demo: Consul datacenters ${consulDc}`);
  const anonymous = createMachineDbClient({ baseUrl: url });
  const login = await anonymous.login({ username: admin.username, password: admin.password });
  const adminClient = anonymous.withToken(login.token);
  const count = options.nodes ?? 20;
  const failing = options.failed ?? 0;
  const healthy = count - failing - (options.stuck ? 1 : 0);
  if (healthy < 1) throw new Error(`demo: ${count} nodes leave none to deploy with ${failing} failed and a stuck one`);
  const deployed: string[] = [];
  const failed: string[] = [];
  let stuck: { id: string; hostname: string } | null = null;
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const i = index + 1;
        // The last nodes are the troubled ones: `failing` failed installs, then the stuck one.
        const role = i <= healthy ? 'ok' : i <= healthy + failing ? 'fails' : 'stuck';
        // Every fifth node is a storage node: the built-in site installs those with Ubuntu autoinstall.
        const kind = i % 5 === 0 ? 'storage' : 'compute';
        const hostname = `${kind === 'storage' ? 'sto' : 'cmp'}-${String(i).padStart(4, '0')}`;
        const inventory = simulatedInventory(i);
        const bootMac = inventory.nics[0]!.mac;
        const target = await anonymous.getBootTarget(bootMac);
        // The live system's agent enrols the node and waits for its BMC settings.
        const enrol = await anonymous.submitInventory(inventory);
        const nodeId = enrol.nodeId;
        const nodeToken = enrol.token ?? '';
        const nodeClient = anonymous.withToken(nodeToken);
        const agent = runAgent({
          client: nodeClient,
          executor: simulatedBmc,
          inventory: async () => inventory,
          maxPollMs: 200,
          backoffMinMs: 50,
        });
        // The admin sets name, rack location and the system disk (by stable path).
        const rack = `r${String((i % 4) + 1).padStart(2, '0')}`;
        await updateWithRetry(adminClient, nodeId, {
          hostname,
          roles: [kind],
          groups: ['openstack-compute', `rack-${rack}`],
          location: { site: 'lab', rack, unit: (i % 40) + 1 },
          systemDisk: { byId: inventory.disks[0]!.byId[0]! },
          reason: 'demo: racked',
        });
        const result = await agent;
        if (result.outcome !== 'bmc-configured' && result.outcome !== 'already-configured') {
          throw new Error(`node ${nodeId}: agent ended with ${result.outcome}`);
        }
        // Netboot now offers the installer. Follow the chain as the machine would, only by the URLs the
        // boot files name: GRUB/iPXE's install entry → kernel, initrd, installer files → the late command's report.
        const label = `demo: node ${String(i).padStart(2)} ${hostname} ${nodeId} ${target.bootTarget} →`;
        if (role === 'stuck') {
          // Its installer fetched its files and hangs: nothing more is reported.
          await followInstall(url, bootMac, null);
          stuck = { id: nodeId, hostname };
          write(`${label} installing, and then silence (simulated hung installer)`);
          return;
        }
        if (role === 'fails') {
          const report = await followInstall(url, bootMac, {
            type: 'failed',
            reason: 'demo: partman could not write the partition table on nvme0n1',
          });
          if (report.status !== 200) throw new Error(`node ${nodeId}: failure report answered ${report.status}`);
          failed.push(nodeId);
          write(`${label} ${report.state} (installer reported an error)`);
          return;
        }
        const report = await followInstall(url, bootMac, {
          type: 'install-finished',
          reason: 'firmware=uefi netbootFirst=true',
        });
        if (report.status !== 200) throw new Error(`node ${nodeId}: install report answered ${report.status}`);
        deployed.push(nodeId);
        write(`${label} ${report.state} (installed ${kind})`);
      }),
    );
    if (stuck !== null) {
      // Wait past the installing timeout, then sweep as the server's timer would (every minute).
      const { id, hostname } = stuck;
      const deadline = Date.now() + (timeout + 30) * 1000;
      for (;;) {
        const swept = await server.machineDb.sweepTimeouts();
        if (swept.includes(id)) break;
        if (Date.now() > deadline) throw new Error(`node ${id}: the timeout sweep never failed it`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const node = await adminClient.getNode(id);
      failed.push(id);
      write(`demo: node ${hostname} ${id} swept: ${node.state} (${node.stateReason ?? ''})`);
    }
    if (consul) await plantDrift(consul, adminClient, write);
  } finally {
    await anonymous.close();
  }
  write(`demo: ${deployed.length} of ${count} nodes deployed${failed.length ? `, ${failed.length} failed` : ''}`);
  if (options.inventoryGraph) await printInventoryGraph(url, login.token, write);
  const cli = `export FLEET_URL=${url} FLEET_TOKEN=${login.token}`;
  write('demo: where to look');
  write(`demo:   web page   ${url}/   (user ${admin.username}, password ${admin.password})`);
  write(`demo:   CLI        ${cli}   (then, from the repository:)`);
  write('demo:              pnpm fleet nodes list');
  if (failed.length > 0) {
    write('demo:              pnpm fleet nodes list --state failed');
    const last = `cmp-${String(count).padStart(4, '0')}`;
    write(`demo:              pnpm fleet nodes show ${last}     pnpm fleet nodes history ${last}`);
  }
  if (consulDc) write('demo:              pnpm fleet drift');
  write('demo:              pnpm fleet ipam pools');
  write(
    `demo:   Ansible    FLEET_URL=${url} FLEET_TOKEN=… ansible-inventory -i examples/ansible-inventory/dist/inventory.js --graph`,
  );
  return {
    url,
    deployed,
    failed,
    stuck: (stuck as { id: string } | null)?.id ?? null,
    admin,
    async close() {
      await server.close();
      for (const close of closers.reverse()) await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the deployed nodes in the Consul double as their agents would, except for planted drift: one
 * node never joined, one registered with a stale address, one with a failing check, and an unknown node.
 */
async function plantDrift(consul: ConsulDouble, client: MachineDbClient, write: (line: string) => void): Promise<void> {
  const nodes: Node[] = [];
  for await (const n of client.iterateNodes({ state: 'deployed' })) nodes.push(n);
  nodes.sort((a, b) => (a.hostname ?? a.id).localeCompare(b.hostname ?? b.id));
  const planted: string[] = [];
  nodes.forEach((n, i) => {
    const name = n.hostname ?? n.id;
    const address = n.addresses.find((a) => a.purpose === 'primary')?.address ?? '';
    if (i === 0) {
      planted.push(`${name} never joined Consul`);
      return;
    }
    const stale = i === 1;
    consul.registerNode({ node: name, address: stale ? '10.99.0.1' : address });
    if (stale) planted.push(`${name} registered with a stale address`);
    if (i === 2) {
      consul.setCheck({ node: name, checkId: 'serfHealth', name: 'Serf Health Status', status: 'critical' });
      planted.push(`${name} has a failing check`);
    }
  });
  consul.registerNode({ node: 'cmp-0099', address: '10.20.3.250' });
  planted.push('cmp-0099 is in Consul but not in MachineDB');
  write(`demo: Consul: ${nodes.length - 1} deployed nodes registered; drift planted: ${planted.join('; ')}`);
}

/** `ansible-inventory --graph` over the built inventory script, or the script's own groups without Ansible. */
async function printInventoryGraph(url: string, token: string, write: (line: string) => void): Promise<void> {
  const script = fileURLToPath(new URL('../../ansible-inventory/dist/inventory.js', import.meta.url));
  if (!existsSync(script)) {
    write('demo: inventory: examples/ansible-inventory is not built (pnpm demo builds it)');
    return;
  }
  const env = { ...process.env, FLEET_URL: url, FLEET_TOKEN: token, ANSIBLE_INVENTORY_UNPARSED_FAILED: '1' };
  const run = promisify(execFile);
  try {
    const { stdout } = await run('ansible-inventory', ['-i', script, '--graph'], { env, maxBuffer: 64 * 2 ** 20 });
    // The groups with their sizes; the full tree (one line per host per group) is a command away.
    write('demo: ansible-inventory --graph, groups only (deployed nodes only; failed ones are in no group):');
    const lines = stdout.trimEnd().split('\n');
    lines.forEach((line, i) => {
      if (!line.includes('@')) return;
      const depth = line.indexOf('@');
      let hosts = 0;
      for (let j = i + 1; j < lines.length && !(lines[j] ?? '').includes('@'); j++)
        if ((lines[j] ?? '').indexOf('--') > depth) hosts++;
      write(`demo:   ${line}${hosts > 0 ? ` ${hosts} hosts` : ''}`);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    const { stdout } = await run(process.execPath, [script, '--list'], { env, maxBuffer: 64 * 2 ** 20 });
    const doc = JSON.parse(stdout) as Record<string, { hosts?: string[] }>;
    write("demo: inventory groups (ansible-inventory is not installed; this is the script's --list):");
    for (const [name, group] of Object.entries(doc))
      if (name !== '_meta' && name !== 'all' && group.hosts) write(`demo:   ${name}: ${group.hosts.length} hosts`);
  }
}

// Run as a program (`pnpm demo`): keep serving until Ctrl-C so the page and CLI can be explored.
if (process.argv[1]?.endsWith('demo.js')) {
  runDemo({
    port: Number(process.env.FLEET_PORT ?? 8080),
    failed: 2,
    stuck: true,
    consul: true,
    inventoryGraph: true,
    ...(process.env.FLEET_CONSUL_DATACENTERS ? { consulDatacenters: process.env.FLEET_CONSUL_DATACENTERS } : {}),
  }).then(
    (demo) => {
      process.stdout.write('demo: press Ctrl-C to stop\n');
      const stop = () => {
        demo.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`demo: ${describeError(error)}\n`);
      process.exit(1);
    },
  );
}
