import { createMachineDbApp, createMemoryAllocator, createSqliteStore } from '@fleet/machinedb';

export async function main(dbPath = '/var/lib/fleet/machinedb.sqlite') {
  const server = await createMachineDbApp({
    store: createSqliteStore({ path: dbPath }), // or createPostgresStore({ url })
    serverKey: process.env.FLEET_SERVER_KEY ?? '0'.repeat(64), // `openssl rand -hex 32`; seals BMC passwords
    allocator: createMemoryAllocator({ bmc: { cidr: '10.20.0.0/24', gateway: '10.20.0.1' } }),
  });
  await server.machineDb.ensureUser({ username: 'admin', password: 'change-me-now', role: 'admin' });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  // Netboot asks what a MAC should boot: an unknown machine gets the live system, which then enrols.
  const boot = await fetch(`${url}/api/v1/boot-targets/52:54:00:12:34:56`).then((r) => r.json());
  await server.close();
  return boot;
}
