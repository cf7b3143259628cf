import { createIpam, createMemoryStore } from '@fleet/ipam';

export async function main() {
  const ipam = createIpam({ store: createMemoryStore(), actor: 'alice' });
  await ipam.addPrefix({ prefix: '10.0.0.0/16', kind: 'reservation', description: 'dc1' });
  await ipam.addPrefix({ prefix: '10.0.1.0/24', kind: 'assignment', function: 'bmc' });
  const bmc = await ipam.allocateAddress({ from: '10.0.1.0/24', node: 'node-17' });
  const link = await ipam.allocateTransferNet({ from: '10.0.0.0/16', description: 'spine1-leaf3' });
  const usage = await ipam.usage('10.0.1.0/24');
  return { bmc: bmc.prefix, link: [link.net.prefix, link.a, link.b], used: usage.used }; // 10.0.1.1/32 …
}
