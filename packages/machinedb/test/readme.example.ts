import { createMachineDbApp, createMemoryAllocator, createSqliteStore } from '@fleet/machinedb';

const server = await createMachineDbApp({
  store: createSqliteStore({ path: ':memory:' }), // a file, or createPostgresStore({ url })
  serverKey: process.env.FLEET_SERVER_KEY ?? '0'.repeat(64), // `openssl rand -hex 32`; seals BMC passwords
  allocator: createMemoryAllocator({ bmc: { cidr: '10.20.0.0/24', gateway: '10.20.0.1' } }), // or IPAM
});
await server.machineDb.ensureUser({ username: 'admin', password: 'change-me-now', role: 'admin' });
const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
try {
  // Netboot asks what a MAC should boot: an unknown machine gets the live system, which then enrols.
  const boot = await fetch(`${url}/api/v1/boot-targets/52:54:00:12:34:56`).then((r) => r.json());
  console.log('boot target:', JSON.stringify(boot));
  // Bad input is a 4xx with a JSON body naming the problem, never a 500.
  const bad = await fetch(`${url}/api/v1/boot-targets/not-a-mac`);
  console.log(bad.status, ((await bad.json()) as { code: string }).code);
} finally {
  await server.close();
}
// prints: "bootTarget":"live"
// prints: 400 VALIDATION_FAILED
