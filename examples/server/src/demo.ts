import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const config = loadServerConfig({ FLEET_DATA_DIR: dataDir, FLEET_PORT: String(options.port ?? 0) });
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
        const rack = `r${String((i % 4) + 1).padStart(2, '0')}`;
        await updateWithRetry(adminClient, nodeId, {
          hostname: `cmp-${String(i).padStart(4, '0')}`,
          roles: ['compute'],
          groups: ['openstack-compute', `rack-${rack}`],
          location: { site: 'lab', rack, unit: (i % 40) + 1 },
          systemDisk: { byId: inventory.disks[0]!.byId[0]! },
          reason: 'demo: racked',
        });
        const result = await agent;
        if (result.outcome !== 'bmc-configured' && result.outcome !== 'already-configured') {
          throw new Error(`node ${nodeId}: agent ended with ${result.outcome}`);
        }
        // Netboot now offers the installer; the installer reports its progress.
        const grub = await fetch(`${url}/boot/grub/${bootMac}`).then(async (r) => ({
          status: r.status,
          text: await r.text(),
        }));
        if (grub.status !== 200 || !grub.text.includes('install'))
          throw new Error(`node ${nodeId}: no install boot entry (${grub.status})`);
        // The installer fetches its preseed (the server marks the install started), then reports the end.
        const preseed = await fetch(`${url}/boot/installer/${bootMac}/preseed.cfg`);
        if (preseed.status !== 200) throw new Error(`node ${nodeId}: no preseed (${preseed.status})`);
        await preseed.text();
        const done = await nodeClient.reportNodeEvent(nodeId, { type: 'install-finished' });
        deployed.push(nodeId);
        write(
          `demo: node ${String(i).padStart(2)} ${nodeId} ${target.bootTarget} → ${done.state} (boot ${done.bootTarget})`,
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
