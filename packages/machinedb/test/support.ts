import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '@fleet/machinedb-contract';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { createMemoryAllocator, createPostgresStore, createSqliteStore, type Store } from '../src/index.js';

export const SERVER_KEY = 'a'.repeat(64);

/** A realistic two-disk, two-NIC inventory; `i` makes UUID, serials and MACs distinct. */
export function sampleInventory(i = 1, overrides: Partial<Inventory> = {}): Inventory {
  const hex = i.toString(16).padStart(6, '0');
  const mac = (n: number) => `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:0${n}`;
  return {
    systemUuid: `4c4c4544-0000-4000-8000-${hex.padStart(12, '0')}`,
    serial: `SRV${hex}`,
    manufacturer: 'Dell Inc.',
    product: 'PowerEdge R650',
    cpus: [{ socket: 0, model: 'Intel Xeon Gold 6338', cores: 32, threads: 64, mhz: 2000 }],
    memory: { totalBytes: 256 * 2 ** 30 },
    disks: [
      {
        name: 'sda',
        sizeBytes: 480_103_981_056,
        model: 'SSDSC2KB480G8',
        serial: `BTYF${hex}`,
        wwn: `0x55cd2e41${hex}`,
        rotational: false,
        byId: [`/dev/disk/by-id/ata-SSDSC2KB480G8_BTYF${hex}`, `/dev/disk/by-id/wwn-0x55cd2e41${hex}`],
        byPath: ['/dev/disk/by-path/pci-0000:00:17.0-ata-1'],
      },
      {
        name: 'sdb',
        sizeBytes: 8_001_563_222_016,
        model: 'ST8000NM000A',
        serial: `ZA1${hex}`,
        rotational: true,
        byId: [`/dev/disk/by-id/ata-ST8000NM000A_ZA1${hex}`],
      },
    ],
    nics: [
      { name: 'eno1', mac: mac(1), speedMbps: 25000, lldp: { switchName: 'leaf1', port: 'Ethernet12' } },
      { name: 'eno2', mac: mac(2), speedMbps: 25000 },
    ],
    board: { manufacturer: 'Dell Inc.', product: '0K6NR3' },
    bios: { vendor: 'Dell Inc.', version: '1.9.2' },
    bmc: { address: '0.0.0.0', mac: mac(9) },
    ...overrides,
  };
}

export function testAllocator() {
  return createMemoryAllocator({
    bmc: { cidr: '10.20.0.0/16', gateway: '10.20.0.1' },
    primary: { cidr: '10.30.0.0/16', gateway: '10.30.0.1' },
  });
}

export interface StoreFixture {
  name: 'sqlite' | 'postgres';
  /** False when the service is missing on a laptop (in CI a missing service throws). */
  available: () => boolean;
  /** A fresh, empty store and its cleanup. `location` is the file or URL, for reopening. */
  create(): Promise<{ store: Store; location: string; cleanup: () => Promise<void> }>;
  open(location: string): Store;
}

export const storeFixtures: StoreFixture[] = [
  {
    name: 'sqlite',
    available: () => true,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'machinedb-'));
      const location = join(dir, 'machinedb.sqlite');
      const store = createSqliteStore({ path: location });
      return {
        store,
        location,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    open: (location) => createSqliteStore({ path: location }),
  },
  {
    name: 'postgres',
    available: () => hasService('postgres'),
    async create() {
      const db = await createScratchDatabase('machinedb');
      const store = createPostgresStore({ url: db.url });
      return {
        store,
        location: db.url,
        cleanup: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
    open: (location) => createPostgresStore({ url: location }),
  },
];

/** One valid request per operation: typed by OperationId, so a new operation without a sample fails to compile. */
export interface SampleRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export function sampleRequests(ctx: {
  nodeId: string;
  mac: string;
  inventory: Inventory;
  unique: string;
}): Record<import('@fleet/machinedb-contract').OperationId, SampleRequest> {
  return {
    getOpenApi: { method: 'GET', path: '/openapi.json' },
    login: { method: 'POST', path: '/api/v1/auth/login', body: { username: 'root', password: 'root-password-1' } },
    whoami: { method: 'GET', path: '/api/v1/auth/whoami' },
    listUsers: { method: 'GET', path: '/api/v1/users' },
    createUser: {
      method: 'POST',
      path: '/api/v1/users',
      body: { username: `u${ctx.unique}`, password: 'long-enough-1', role: 'viewer' },
    },
    deleteUser: { method: 'DELETE', path: `/api/v1/users/nobody${ctx.unique}` },
    listTokens: { method: 'GET', path: '/api/v1/tokens' },
    createToken: { method: 'POST', path: '/api/v1/tokens', body: { name: `t${ctx.unique}`, role: 'viewer' } },
    revokeToken: { method: 'DELETE', path: '/api/v1/tokens/ffff0000' },
    listNodes: { method: 'GET', path: '/api/v1/nodes?limit=5' },
    getNode: { method: 'GET', path: `/api/v1/nodes/${ctx.nodeId}` },
    updateNode: {
      method: 'PATCH',
      path: `/api/v1/nodes/${ctx.nodeId}`,
      body: { tags: [`t${ctx.unique}`] },
      headers: { 'if-match': '*' },
    },
    transitionNode: {
      method: 'POST',
      path: `/api/v1/nodes/${ctx.nodeId}/transition`,
      body: { to: 'maintenance', reason: 'auth test' },
    },
    resetNodeIdentity: {
      method: 'POST',
      path: `/api/v1/nodes/${ctx.nodeId}/identity-reset`,
      body: { reason: 'auth test' },
    },
    getNodeBmcCredentials: { method: 'GET', path: `/api/v1/nodes/${ctx.nodeId}/bmc-credentials` },
    listNodeHistory: { method: 'GET', path: `/api/v1/nodes/${ctx.nodeId}/history` },
    listHistory: { method: 'GET', path: '/api/v1/history?limit=3' },
    submitInventory: { method: 'POST', path: '/api/v1/inventory', body: ctx.inventory },
    getNodeConfig: { method: 'GET', path: `/api/v1/nodes/${ctx.nodeId}/config` },
    reportNodeEvent: {
      method: 'POST',
      path: `/api/v1/nodes/${ctx.nodeId}/events`,
      body: { type: 'failed', reason: 'auth test' },
    },
    getBootTarget: { method: 'GET', path: `/api/v1/boot-targets/${ctx.mac}` },
    exportAnsibleInventory: { method: 'GET', path: '/api/v1/export/ansible' },
  };
}
