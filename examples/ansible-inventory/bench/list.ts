// `--list` for 10,000 hosts: whole-process wall time (Node start included) beside `cat` of the same JSON.
// Targets: < 1 s and < 5× the cat baseline. Runs the built script (pnpm bench builds first).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServerConfig } from '../../server/src/config.js';
import { createFleetServer } from '../../server/src/server.js';

const HOSTS = Number(process.env.HOSTS ?? 10_000);
const script = fileURLToPath(new URL('../dist/inventory.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fleet-inv-bench-'));
const server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: dir, FLEET_PORT: '0' }));
const url = await server.listen();
const started = Date.now();
for (let i = 0; i < HOSTS; i++) {
  const hex = i.toString(16).padStart(6, '0');
  await server.machineDb.submitInventory(
    {
      systemUuid: `4c4c4544-0042-3610-8051-${hex.padStart(12, '0')}`,
      cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
      memory: { totalBytes: 2 ** 36 },
      disks: [],
      nics: [{ name: 'eno1', mac: `3c:ec:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4)}:01` }],
    },
    { kind: 'enrol' },
  );
}
console.log(`seeded ${HOSTS} nodes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const admin = server.initialAdmin!;
const { token } = await server.machineDb.login(admin.username, admin.password);
const env = { ...process.env, FLEET_URL: url, FLEET_TOKEN: token };

// Asynchronous on purpose: the server answering --list lives in this process.
const run = promisify(execFile);
async function time(cmd: string, args: string[], runs = 7): Promise<{ median: number; out: string }> {
  const times: number[] = [];
  let out = '';
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    out = (await run(cmd, args, { env, maxBuffer: 512 * 2 ** 20 })).stdout;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, out };
}

const list = await time('node', [script, '--list']);
const file = join(dir, 'inventory.json');
writeFileSync(file, list.out);
const cat = await time('cat', [file]);
const nodeCat = await time('node', ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(file)}))`]);
const hosts = Object.keys((JSON.parse(list.out) as { _meta: { hostvars: object } })._meta.hostvars).length;
console.log(
  `inventory --list: ${hosts} hosts, ${(list.out.length / 1e6).toFixed(1)} MB, median ${list.median.toFixed(0)} ms (whole process)`,
);
console.log(`cat of the same JSON: median ${cat.median.toFixed(1)} ms`);
console.log(`node printing the same file (Node start included): median ${nodeCat.median.toFixed(1)} ms`);
console.log(
  `ratio --list / cat: ${(list.median / cat.median).toFixed(1)}x; --list / node-print: ${(list.median / nodeCat.median).toFixed(1)}x (target < 5x); --list < 1 s: ${list.median < 1000 ? 'yes' : 'NO'}`,
);
await server.close();
rmSync(dir, { recursive: true, force: true });
