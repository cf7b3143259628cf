import { createIpam, createMemoryStore } from '@fleet/ipam';

// createSqliteStore({ path }) or createPostgresStore({ url }) keep the plan; the memory store is for trying it.
const ipam = createIpam({ store: createMemoryStore(), actor: 'alice' });
await ipam.addPrefix({ prefix: '10.0.0.0/16', kind: 'reservation', description: 'dc1' });
await ipam.addPrefix({ prefix: '10.0.1.0/24', kind: 'assignment', function: 'bmc' });
await ipam.addPrefix({ prefix: '2001:db8::/48', kind: 'reservation', description: 'dc1 v6' });

const bmc = await ipam.allocateAddress({ from: '10.0.1.0/24', node: 'node-17' });
const link = await ipam.allocateTransferNet({ from: '10.0.0.0/16', description: 'spine1-leaf3' });
const v6 = await ipam.allocateTransferNet({ from: '2001:db8::/48', description: 'spine1-leaf3' });
const usage = await ipam.usage('10.0.1.0/24');
console.log('bmc of node-17:', bmc.prefix, `(${usage.used} used)`);
console.log('spine1-leaf3:', link.net.prefix, link.a, link.b, '|', v6.net.prefix);
// prints: bmc of node-17: 10.0.1.1/32 (1 used)
// prints: spine1-leaf3: 10.0.0.0/31 10.0.0.0 10.0.0.1 | 2001:db8::/127
