// MachineDB benchmark: inventory submission of 10,000 nodes (SQLite and PostgreSQL), then boot-target-by-MAC
// and config-poll throughput over loopback with 10,000 nodes, against a bare fastify constant route in the
// same run. Load comes from a worker thread (its own event loop) using undici.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Inventory } from '@fleet/machinedb-contract';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import Fastify from 'fastify';
import { Pool } from 'undici';
import {
  createMachineDbApp,
  createMemoryAllocator,
  createPostgresStore,
  createSqliteStore,
  type Store,
} from '../src/index.js';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2000);
const ROUNDS = 3;
const CONCURRENCY = 16;

function inventory(i: number): Inventory {
  const hex = i.toString(16).padStart(6, '0');
  const mac = (n: number) => `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:0${n}`;
  return {
    systemUuid: `4c4c4544-0000-4000-8000-${hex.padStart(12, '0')}`,
    serial: `SRV${hex}`,
    cpus: [{ model: 'Intel Xeon Gold 6338', cores: 32, threads: 64 }],
    memory: { totalBytes: 256 * 2 ** 30 },
    disks: [
      {
        name: 'sda',
        sizeBytes: 480_103_981_056,
        serial: `BTYF${hex}`,
        rotational: false,
        byId: [`/dev/disk/by-id/ata-SSD_BTYF${hex}`],
      },
    ],
    nics: [
      { name: 'eno1', mac: mac(1), speedMbps: 25000, lldp: { switchName: 'leaf1', port: `Ethernet${i % 48}` } },
      { name: 'eno2', mac: mac(2), speedMbps: 25000 },
    ],
  };
}

/** CPU time (user + system, all threads) spent since `from`: unlike wall time, it barely moves with other load. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

async function submitAll(
  origin: string,
): Promise<{ ms: number; cpu: number; tokens: { nodeId: string; token: string; mac: string }[] }> {
  const pool = new Pool(origin, { connections: CONCURRENCY });
  const tokens: { nodeId: string; token: string; mac: string }[] = [];
  let next = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < NODES) {
        const inv = inventory(next++);
        const res = await pool.request({
          method: 'POST',
          path: '/api/v1/inventory',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(inv),
        });
        const body = (await res.body.json()) as { nodeId: string; token: string };
        if (res.statusCode !== 200) throw new Error(`inventory failed: ${res.statusCode} ${JSON.stringify(body)}`);
        tokens.push({ nodeId: body.nodeId, token: body.token, mac: inv.nics[0]?.mac ?? '' });
      }
    }),
  );
  const ms = performance.now() - start;
  const cpu = cpuMs(cpuStart);
  await pool.close();
  return { ms, cpu, tokens };
}

interface LoadResult {
  count: number;
  errors: number;
  elapsedMs: number;
  p50: number;
  p99: number;
}

function load(origin: string, requests: { path: string; headers?: Record<string, string> }[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { origin, requests, concurrency: CONCURRENCY, durationMs: DURATION_MS },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function serve(store: Store) {
  return await createMachineDbApp({
    store,
    serverKey: 'b'.repeat(64),
    allocator: createMemoryAllocator({ bmc: { cidr: '10.64.0.0/14' } }),
    sweepIntervalMs: 0,
  });
}

const rps = (r: LoadResult) => (r.count / r.elapsedMs) * 1000;
const line = (name: string, r: LoadResult, base?: LoadResult) =>
  `${name.padEnd(28)} ${rps(r).toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms` +
  `${r.errors ? `  errors ${r.errors}` : ''}${base ? `  ratio ${(rps(r) / rps(base)).toFixed(2)}` : ''}`;

const dir = mkdtempSync(join(tmpdir(), 'machinedb-bench-'));
let failed = false;
try {
  // --- inventory submission, SQLite ----------------------------------------------------------------
  const sqlite = await serve(createSqliteStore({ path: join(dir, 'bench.sqlite') }));
  const origin = await sqlite.app.listen({ host: '127.0.0.1', port: 0 });
  const submitted = await submitAll(origin);
  console.log(
    `inventory submission, SQLite:   ${NODES} nodes in ${(submitted.ms / 1000).toFixed(1)} s (${((NODES / submitted.ms) * 1000).toFixed(0)} nodes/s, ${CONCURRENCY} concurrent; CPU ${(submitted.cpu / NODES).toFixed(2)} ms/node client+server)`,
  );

  // --- read throughput vs a bare fastify constant route ----------------------------------------------
  const bare = Fastify({ logger: false });
  bare.get('/constant', async () => ({ bootTarget: 'live' }));
  const bareOrigin = await bare.listen({ host: '127.0.0.1', port: 0 });
  const bootRequests = submitted.tokens.map((t) => ({ path: `/api/v1/boot-targets/${t.mac}` }));
  const pollRequests = submitted.tokens.map((t) => ({
    path: `/api/v1/nodes/${t.nodeId}/config`,
    headers: { authorization: `Bearer ${t.token}` },
  }));
  // Interleaved rounds, median per kind: other load on the box then hits baseline and subject alike.
  const rounds: { baseline: LoadResult; boot: LoadResult; poll: LoadResult }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds.push({
      baseline: await load(bareOrigin, [{ path: '/constant' }]),
      boot: await load(origin, bootRequests),
      poll: await load(origin, pollRequests),
    });
  }
  const median = (pick: (r: (typeof rounds)[number]) => LoadResult) =>
    rounds.map(pick).sort((a, b) => rps(a) - rps(b))[Math.floor(ROUNDS / 2)] as LoadResult;
  const baseline = median((r) => r.baseline);
  const boot = median((r) => r.boot);
  const poll = median((r) => r.poll);
  console.log(
    `loopback, ${NODES} nodes in SQLite, ${CONCURRENCY} connections, median of ${ROUNDS} interleaved ${DURATION_MS} ms runs:`,
  );
  console.log(line('bare fastify constant', baseline));
  console.log(line('boot target by MAC', boot, baseline));
  console.log(line('config poll (node token)', poll, baseline));
  for (const [name, r] of [
    ['boot target', boot],
    ['config poll', poll],
  ] as const) {
    if (rps(r) / rps(baseline) < 0.5 || r.errors > 0) {
      console.log(`FAIL: ${name} ratio ${(rps(r) / rps(baseline)).toFixed(2)} < 0.5 or errors`);
      failed = true;
    }
  }
  await bare.close();
  await sqlite.close();

  // --- inventory submission, PostgreSQL ---------------------------------------------------------------
  if (hasService('postgres')) {
    const scratch = await createScratchDatabase('machinedb_bench');
    try {
      const pg = await serve(createPostgresStore({ url: scratch.url, maxConnections: CONCURRENCY }));
      const pgOrigin = await pg.app.listen({ host: '127.0.0.1', port: 0 });
      const pgSubmitted = await submitAll(pgOrigin);
      console.log(
        `inventory submission, Postgres: ${NODES} nodes in ${(pgSubmitted.ms / 1000).toFixed(1)} s (${((NODES / pgSubmitted.ms) * 1000).toFixed(0)} nodes/s; ratio to SQLite ${(submitted.ms / pgSubmitted.ms).toFixed(2)}x speed; CPU ${(pgSubmitted.cpu / NODES).toFixed(2)} ms/node)`,
      );
      await pg.close();
    } finally {
      await scratch.drop();
    }
  } else {
    console.log('inventory submission, Postgres: skipped (start it with scripts/services.sh up)');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
