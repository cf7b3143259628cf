// Load generator, run in a worker thread so it does not share an event loop with the server.
// Each of `concurrency` virtual clients sends requests back to back for `durationMs`.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const { origin, requests, concurrency, durationMs } = workerData;
const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
const latencies = [];
let errors = 0;
let next = 0;
const deadline = performance.now() + durationMs;

async function client() {
  while (performance.now() < deadline) {
    const req = requests[next++ % requests.length];
    const start = performance.now();
    try {
      const res = await pool.request({ method: 'GET', path: req.path, headers: req.headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - start);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => client()));
const elapsed = performance.now() - started;
await pool.close();
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
parentPort.postMessage({ count: latencies.length, errors, elapsedMs: elapsed, p50: pick(0.5), p99: pick(0.99) });
