// The operator console's node list with 10,000 nodes: server time of GET /ui/nodes (in-process inject, so no
// socket or browser in the figure), beside the JSON API's page of 50 and a constant fastify route in the same
// process. Target: < 200 ms per page render with 10,000 nodes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { loadServerConfig } from '../src/config.js';
import { createFleetServer } from '../src/server.js';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// BENCH_DATA_DIR keeps the seeded fleet between runs (seeding 10,000 nodes takes minutes on a loaded box).
const keep = process.env.BENCH_DATA_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'fleet-console-bench-'));
mkdirSync(dir, { recursive: true });
const config = loadServerConfig({ FLEET_DATA_DIR: dir, FLEET_PORT: '0', FLEET_SWEEP_INTERVAL_SECONDS: '0' });
const seeder = await createFleetServer(config);
const admin = seeder.initialAdmin ?? { username: 'admin', password: '' };
if (seeder.initialAdmin) writeFileSync(join(dir, 'bench-admin.json'), JSON.stringify(admin));
const have = (await seeder.machineDb.listNodes({ limit: 1 })).items.length > 0;
if (!have) {
  const db = seeder.machineDb;
  const started = Date.now();
  for (let i = 0; i < NODES; i++) {
    const hex = i.toString(16).padStart(6, '0');
    const { nodeId } = await db.submitInventory(
      {
        systemUuid: `4c4c4544-0042-3610-8051-${hex.padStart(12, '0')}`,
        serial: `SRV${hex}`,
        cpus: [{ model: 'Xeon Gold 6338', cores: 32, threads: 64 }],
        memory: { totalBytes: (i % 3 === 0 ? 512 : 256) * 2 ** 30 },
        disks: [{ name: 'sda', sizeBytes: 480_103_981_056, serial: `D${hex}`, rotational: false, byId: [] }],
        nics: [{ name: 'eno1', mac: `3c:ec:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4)}:01` }],
      },
      { kind: 'enrol' },
    );
    const node = await db.getNode(nodeId);
    await db.updateNode(
      nodeId,
      {
        hostname: `cmp-${String(i).padStart(5, '0')}`,
        roles: [i % 10 === 0 ? 'storage' : 'compute'],
        location: { site: `dc${(i % 2) + 1}`, rack: `r${String((i % 32) + 1).padStart(2, '0')}`, unit: (i % 40) + 1 },
      },
      node.version,
      { kind: 'user', name: 'bench' },
    );
  }
  console.log(`seeded ${NODES} nodes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await seeder.close();
const credentials =
  seeder.initialAdmin ??
  (JSON.parse(readFileSync(join(dir, 'bench-admin.json'), 'utf8')) as { username: string; password: string });

// A fresh server process state on that data: what an operator meets after a restart. It fills the console's
// cache at start and answers /readyz 503 until then; a load balancer sends the first page only after that.
const startedAt = performance.now();
const server = await createFleetServer(config);
const db = server.machineDb;
let ready = 0;
let warmMs = 0;
for (;;) {
  const res = await server.app.inject({ method: 'GET', url: '/readyz' });
  warmMs = (res.json() as { checks: Record<string, { ms: number }> }).checks['startup.console']?.ms ?? Number.NaN;
  if (res.statusCode === 200) break;
  if (performance.now() - startedAt > 120_000) throw new Error(`not ready after 120 s: ${res.body}`);
  ready++;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const readyMs = performance.now() - startedAt;
console.log(
  `${'server start until /readyz 200 (fills the console cache)'.padEnd(52)} once   ${readyMs.toFixed(1).padStart(7)} ms   (${ready} not-ready answers before)`,
);
console.log(
  `${'  of which the console cache (every node read once)'.padEnd(52)} once   ${warmMs.toFixed(1).padStart(7)} ms`,
);
const { token } = await db.login(credentials.username, credentials.password);
const cookie = `fleet_session=${token}`;

const baseline = Fastify();
baseline.get('/', async () => 'ok');
await baseline.ready();

async function time(name: string, run: () => Promise<{ statusCode: number }>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const res = await run();
    samples.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`${name}: HTTP ${res.statusCode}`);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  console.log(
    `${name.padEnd(52)} median ${median.toFixed(1).padStart(7)} ms   max ${(samples.at(-1) ?? 0).toFixed(1).padStart(7)} ms`,
  );
  return median;
}
const page = (url: string) => () => server.app.inject({ method: 'GET', url, headers: { cookie } });

// The first page after the start (the target: < 200 ms, like any other page), then the same page warm.
let firstMs = 0;
{
  const t = performance.now();
  const res = await page('/ui/nodes')();
  firstMs = performance.now() - t;
  if (res.statusCode !== 200) throw new Error(`first: HTTP ${res.statusCode}`);
  if (!res.body.includes('cmp-00000')) throw new Error('first: the page does not list the first node');
  console.log(`${'GET /ui/nodes first after start (cold)'.padEnd(52)} once   ${firstMs.toFixed(1).padStart(7)} ms`);
}
// Let the seeding's changes fall out of the refresh overlap, as in a fleet that is not being seeded.
await new Promise((resolve) => setTimeout(resolve, 2500));
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const node = (await db.listNodes({ limit: 1 })).items[0];
  if (node) await db.updateNode(node.id, { tags: [`t${i}`] }, node.version, { kind: 'user', name: 'bench' });
  const t = performance.now();
  const res = await page('/ui/nodes')();
  cold.push(performance.now() - t);
  if (res.statusCode !== 200) throw new Error(`cold: HTTP ${res.statusCode}`);
}
cold.sort((a, b) => a - b);
const coldMedian = cold[2] ?? 0;
console.log(`${'GET /ui/nodes right after a node changed'.padEnd(52)} median ${coldMedian.toFixed(1).padStart(7)} ms`);

const base = await time('baseline: constant fastify route (inject)', () =>
  baseline.inject({ method: 'GET', url: '/' }),
);
const apiPage = await time('GET /api/v1/nodes?limit=50 (JSON API)', () =>
  server.app.inject({ method: 'GET', url: '/api/v1/nodes?limit=50', headers: { authorization: `Bearer ${token}` } }),
);
const results: [string, number][] = [
  [
    'GET /ui/nodes (50 per page, by hostname)',
    await time('GET /ui/nodes (50 per page, by hostname)', page('/ui/nodes')),
  ],
  [
    'page 100, sorted by time in state desc',
    await time('GET /ui/nodes?sort=since&dir=desc&page=100', page('/ui/nodes?sort=since&dir=desc&page=100')),
  ],
  [
    'state + site + role filter',
    await time(
      'GET /ui/nodes?state=inventoried&site=dc2&role=storage',
      page('/ui/nodes?state=inventoried&site=dc2&role=storage'),
    ),
  ],
  ['search by MAC', await time('GET /ui/nodes?q=3c:ec:00:12:34:01', page('/ui/nodes?q=3c:ec:00:12:34:01'))],
  ['500 per page', await time('GET /ui/nodes?per=500', page('/ui/nodes?per=500'))],
  [
    'sorted by memory (hardware of every node, cached)',
    await time('GET /ui/nodes?sort=memory&dir=desc', page('/ui/nodes?sort=memory&dir=desc')),
  ],
  ['overview', await time('GET / (overview)', page('/'))],
];
console.log(
  `\nratios against the JSON API page of 50 (${apiPage.toFixed(1)} ms) and the constant route (${base.toFixed(2)} ms):`,
);
for (const [name, ms] of results) {
  console.log(
    `  ${name.padEnd(50)} ${(ms / apiPage).toFixed(1).padStart(6)}× API   ${(ms / base).toFixed(0).padStart(6)}× constant   ${ms < 200 ? 'under' : 'OVER'} 200 ms`,
  );
}
console.log(
  `  ${'right after a node changed'.padEnd(50)} ${(coldMedian / apiPage).toFixed(1).padStart(6)}× API   ${(coldMedian / base).toFixed(0).padStart(6)}× constant   ${coldMedian < 200 ? 'under' : 'OVER'} 200 ms`,
);

console.log(
  `  ${'first page after start (cold)'.padEnd(50)} ${(firstMs / apiPage).toFixed(1).padStart(6)}× API   ${(firstMs / base).toFixed(0).padStart(6)}× constant   ${firstMs < 200 ? 'under' : 'OVER'} 200 ms`,
);

await baseline.close();
await server.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
