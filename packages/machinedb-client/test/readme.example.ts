import { createMachineDbApp, createMemoryAllocator, createSqliteStore } from '@fleet/machinedb';
import { createMachineDbClient } from '@fleet/machinedb-client';

// A real MachineDB server in this process so the example runs anywhere; point `baseUrl` at yours instead.
const bmc = { cidr: '10.20.0.0/24', gateway: '10.20.0.1' };
const server = await createMachineDbApp({
  store: createSqliteStore({ path: ':memory:' }),
  serverKey: '0'.repeat(64),
  allocator: createMemoryAllocator({ bmc }),
});
await server.machineDb.ensureUser({ username: 'admin', password: 'change-me-now', role: 'admin' });
const baseUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });

const anonymous = createMachineDbClient({ baseUrl, timeoutMs: 5000, retries: 3 });
// What `fleet-agent` does on a live system: submit the inventory, become a node.
const { nodeId } = await anonymous.submitInventory({
  systemUuid: '4c4c4544-0000-4000-8000-000000000017',
  cpus: [{ socket: 0, model: 'Intel Xeon Gold 6338', cores: 32, threads: 64 }],
  memory: { totalBytes: 256 * 2 ** 30 },
  disks: [],
  nics: [{ name: 'eno1', mac: '52:54:00:00:00:17' }],
});
const { token } = await anonymous.login({ username: 'admin', password: 'change-me-now' });
for await (const node of anonymous.withToken(token).iterateNodes({ state: 'inventoried', limit: 100 })) {
  console.log(node.id === nodeId ? 'enrolled:' : 'other:', node.state, node.systemUuid);
}
await anonymous.close();
await server.close();
// prints: enrolled: inventoried 4c4c4544-0000-4000-8000-000000000017
