import { createSshExecutor } from '@fleet/exec';
import { startSshd, type TestSshd } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '@fleet/core';
import { type FleetNode, checkPathMtu, createNetnsExecutor, renderFleetTable, runFleet } from '../src/index.js';
import { netnsAvailable } from './netns-available.js';
import { ADDR, buildTopology, type Topology } from './topology.js';

// Fleet mode the way it runs in production: each node behind an ssh2 connection (here a real sshd on
// 127.0.0.1 whose "nodes" are namespaces), the checks running there.
describe.skipIf(!netnsAvailable())('fleet mode over real SSH', () => {
  let topo: Topology;
  let sshd: TestSshd;
  let ssh: Executor;
  beforeAll(async () => {
    topo = await buildTopology();
    sshd = await startSshd();
    ssh = createSshExecutor({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
      knownHosts: sshd.knownHostsLine,
    });
  });
  afterAll(async () => {
    await ssh?.close?.();
    await sshd?.stop();
    await topo?.teardown();
  });

  it('checks the rack-to-rack matrix through ssh2 and ip netns exec', async () => {
    const nodes: FleetNode[] = (['a1', 'a2', 'b1'] as const).map((name) => ({
      name,
      rack: name === 'b1' ? 'rack-b' : 'rack-a',
      address: ADDR[name],
      executor: createNetnsExecutor(topo.ns(name), ssh),
    }));
    const report = await runFleet({
      nodes,
      concurrency: 2,
      // Each node's uplink is known (9000 on up0): only the DF probes cross SSH.
      pairChecks: [(from, to) => checkPathMtu(from.executor, to.address, { from: from.name, local: { interface: 'up0', mtu: 9000 } })],
    });
    expect(report.rows.map((r) => [r.node, r.peer, r.result.code, r.result.evidence]), renderFleetTable(report)).toEqual([
      ['a1', 'b1', 'PATH_MTU_LOWER', expect.objectContaining({ pathMtu: 1500, hop: ADDR.fabTora })],
      ['b1', 'a1', 'PATH_MTU_LOWER', expect.objectContaining({ pathMtu: 1500, hop: ADDR.torbB1 })],
    ]);
    expect(report.exitCode).toBe(1);
    expect(nodes[0]?.executor.target).toBe(`root@${sshd.host}:${sshd.port}/netns:${topo.ns('a1')}`);
  }, 120_000);
});
