import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPathMtu } from '../src/index.js';
import { ADDR, buildTopology, type Topology } from './topology.js';
import { netnsAvailable } from './netns-available.js';

describe.skipIf(!netnsAvailable())('path MTU and PMTU black holes in real namespaces', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await buildTopology();
  });
  afterAll(async () => {
    await topo?.teardown();
  });

  it('reports ok inside a rack where every link is MTU 9000', async () => {
    topo.flushPmtuCache();
    const result = await checkPathMtu(topo.exec('a1'), ADDR.a2);
    expect(result).toMatchObject({ status: 'ok', code: 'OK', evidence: { localMtu: 9000, pathMtu: 9000, interface: 'up0' } });
    expect(result.evidence.probes).toHaveLength(1);
  });

  it('finds the 1500 fabric link and the router that reported it, in at most 3 ICMP probes', async () => {
    topo.flushPmtuCache();
    const result = await checkPathMtu(topo.exec('a1'), ADDR.b1);
    expect(result).toMatchObject({
      status: 'warn',
      code: 'PATH_MTU_LOWER',
      evidence: { localMtu: 9000, pathMtu: 1500, hop: ADDR.fabTora, dropsAt: 1501 },
    });
    expect(result.evidence.probes.length).toBeLessThanOrEqual(3);
    expect(result.evidence.probes[0]?.outcome).toEqual({ kind: 'frag-needed', mtu: 1500, from: ADDR.fabTora });
    // The kernel now knows the PMTU: a second run is answered locally and still reports 1500.
    const again = await checkPathMtu(topo.exec('a1'), ADDR.b1, { requiredMtu: 9000 });
    expect(again).toMatchObject({ status: 'fail', code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1500 } });
    expect(again.evidence.probes[0]?.outcome).toEqual({ kind: 'local-too-big', mtu: 1500 });
  });

  it('finds the same drop with UDP probes (tracepath)', async () => {
    topo.flushPmtuCache();
    const lower = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method: 'udp' });
    expect(lower).toMatchObject({ status: 'warn', code: 'PATH_MTU_LOWER', evidence: { method: 'udp', pathMtu: 1500, hop: ADDR.fabTora } });
    const healthy = await checkPathMtu(topo.exec('a1'), ADDR.a2, { method: 'udp' });
    expect(healthy).toMatchObject({ status: 'ok', evidence: { pathMtu: 9000 } });
  });

  it('names a PMTU black hole when the fabric drops "fragmentation needed", and recovers when it stops', async () => {
    topo.flushPmtuCache();
    topo.setBlackhole(true);
    try {
      const hole = await checkPathMtu(topo.exec('a1'), ADDR.b1, { probeTimeoutMs: 300 });
      expect(hole).toMatchObject({
        status: 'fail',
        code: 'PMTU_BLACKHOLE',
        evidence: { pathMtu: 1500, dropsAt: 1501, hop: undefined },
      });
      expect(hole.evidence.probes.length).toBeLessThanOrEqual(15); // 14 + one re-ask before calling it silent
      expect(hole.evidence.probes.every((p) => p.outcome.kind === 'reply' || p.outcome.kind === 'timeout')).toBe(true);

      topo.flushPmtuCache();
      const udp = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method: 'udp', maxHops: 4, probeTimeoutMs: 300 });
      expect(udp).toMatchObject({ status: 'fail', code: 'PMTU_BLACKHOLE', evidence: { method: 'udp', pathMtu: 1280 } });
    } finally {
      topo.setBlackhole(false);
    }
    topo.flushPmtuCache();
    const fixed = await checkPathMtu(topo.exec('a1'), ADDR.b1, { probeTimeoutMs: 300 });
    expect(fixed.code).toBe('PATH_MTU_LOWER');
  });

  it('fails as unreachable when nothing routes to the target', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.unrouted, { probeTimeoutMs: 300 });
    expect(result).toMatchObject({ status: 'fail', code: 'TARGET_UNREACHABLE', evidence: { pathMtu: undefined } });
    expect(result.summary).toMatch(/Unreachable/);
  });

  it('probes IPv6 with the IPv6 header size', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.toraA1v6);
    expect(result).toMatchObject({ status: 'ok', evidence: { pathMtu: 9000, localMtu: 9000 } });
  });
});
