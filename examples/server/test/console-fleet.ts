import type { Inventory } from '@fleet/machinedb-contract';
import type { FleetServer } from '../src/server.js';

/** A made-up but realistic inventory, numbered so MACs, serials and UUIDs are unique per node. */
export function consoleInventory(i: number): Inventory {
  const hex = i.toString(16).padStart(4, '0');
  return {
    systemUuid: `5c4c4544-0042-3610-8051-${hex.padStart(12, '0')}`,
    serial: `WEB${hex.toUpperCase()}`,
    cpus: [
      { socket: 0, model: 'Xeon Gold 6230', cores: 20, threads: 40 },
      { socket: 1, model: 'Xeon Gold 6230', cores: 20, threads: 40 },
    ],
    memory: { totalBytes: (i % 2 === 0 ? 384 : 192) * 2 ** 30 },
    disks: [
      {
        name: 'nvme0n1',
        sizeBytes: 960_197_124_096,
        model: 'MZQL2960',
        serial: `NV${hex}`,
        rotational: false,
        byId: [`/dev/disk/by-id/nvme-MZQL2960_NV${hex}`],
      },
      { name: 'sda', sizeBytes: 7_681_501_126_656, model: 'MZ7KH7T6', serial: `SA${hex}`, rotational: false, byId: [`/dev/disk/by-id/ata-MZ7KH7T6_SA${hex}`] },
    ],
    nics: [
      { name: 'eno1', mac: `3c:ec:ef:77:${hex.slice(0, 2)}:${hex.slice(2)}`, speedMbps: 1000 },
      {
        name: 'ens1f0',
        mac: `3c:ec:ef:78:${hex.slice(0, 2)}:${hex.slice(2)}`,
        speedMbps: 25000,
        lldp: { switchName: `tor-a-r${(i % 3) + 1}`, port: `Ethernet${i}` },
      },
    ],
  };
}

export interface ConsoleFleet {
  deployed: string[];
  installing: string;
  failed: string;
  inventoried: string[];
}

/**
 * Nodes in several states through MachineDB's real calls (inventory, admin update, node events): `deployed`
 * in three racks, one left `installing` (stuck once the test's 1 s installing timeout passes), one `failed`
 * with a reason, and some only `inventoried` (no location yet).
 */
export async function seedConsoleFleet(server: FleetServer, count: number): Promise<ConsoleFleet> {
  const db = server.machineDb;
  const admin = { kind: 'user' as const, name: 'admin' };
  const out: ConsoleFleet = { deployed: [], installing: '', failed: '', inventoried: [] };
  for (let i = 1; i <= count; i++) {
    const inventory = consoleInventory(i);
    const { nodeId } = await db.submitInventory(inventory, { kind: 'enrol' });
    if (i > count - 2) {
      out.inventoried.push(nodeId);
      continue;
    }
    const node = await db.getNode(nodeId);
    await db.updateNode(
      nodeId,
      {
        hostname: `web-${String(i).padStart(3, '0')}`,
        roles: [i % 5 === 0 ? 'storage' : 'compute'],
        location: { site: i % 7 === 0 ? 'dc2' : 'dc1', rack: `r0${(i % 3) + 1}`, unit: i },
        systemDisk: { serial: `NV${i.toString(16).padStart(4, '0')}` },
        reason: 'racked',
      },
      node.version,
      admin,
    );
    const self = { kind: 'node' as const, name: nodeId };
    await db.reportEvent(nodeId, { type: 'bmc-configured' }, self);
    await db.reportEvent(nodeId, { type: 'install-started' }, self);
    if (i === 1) {
      out.installing = nodeId;
      continue;
    }
    if (i === 2) {
      await db.reportEvent(nodeId, { type: 'failed', reason: 'disk sda: I/O errors during install' }, self);
      out.failed = nodeId;
      continue;
    }
    await db.reportEvent(nodeId, { type: 'install-finished' }, self);
    out.deployed.push(nodeId);
  }
  return out;
}
