// Client overhead (typed method + contract validation) against raw undici on the same stub server, and
// inventory collection from the R650 fixtures against a plain JSON.parse of the same files.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { collectInventory, createMachineDbClient } from '../src/index.js';
import { r650 } from '../test/fixture-host.js';

const now = '2026-11-25T12:00:00.000Z';
const items = Array.from({ length: 100 }, (_, i) => ({
  id: `node-${i}`,
  systemUuid: '4c4c4544-0000-4000-8000-000000000001',
  serial: null,
  macs: ['52:54:00:00:00:01'],
  hostname: `web${i}`,
  fqdn: null,
  cluster: 'lab',
  roles: [],
  groups: ['web'],
  tags: [],
  asn: null,
  location: { site: 'ams1', rack: 'r1' },
  systemDisk: null,
  bmc: null,
  addresses: [],
  state: 'deployed',
  stateReason: null,
  stateSince: now,
  bootTarget: 'local',
  createdAt: now,
  updatedAt: now,
  version: 3,
}));
const page = JSON.stringify({ items, nextCursor: null });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(page);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const N = 300;
const agent = new Agent();
const client = createMachineDbClient({ baseUrl: url, token: 'bench' });
// Warm up both paths (JIT, connections) before timing.
for (let i = 0; i < 50; i++) {
  await (await request(`${url}/api/v1/nodes?limit=100`, { dispatcher: agent })).body.text();
  await client.listNodes({ limit: 100 });
}
let t = performance.now();
for (let i = 0; i < N; i++) {
  const res = await request(`${url}/api/v1/nodes?limit=100`, { dispatcher: agent });
  JSON.parse(await res.body.text());
}
const rawMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < N; i++) await client.listNodes({ limit: 100 });
const clientMs = performance.now() - t;
console.log(`listNodes (100 nodes/page): client ${(N / (clientMs / 1000)).toFixed(0)} pages/s, raw undici ${(N / (rawMs / 1000)).toFixed(0)} pages/s`);
console.log(`client overhead ratio (client / raw, incl. contract validation): ${(clientMs / rawMs).toFixed(2)}`);
await client.close();
await agent.close();
server.close();

const M = 200;
const { executor, files } = r650();
const dir = new URL('../test/fixtures/r650/', import.meta.url);
t = performance.now();
for (let i = 0; i < M; i++) {
  for (const f of ['lsblk.json', 'ip-link.json', 'ip-addr.json', 'lshw.json', 'lldpctl.json']) JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
}
const parseMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < M; i++) await collectInventory({ executor, files });
const collectMs = performance.now() - t;
console.log(`collectInventory (R650 fixtures): ${(collectMs / M).toFixed(3)} ms each; JSON.parse of the same files ${(parseMs / M).toFixed(3)} ms`);
console.log(`collect ratio (collect / JSON.parse baseline): ${(collectMs / parseMs).toFixed(2)}`);
