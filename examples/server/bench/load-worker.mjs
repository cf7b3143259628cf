// Open-loop load generator, in a worker thread so its timers do not share an event loop with the bench.
// Request i is due at start + i / rate whatever happened before; its latency is measured from that intended
// send time, so a stalled server shows up as latency (no coordinated omission).
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

// `origins`: several server instances behind the generator, taken in turn (round-robin), as a load balancer would.
const { origin, origins = [origin], targets, rate, durationMs, connections } = workerData;
const pools = origins.map((o) => new Pool(o, { connections, pipelining: 1 }));
let turn = 0;
const latencies = [];
const statuses = {};
const etags = new Map();
let outstanding = 0;

async function send(target, intended) {
  const headers = { ...(target.headers ?? {}) };
  const etag = target.conditional ? etags.get(target.path) : undefined;
  if (etag) headers['if-none-match'] = etag;
  let status = 0;
  try {
    const pool = pools[turn++ % pools.length];
    const res = await pool.request({ method: 'GET', path: target.path, headers });
    await res.body.arrayBuffer();
    status = res.statusCode;
    const tag = res.headers.etag;
    if (target.conditional && status === 200 && typeof tag === 'string') etags.set(target.path, tag);
  } catch {
    status = 0;
  }
  latencies.push(performance.now() - intended);
  statuses[status] = (statuses[status] ?? 0) + 1;
}

const total = Math.round((rate * durationMs) / 1000);
const start = performance.now() + 50;
const inflight = [];
// Wake every millisecond and send whatever has fallen due (never early). No busy loop: the generator
// shares the machine with the server. The timer's own lateness (≤ ~1 ms) is counted in the latency.
for (let i = 0; i < total; ) {
  const now = performance.now();
  while (i < total && start + (i * 1000) / rate <= now) {
    const due = start + (i * 1000) / rate;
    outstanding++;
    inflight.push(send(targets[i % targets.length], due).finally(() => outstanding--));
    i++;
  }
  if (i < total) await new Promise((resolve) => setTimeout(resolve, 1));
}
await Promise.all(inflight);
const elapsedMs = performance.now() - start;
await Promise.all(pools.map((p) => p.close()));
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
parentPort.postMessage({
  count: latencies.length,
  elapsedMs,
  p50: pick(0.5),
  p99: pick(0.99),
  max: latencies[latencies.length - 1] ?? 0,
  statuses,
});
