import { compareMachineDbWithConsul, createConsul } from '@fleet/consul';
import { startConsulDouble } from '@fleet/testkit';
import { expect, it } from 'vitest';
import { consoleInventory } from './console-fleet.js';
import { startServer } from './setup.js';

// compareMachineDbWithConsul (in @fleet/consul) given a MachineDbClient as its source pages through the real
// server; the client satisfies the drift's MachineDbNodeSource by shape, with no consul dependency of its own.
it('drift pages through the real MachineDB when given a client as its source (Consul HTTP API test double)', async () => {
  const lab = await startConsulDouble({ datacenter: 'lab', nodeName: 'consul-lab' });
  const consul = createConsul({ port: lab.port });
  const s = await startServer();
  try {
    for (const [i, hostname] of [
      [11, 'web1'],
      [12, 'web9'],
    ] as const) {
      const { nodeId } = await s.admin.submitInventory(consoleInventory(i));
      const detail = await s.admin.getNode(nodeId);
      const updated = await s.admin.updateNode(
        nodeId,
        { hostname, cluster: 'lab', location: { site: 'lab', rack: 'r01' }, systemDisk: { serial: detail.inventory!.disks[0]!.serial! } },
        { version: detail.version },
      );
      expect(updated.state).toBe('ready-for-bmc');
      // Only web1 is in Consul, at its primary address when it already has one.
      const primary = updated.addresses.find((a) => a.purpose === 'primary')?.address ?? '10.1.0.1';
      if (hostname === 'web1') lab.registerNode({ node: 'web1', address: primary });
    }
    const report = await compareMachineDbWithConsul({
      source: s.admin,
      datacenters: [{ name: 'lab', consul }],
      states: ['ready-for-bmc'],
      ignore: [/^consul-/],
    });
    expect(report.findings.map((f) => `${f.kind}:${f.node}`)).toEqual(['absent:web9']);
    expect(report.matching).toBe(1);
  } finally {
    await s.stop();
    consul.destroy();
    await lab.close();
  }
});
