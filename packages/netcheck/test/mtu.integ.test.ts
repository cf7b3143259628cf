import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPathMtu } from '../src/index.js';
import { netnsAvailable } from './netns-available.js';
import { ADDR, buildTopology, type Topology } from './topology.js';

describe.skipIf(!netnsAvailable())('path MTU and PMTU black holes in real namespaces', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await buildTopology();
  });
  afterAll(async () => {
    await topo?.teardown();
  });
  // Every test starts from the healthy fabric: 1500 inner link, no drop rule, nothing learned.
  let blackhole = false;
  const setBlackhole = (on: boolean) => {
    if (on !== blackhole) topo.setBlackhole(on);
    blackhole = on;
  };
  afterEach(() => {
    setBlackhole(false);
    topo.setFabricMtu(1500);
    topo.flushPmtuCache();
  });

  /** The path MTU the kernel of `node` has cached for `address` (`ip route get`), if any. */
  const cachedPmtu = (node: 'a1', address: string): number | undefined => {
    const out = execFileSync('ip', ['-n', topo.ns(node), '-j', address.includes(':') ? '-6' : '-4', 'route', 'get', address], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    const route = (JSON.parse(out) as Array<{ metrics?: Array<{ mtu?: number }> }>)[0];
    return route?.metrics?.find((m) => m.mtu !== undefined)?.mtu;
  };

  it('reports ok inside a rack where every link is MTU 9000: smallest probe first, then the largest', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.a2);
    expect(result).toMatchObject({
      status: 'ok',
      code: 'OK',
      evidence: { localMtu: 9000, pathMtu: 9000, interface: 'up0', pmtuCache: 'cleared' },
    });
    expect(result.evidence.probes.map((p) => [p.size, p.outcome.kind])).toEqual([
      [576, 'reply'],
      [9000, 'reply'],
    ]);
  });

  it('finds the 1500 fabric link and the router that reported it in 3 probes, again on a second run', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.b1);
    expect(result).toMatchObject({
      status: 'warn',
      code: 'PATH_MTU_LOWER',
      evidence: { localMtu: 9000, pathMtu: 1500, hop: ADDR.fabTora, dropsAt: 1501 },
    });
    expect(result.evidence.probes.map((p) => p.size)).toEqual([576, 9000, 1500]);
    expect(result.evidence.probes[1]?.outcome).toEqual({ kind: 'frag-needed', mtu: 1500, from: ADDR.fabTora });
    expect(cachedPmtu('a1', ADDR.b1)).toBe(1500);
    // The kernel now caches 1500, but the second run clears it and asks the path again.
    const again = await checkPathMtu(topo.exec('a1'), ADDR.b1, { requiredMtu: 9000 });
    expect(again).toMatchObject({ status: 'fail', code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1500 } });
    expect(again.evidence.probes[1]?.outcome).toEqual({ kind: 'frag-needed', mtu: 1500, from: ADDR.fabTora });
    // Trusting the cache is possible, and the result says so.
    const kept = await checkPathMtu(topo.exec('a1'), ADDR.b1, { pmtuCache: 'keep' });
    expect(kept).toMatchObject({ code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1500, pmtuCache: 'kept' } });
    expect(kept.evidence.probes[1]?.outcome).toEqual({ kind: 'local-too-big', mtu: 1500 });
    expect(kept.summary).toMatch(/cached PMTU/);
  });

  it('finds the same drop with UDP probes (tracepath)', async () => {
    const lower = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method: 'udp' });
    expect(lower).toMatchObject({
      status: 'warn',
      code: 'PATH_MTU_LOWER',
      evidence: { method: 'udp', pathMtu: 1500, dropsAt: 1501, hop: ADDR.fabTora },
    });
    const healthy = await checkPathMtu(topo.exec('a1'), ADDR.a2, { method: 'udp' });
    expect(healthy).toMatchObject({ status: 'ok', evidence: { pathMtu: 9000 } });
  });

  for (const middle of [1476, 1400]) {
    it(`with a ${middle} middle, ICMP and UDP agree on pathMtu and dropsAt, with and without the black hole`, async () => {
      topo.setFabricMtu(middle);
      for (const method of ['icmp', 'udp'] as const) {
        const lower = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method, maxHops: 4 });
        expect(lower, lower.summary).toMatchObject({
          code: 'PATH_MTU_LOWER',
          evidence: { method, pathMtu: middle, dropsAt: middle + 1, hop: ADDR.fabTora },
        });
      }
      setBlackhole(true);
      for (const method of ['icmp', 'udp'] as const) {
        const hole = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method, probeTimeoutMs: 300, maxHops: 4 });
        expect(hole, hole.summary).toMatchObject({
          status: 'fail',
          code: 'PMTU_BLACKHOLE',
          evidence: { method, pathMtu: middle, dropsAt: middle + 1 },
        });
        expect(hole.evidence.probes.every((p) => p.outcome.kind === 'reply' || p.outcome.kind === 'timeout')).toBe(true);
        // 576, 9000, the 1280 start, at most 13 halvings of 1280..9000, one re-ask.
        expect(hole.evidence.probes.length).toBeLessThanOrEqual(17);
      }
    }, 120_000);
  }

  it('finds a black hole added after a first run: the cached PMTU from that run is not trusted', async () => {
    topo.setFabricMtu(1476);
    for (const method of ['icmp', 'udp'] as const) {
      setBlackhole(false);
      const first = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method, probeTimeoutMs: 300, maxHops: 4 });
      expect(first).toMatchObject({ code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1476 } });
      expect(cachedPmtu('a1', ADDR.b1)).toBe(1476); // what used to hide the black hole
      setBlackhole(true);
      const second = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method, probeTimeoutMs: 300, maxHops: 4 });
      expect(second, second.summary).toMatchObject({
        status: 'fail',
        code: 'PMTU_BLACKHOLE',
        evidence: { method, pathMtu: 1476, dropsAt: 1477, pmtuCache: 'cleared' },
      });
    }
  }, 120_000);

  it('reports a path MTU below minMtu as what it is, for ICMP and UDP', async () => {
    topo.setFabricMtu(1200);
    for (const method of ['icmp', 'udp'] as const) {
      const tunnel = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method });
      expect(tunnel, tunnel.summary).toMatchObject({
        status: 'warn',
        code: 'PATH_MTU_LOWER',
        evidence: { method, pathMtu: 1200, dropsAt: 1201, hop: ADDR.fabTora },
      });
      expect(tunnel.summary).toMatch(/drops to 1200 .*below minMtu 1280/);
      const required = await checkPathMtu(topo.exec('a1'), ADDR.b1, { method, requiredMtu: 1280 });
      expect(required).toMatchObject({ status: 'fail', code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1200 } });
    }
    topo.setFabricMtu(1476);
    const high = await checkPathMtu(topo.exec('a1'), ADDR.b1, { minMtu: 1500 });
    expect(high).toMatchObject({ status: 'warn', code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1476, dropsAt: 1477 } });
  }, 60_000);

  it('IPv6: finds the 1500 fabric, reports the 1280 floor as a finding, and finds the v6 black hole', async () => {
    const lower = await checkPathMtu(topo.exec('a1'), ADDR.b1v6);
    expect(lower).toMatchObject({ code: 'PATH_MTU_LOWER', evidence: { pathMtu: 1500, dropsAt: 1501, hop: ADDR.fabToraV6 } });
    expect(lower.evidence.probes[0]).toEqual({ size: 1280, outcome: expect.objectContaining({ kind: 'reply' }) });

    topo.setFabricMtu(1280);
    for (const method of ['icmp', 'udp'] as const) {
      for (const minMtu of [1280, 1400]) {
        const floor = await checkPathMtu(topo.exec('a1'), ADDR.b1v6, { method, minMtu });
        expect(floor, floor.summary).toMatchObject({ status: 'warn', code: 'PATH_MTU_LOWER', evidence: { method, pathMtu: 1280 } });
      }
    }

    topo.setFabricMtu(1400);
    setBlackhole(true);
    for (const method of ['icmp', 'udp'] as const) {
      const hole = await checkPathMtu(topo.exec('a1'), ADDR.b1v6, { method, probeTimeoutMs: 300, maxHops: 4 });
      expect(hole, hole.summary).toMatchObject({ code: 'PMTU_BLACKHOLE', evidence: { method, pathMtu: 1400, dropsAt: 1401 } });
    }
  }, 120_000);

  it('reports a silent host after its first, smallest probe (one timeout), for ICMP and UDP', async () => {
    for (const method of ['icmp', 'udp'] as const) {
      const result = await checkPathMtu(topo.exec('a1'), ADDR.silent, { method, probeTimeoutMs: 1000 });
      expect(result).toMatchObject({ status: 'fail', code: 'TARGET_UNREACHABLE', evidence: { pathMtu: undefined } });
      expect(result.evidence.probes).toEqual([{ size: 576, outcome: { kind: 'timeout' } }]);
      expect(result.evidence.tracepath).toBeUndefined();
      // One 1 s timeout plus three commands; bisecting down to the minimum took 9-19 s.
      expect(result.durationMs).toBeLessThan(5000);
    }
  }, 60_000);

  it('fails as unreachable when nothing routes to the target', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.unrouted, { probeTimeoutMs: 300 });
    expect(result).toMatchObject({ status: 'fail', code: 'TARGET_UNREACHABLE', evidence: { pathMtu: undefined } });
    expect(result.evidence.probes).toHaveLength(1);
    expect(result.summary).toMatch(/Unreachable/);
  });

  it('probes IPv6 with the IPv6 header size', async () => {
    const result = await checkPathMtu(topo.exec('a1'), ADDR.toraA1v6);
    expect(result).toMatchObject({ status: 'ok', evidence: { pathMtu: 9000, localMtu: 9000 } });
  });
});
