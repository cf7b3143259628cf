import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Executor } from '@fleet/core';
import { describeError, isFleetError } from '@fleet/core';
import {
  type Inventory,
  type MachineDbClient,
  type NodeUpdate,
  createMachineDbClient,
  runAgent,
} from '@fleet/machinedb-client';
import { loadServerConfig } from './config.js';
import { createFleetServer } from './server.js';

export interface DemoOptions {
  nodes?: number;
  /** Keep the server running afterwards (the CLI demo does; the test does not). */
  keepRunning?: boolean;
  port?: number;
  write?: (line: string) => void;
}

export interface DemoResult {
  url: string;
  deployed: string[];
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
 * on the kernel command line (`url=` or `ds=nocloud-net;s=`), then the report the late command sends.
 */
async function followInstall(base: string, mac: string): Promise<{ status: number; state: string }> {
  const grub = await load(`${base}/boot/grub/grub.cfg-01-${mac.replaceAll(':', '-')}`, 'GRUB config');
  if (!/^set default=install$/m.test(grub)) throw new Error(`GRUB config of ${mac} does not boot the installer`);
  const ipxe = await load(`${base}/boot/ipxe/${mac}`, 'iPXE script');
  const block = ipxe.slice(ipxe.indexOf('\n:install\n'));
  const kernel = /^kernel (\S+) (.*)$/m.exec(block);
  const initrd = /^initrd (?:--name \S+ )?(\S+)$/m.exec(block);
  if (!/^goto install$/m.test(ipxe) || !kernel || !initrd) throw new Error(`iPXE script of ${mac} does not boot the installer`);
  await load(kernel[1] as string, 'kernel');
  await load(initrd[1] as string, 'initrd');
  const installerFiles: string[] = [];
  for (const arg of (kernel[2] as string).split(' ')) {
    if (arg.startsWith('url=')) installerFiles.push(await load(arg.slice(4), 'preseed'));
    const seed = /^ds=nocloud-net;s=(.+)$/.exec(arg)?.[1];
    if (seed) {
      for (const file of ['meta-data', 'user-data', 'vendor-data']) installerFiles.push(await load(`${seed}${file}`, file));
    }
  }
  // The late command travels base64-encoded; its report is a POST with the install token.
  const script = installerFiles
    .flatMap((text) => [...text.matchAll(/printf '%s' '([A-Za-z0-9+/=]{80,})'/g)])
    .map((m) => Buffer.from(m[1] as string, 'base64').toString('utf8'))[0];
  const reportUrl = script && /^REPORT_URL='([^']+)'$/m.exec(script)?.[1];
  const token = script && /^TOKEN='([^']+)'$/m.exec(script)?.[1];
  if (!reportUrl || !token) throw new Error(`the installer files of ${mac} carry no late-command report`);
  const res = await fetch(reportUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'install-finished', reason: 'firmware=uefi netbootFirst=true' }),
  });
  const body = (await res.json()) as { state?: string };
  return { status: res.status, state: body.state ?? '' };
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
  // Simulated machines boot simulated images: stand-in kernels and initrds at the paths the site names,
  // unless FLEET_NETBOOT_IMAGE_DIR points at real ones.
  const imageDir = process.env.FLEET_NETBOOT_IMAGE_DIR ?? join(dataDir, 'images');
  if (process.env.FLEET_NETBOOT_IMAGE_DIR === undefined) {
    for (const path of ['live/vmlinuz', 'live/initrd.img', 'debian/linux', 'debian/initrd.gz', 'ubuntu/vmlinuz', 'ubuntu/initrd']) {
      mkdirSync(join(imageDir, dirname(path)), { recursive: true });
      writeFileSync(join(imageDir, path), `fleet demo stand-in for ${path}\n`);
    }
  }
  const config = loadServerConfig({
    FLEET_DATA_DIR: dataDir,
    FLEET_PORT: String(options.port ?? 0),
    FLEET_NETBOOT_IMAGE_DIR: imageDir,
  });
  const server = await createFleetServer(config);
  const url = await server.listen();
  const admin = server.initialAdmin ?? { username: 'admin', password: '' };
  write(`demo: server on ${url} (SQLite in ${dataDir})`);
  const anonymous = createMachineDbClient({ baseUrl: url });
  const login = await anonymous.login({ username: admin.username, password: admin.password });
  const adminClient = anonymous.withToken(login.token);
  const count = options.nodes ?? 20;
  const deployed: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const i = index + 1;
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
        // Every fifth node is a storage node: the built-in site installs those with Ubuntu autoinstall.
        const role = i % 5 === 0 ? 'storage' : 'compute';
        const rack = `r${String((i % 4) + 1).padStart(2, '0')}`;
        await updateWithRetry(adminClient, nodeId, {
          hostname: `${role === 'storage' ? 'sto' : 'cmp'}-${String(i).padStart(4, '0')}`,
          roles: [role],
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
        // boot files name: iPXE's install entry → kernel, initrd, installer files → the late command's report.
        const report = await followInstall(url, bootMac);
        if (report.status !== 200) throw new Error(`node ${nodeId}: install report answered ${report.status}`);
        const done = report.state;
        deployed.push(nodeId);
        write(
          `demo: node ${String(i).padStart(2)} ${nodeId} ${role} ${target.bootTarget} → installed → ${done}`,
        );
      }),
    );
  } finally {
    await anonymous.close();
  }
  write(`demo: ${deployed.length} of ${count} nodes deployed`);
  write(`demo: web page  ${url}/   (user ${admin.username}, password ${admin.password})`);
  write(`demo: CLI       FLEET_URL=${url} FLEET_TOKEN=${login.token} node examples/cli/dist/cli.js nodes list`);
  return {
    url,
    deployed,
    admin,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Run as a program (`pnpm demo`): keep serving until Ctrl-C so the page and CLI can be explored.
if (process.argv[1]?.endsWith('demo.js')) {
  runDemo({ port: Number(process.env.FLEET_PORT ?? 8080) }).then(
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
