// Halt latency (blocking query vs a 250 ms poller) and lock throughput (vs plain KV writes), against the
// Consul test double in this process. Figures are ratios against the baseline measured in the same run.
import { startConsulDouble } from '@fleet/testkit';
import { acquireLock, clearHalt, createConsul, readKey, setHalt, watchHalt, writeKey } from '../src/index.js';

const double = await startConsulDouble({ datacenter: 'bench' });
const consul = createConsul({ port: double.port });
const TRIALS = 20;

async function pollerLatency(key: string): Promise<number> {
  // Baseline: what a 250 ms poller would see.
  let seenAt = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { entry } = await readKey(consul, key);
      if (entry?.value) {
        seenAt = performance.now();
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await new Promise((r) => setTimeout(r, Math.random() * 250));
  const setAt = performance.now();
  await writeKey(consul, key, 'halt');
  await loop;
  stop = true;
  return seenAt - setAt;
}

async function watchLatency(key: string): Promise<number> {
  const watch = watchHalt(consul, key);
  await new Promise((r) => setTimeout(r, 20));
  const setAt = performance.now();
  await setHalt(consul, key, 'bench');
  await watch.halted;
  const latency = performance.now() - setAt;
  watch.stop();
  return latency;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const poll: number[] = [];
const block: number[] = [];
for (let i = 0; i < TRIALS; i++) {
  poll.push(await pollerLatency(`bench/poll/${i}`));
  block.push(await watchLatency(`bench/halt/${i}`));
  await clearHalt(consul, `bench/halt/${i}`);
}
console.log(`halt latency, median of ${TRIALS}: blocking watch ${median(block).toFixed(2)} ms, 250 ms poller ${median(poll).toFixed(2)} ms`);
console.log(`halt latency ratio (watch / poller): ${(median(block) / median(poll)).toFixed(4)}  (max watch ${Math.max(...block).toFixed(2)} ms; target < 1000 ms)`);

const N = 200;
let t = performance.now();
for (let i = 0; i < N; i++) await writeKey(consul, `bench/plain/${i}`, 'x');
const plainMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < N; i++) {
  const lock = await acquireLock(consul, { key: 'bench/lock', holder: `bench ${i}`, ttl: '15s', lockDelay: '0s' });
  await lock.release();
}
const lockMs = performance.now() - t;
console.log(`lock acquire+release: ${(N / (lockMs / 1000)).toFixed(0)} /s; plain KV PUT: ${(N / (plainMs / 1000)).toFixed(0)} /s`);
console.log(`lock cycle cost ratio (lock cycle / plain PUT): ${(lockMs / plainMs).toFixed(2)}`);

consul.destroy();
await double.close();
