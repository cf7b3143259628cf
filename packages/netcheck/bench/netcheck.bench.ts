// Benchmarks: probes per PMTU discovery (binary search vs a linear scan), and the time to check 200
// targets concurrently in a real namespace topology (vs one at a time). Needs root for the second part.
import { loadavg } from 'node:os';
import { checkPathMtu, mapBounded, type ProbeOutcome, type Prober, searchPathMtu } from '../src/index.js';
import { ADDR, buildTopology } from '../test/topology.js';

function simulatedPath(pathMtu: number, blackhole: boolean): Prober {
  let learned: number | undefined;
  return async (size): Promise<ProbeOutcome> => {
    if (learned !== undefined && size > learned) return { kind: 'local-too-big', mtu: learned };
    if (size <= pathMtu) return { kind: 'reply' };
    if (blackhole) return { kind: 'timeout' };
    learned = pathMtu;
    return { kind: 'frag-needed', mtu: pathMtu };
  };
}

/** The baseline: step down one byte at a time from the top until a probe gets through. */
async function linearScan(prober: Prober, min: number, max: number): Promise<number> {
  let probes = 0;
  for (let size = max; size >= min; size--) {
    probes++;
    if ((await prober(size)).kind === 'reply') break;
  }
  return probes;
}

const MIN = 1280;
const MAX = 9216;
console.log(`probes per PMTU discovery (576-byte reachability probe first, bisection from ${MIN}), path MTUs ${MIN}-${MAX} every 16 bytes (simulated paths)`);
for (const blackhole of [false, true]) {
  let search = 0;
  let worst = 0;
  let linear = 0;
  let n = 0;
  for (let mtu = MIN; mtu <= MAX; mtu += 16) {
    const s = (await searchPathMtu(simulatedPath(mtu, blackhole), 576, MAX, { start: MIN })).probes.length;
    search += s;
    worst = Math.max(worst, s);
    linear += await linearScan(simulatedPath(mtu, blackhole), MIN, MAX);
    n++;
  }
  console.log(
    `  ${blackhole ? 'black hole (no ICMP)   ' : 'frag-needed reported   '}` +
      `search: mean ${(search / n).toFixed(2)}, max ${worst} | linear scan: mean ${(linear / n).toFixed(0)} | ` +
      `linear/search = ${(linear / search).toFixed(0)}x`,
  );
}

if (process.getuid?.() !== 0) {
  console.log('namespace part skipped: needs root');
} else {
  const topo = await buildTopology({ extraTargets: 200 });
  try {
    const a1 = topo.exec('a1');
    topo.flushPmtuCache();
    const real = await checkPathMtu(a1, ADDR.b1);
    topo.setBlackhole(true);
    topo.flushPmtuCache();
    const hole = await checkPathMtu(a1, ADDR.b1, { probeTimeoutMs: 200 });
    topo.setBlackhole(false);
    console.log(
      `real netns a1 -> b1: ${real.code} pathMtu ${real.evidence.pathMtu} in ${real.evidence.probes.length} probes; ` +
        `black hole: ${hole.code} pathMtu ${hole.evidence.pathMtu} in ${hole.evidence.probes.length} probes`,
    );

    // Route and link are looked up once: per target only the DF probes run (through `ip netns exec`).
    const local = { interface: 'up0', mtu: 9000 };
    const targets = topo.extraTargets;
    const checkAll = async (list: string[], concurrency: number) => {
      topo.flushPmtuCache();
      const started = performance.now();
      const results = await mapBounded(list, concurrency, (t) => checkPathMtu(a1, t, { local, probeTimeoutMs: 1000 }));
      return { ms: performance.now() - started, codes: [...new Set(results.map((r) => r.code))].join(',') };
    };
    const baselineCount = 20;
    const sequential = await checkAll(targets.slice(0, baselineCount), 1);
    const perTarget = sequential.ms / baselineCount;
    console.log(`baseline, one at a time: ${perTarget.toFixed(1)} ms per target (${baselineCount} targets, ${sequential.codes})`);
    const run = await checkAll(targets, 32);
    console.log(
      `${targets.length} targets path-MTU checked at concurrency 32: ${run.ms.toFixed(0)} ms (${run.codes}), ` +
        `${((perTarget * targets.length) / run.ms).toFixed(2)}x the one-at-a-time rate (machine load ${loadavg()[0]?.toFixed(1)})`,
    );
  } finally {
    await topo.teardown();
  }
}
