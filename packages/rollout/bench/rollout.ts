// Orchestration overhead on 1,000 simulated nodes whose steps take no time, and halt latency from the
// Consul halt key being set to "no new node starts". Figures are ratios against baselines measured here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeConsul, createConsul, watchKey, writeKey } from '@fleet/consul';
import { startConsulDouble } from '@fleet/testkit';
import {
  createConsulCoordinator,
  createConsulProgressStore,
  createMemoryProgressStore,
  createRollout,
  createSimulatedFleet,
  DEFAULT_UPDATE,
  haltRollout,
  type RolloutNode,
  rolloutKeys,
  runRollout,
} from '../src/index.js';

const N = 1000;
const targets: RolloutNode[] = Array.from({ length: N }, (_, i) => ({
  name: `node-${i + 1}`,
  rack: `r${i % 20}`,
  ...(i % 50 === 0 ? { groups: ['galera'] } : {}),
}));
const dir = mkdtempSync(join(tmpdir(), 'rollout-bench-'));
const ms = (x: number) => `${x.toFixed(1)} ms`;
const us = (x: number) => `${(x * 1000).toFixed(1)} µs`;

async function baseline(): Promise<number> {
  // The same executor calls a rollout makes per node (update commands, reboot probe), in a plain loop.
  const fleet = createSimulatedFleet();
  const t = performance.now();
  for (const node of targets) {
    const ex = fleet.executorFor(node);
    for (const argv of DEFAULT_UPDATE) await ex.run(argv[0], argv.slice(1));
    await ex.run('test', ['-e', '/var/run/reboot-required']);
  }
  return performance.now() - t;
}

async function overhead(label: string, extra: { store?: 'memory' | 'sqlite'; logs?: boolean }) {
  const fleet = createSimulatedFleet({ nodes: { 'node-7': { update: 'reboot' } } });
  const stateDir = mkdtempSync(join(dir, 'run-'));
  const t = performance.now();
  const result = await runRollout({
    cluster: 'bench',
    targets,
    executorFor: (node) => fleet.executorFor(node),
    stateDir,
    ...(extra.store === 'memory' ? { store: createMemoryProgressStore() } : {}),
    logDir: extra.logs ? join(stateDir, 'logs') : false,
    batches: [1, 5, '20%'],
    maxPerRack: 20,
    quorumGroups: ['galera'],
    maxParallel: 50,
    rebootPollMs: 1,
  });
  const total = performance.now() - t;
  if (result.state !== 'done' || result.counts.done !== N) throw new Error(`${label}: rollout ended ${result.state}`);
  return total;
}

const base = await baseline();
const warm = await overhead('warm-up', { store: 'memory' });
void warm;
const memory = await overhead('memory', { store: 'memory' });
const sqlite = await overhead('sqlite', { store: 'sqlite' });
const sqliteLogs = await overhead('sqlite+logs', { store: 'sqlite', logs: true });
console.log(`overhead: ${N} simulated nodes, 7 steps each, batches [1, 5, "20%"], 50 in parallel`);
console.log(`  baseline (same executor calls, plain loop)   total ${ms(base)}  per node ${us(base / N)}`);
for (const [label, total] of [
  ['rollout, memory store, no logs', memory],
  ['rollout, SQLite store (default), no logs', sqlite],
  ['rollout, SQLite store + node logs + events', sqliteLogs],
] as const) {
  console.log(
    `  ${label.padEnd(44)} total ${ms(total)}  per node ${us(total / N)}  overhead/node ${us((total - base) / N)}  ${(total / base).toFixed(1)}× baseline`,
  );
}

// Halt latency through a Consul (test double) halt key watched with blocking queries.
const double = await startConsulDouble();
const consul = createConsul({ host: double.host, port: double.port });
const rawWatch: number[] = [];
for (let i = 0; i < 10; i++) {
  const key = `bench/raw/${i}`;
  const controller = new AbortController();
  let seenAt = 0;
  let primed = false;
  const watching = watchKey(consul, key, {
    signal: controller.signal,
    onChange(entry) {
      if (!entry) primed = true;
      else {
        seenAt = performance.now();
        controller.abort();
      }
    },
  });
  while (!primed) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, 20)); // let the blocking query reach the server
  const t = performance.now();
  await writeKey(consul, key, 'x');
  await watching;
  rawWatch.push(seenAt - t);
}

const halts: number[] = [];
let violations = 0;
for (let trial = 0; trial < 10; trial++) {
  const cluster = `bench${trial}`;
  const fleet = createSimulatedFleet({ commandMs: 1 });
  let putAt = 0;
  const rollout = createRollout({
    cluster,
    targets: targets.slice(0, 200),
    executorFor: (node) => fleet.executorFor(node),
    coordinator: createConsulCoordinator(consul),
    store: createConsulProgressStore(consul),
    logDir: false,
    stateDir: dir,
    batches: [1, 5, '20%'],
    maxPerRack: 20,
    maxParallel: 10,
    onEvent(event) {
      if (event.type === 'node-started' && event.node === 'node-30' && putAt === 0) {
        putAt = performance.now();
        void haltRollout(consul, cluster, { reason: 'bench', by: 'bench' });
      }
    },
  });
  const t0 = performance.now();
  const result = await rollout.run();
  const stopping = result.events.find((e) => e.type === 'stopping');
  if (!stopping) throw new Error('the halt was not seen');
  // Events carry wall-clock ms; convert the put time to the same clock.
  const putWall = Date.now() - (performance.now() - putAt);
  void t0;
  halts.push(stopping.at - putWall);
  const after = result.events.slice(result.events.indexOf(stopping));
  if (after.some((e) => e.type === 'node-started')) violations++;
  await consul.kv.del({ key: rolloutKeys(cluster).halt });
}
closeConsul(consul);
await double.close();
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
console.log('halt latency: halt key PUT -> rollout stopping (no new node starts), Consul test double, 10 trials');
console.log(
  `  baseline: raw blocking-query watch of a key     median ${ms(median(rawWatch))}  max ${ms(max(rawWatch))}`,
);
console.log(
  `  rollout halt                                    median ${ms(median(halts))}  max ${ms(max(halts))}  ` +
    `${(median(halts) / median(rawWatch)).toFixed(1)}× raw watch; ${((max(halts) / 1000) * 100).toFixed(1)}% of the 1 s target`,
);
console.log(`  nodes started after the stop: ${violations === 0 ? 'none' : `${violations} trial(s) VIOLATED`}`);
