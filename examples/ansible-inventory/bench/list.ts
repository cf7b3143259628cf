// `--list` for 10,000 hosts: whole-process wall time (Node start included) beside `cat` of the same JSON;
// then end to end through real `ansible-inventory --list`, beside ansible-inventory reading a static JSON
// inventory of the same hosts. Targets: script < 1 s and < 5× cat; ansible-inventory with the script within
// 2× of ansible-inventory on the static file. Runs the built script (pnpm bench builds first).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFleetServer, loadServerConfig, serverMainScript } from '@fleet/example-server';

const HOSTS = Number(process.env.HOSTS ?? 10_000);
const script = fileURLToPath(new URL('../dist/inventory.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fleet-inv-bench-'));
const server = await createFleetServer(loadServerConfig({ FLEET_DATA_DIR: dir, FLEET_PORT: '0' }));
await server.listen();
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
const someNode = (await server.machineDb.listNodes({ limit: 1 })).items[0]!;
await server.close();

// The server as it runs in production: its own process (the built `pnpm start` entry) on the seeded data.
const child = spawn(process.execPath, [serverMainScript], {
  env: { ...process.env, FLEET_DATA_DIR: dir, FLEET_PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const childExit = new Promise((resolve) => child.once('exit', resolve));
const serverUrl = await new Promise<string>((resolve, reject) => {
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    const m = /listening on (http:\/\/\S+)/.exec(seen);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
// The seeded nodes are enrolled, not deployed: ask for every state (the same pass-through path as the
// default `?state=deployed`, on all 10,000 hosts).
const env = { ...process.env, FLEET_URL: serverUrl, FLEET_TOKEN: token, FLEET_INVENTORY_STATES: 'all' };
const api = async (path: string, init: RequestInit = {}): Promise<Response> =>
  await fetch(`${serverUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
let flip = 0;
/** Changes one node through the API, so the next export has to be rebuilt. */
const touch = async (): Promise<void> => {
  const node = await api(`/api/v1/nodes/${someNode.id}`);
  const res = await api(`/api/v1/nodes/${someNode.id}`, {
    method: 'PATCH',
    headers: { 'if-match': node.headers.get('etag') ?? '' },
    body: JSON.stringify({ tags: [`bench-${flip++}`] }),
  });
  if (res.status !== 200) throw new Error(`PATCH node: ${res.status}`);
};

const run = promisify(execFile);
async function once(
  cmd: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ ms: number; out: string }> {
  const t = process.hrtime.bigint();
  const out = (await run(cmd, args, { env: { ...env, ...extraEnv }, maxBuffer: 512 * 2 ** 20 })).stdout;
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
}

const file = join(dir, 'inventory.json');
const first = await once('node', [script, '--list']);
writeFileSync(file, first.out);
const printFile = `process.stdout.write(require('fs').readFileSync(${JSON.stringify(file)}))`;
// Interleaved rounds, so a slow spell of a shared machine hits every contender alike.
const ROUNDS = 9;
const t = { list: [] as number[], rebuilt: [] as number[], cat: [] as number[], nodePrint: [] as number[] };
let last = first.out;
try {
  for (let round = 0; round < ROUNDS; round++) {
    t.cat.push((await once('cat', [file])).ms);
    t.nodePrint.push((await once('node', ['-e', printFile])).ms);
    // Steady state: nothing changed since the last export; the server checks that with one aggregate query.
    const listed = await once('node', [script, '--list']);
    if (listed.out !== last) throw new Error('--list printed another document with nothing changed');
    t.list.push(listed.ms);
    // After a change: the server rebuilds the document for this call.
    await touch();
    const rebuiltRun = await once('node', [script, '--list']);
    if (!rebuiltRun.out.includes(`"bench-${flip - 1}"`)) throw new Error('--list missed the change');
    last = rebuiltRun.out;
    t.rebuilt.push(rebuiltRun.ms);
  }
} finally {
  child.kill('SIGTERM');
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = median(t.list);
const rebuilt = median(t.rebuilt);
const cat = median(t.cat);
const nodeCat = median(t.nodePrint);
const hosts = Object.keys((JSON.parse(first.out) as { _meta: { hostvars: object } })._meta.hostvars).length;
console.log(`medians of ${ROUNDS} interleaved rounds; the server runs in its own process (dist/main.js, SQLite)`);
console.log(`cat of the same JSON: ${cat.toFixed(1)} ms (the baseline)`);
console.log(
  `node printing the same file (Node start included): ${nodeCat.toFixed(1)} ms = ${(nodeCat / cat).toFixed(1)}x cat`,
);
console.log(
  `inventory --list, ${hosts} hosts, ${(first.out.length / 1e6).toFixed(1)} MB, nothing changed since the last export: ${list.toFixed(0)} ms = ${(list / cat).toFixed(1)}x cat, ${(list / nodeCat).toFixed(2)}x node-print`,
);
console.log(
  `inventory --list right after a node changed (the server rebuilds the document): ${rebuilt.toFixed(0)} ms = ${(rebuilt / cat).toFixed(1)}x cat`,
);
const ok = list < 1000 && list / cat < 5;
console.log(`targets (--list < 1 s and < 5x cat): ${ok ? 'met' : 'MISSED'}`);

// End to end through Ansible: what a playbook run waits for before its first task.
const child2 = spawn(process.execPath, [serverMainScript], {
  env: { ...process.env, FLEET_DATA_DIR: dir, FLEET_PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const child2Exit = new Promise((resolve) => child2.once('exit', resolve));
const url2 = await new Promise<string>((resolve, reject) => {
  let seen = '';
  child2.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    const m = /listening on (http:\/\/\S+)/.exec(seen);
    if (m) resolve(m[1]!);
  });
  child2.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
// The same hosts, groups and variables as a static inventory file (JSON in the YAML plugin's layout).
const doc = JSON.parse(last) as Record<string, { hosts?: string[] }> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};
const staticDoc: {
  all: { hosts: Record<string, unknown>; children: Record<string, { hosts: Record<string, null> }> };
} = { all: { hosts: doc._meta.hostvars, children: {} } };
for (const [name, group] of Object.entries(doc)) {
  const members = (group as { hosts?: string[] }).hosts;
  if (name === '_meta' || name === 'all' || name === 'ungrouped' || !members?.length) continue;
  staticDoc.all.children[name] = { hosts: Object.fromEntries(members.map((h) => [h, null])) };
}
const staticFile = join(dir, 'static-inventory.json');
writeFileSync(staticFile, JSON.stringify(staticDoc));
const regroupFile = join(dir, 'fleet-inventory.json');
writeFileSync(
  regroupFile,
  JSON.stringify({
    states: ['inventoried', 'deployed'],
    keyedGroups: [{ key: 'fleet_macs', prefix: 'mac' }],
    compose: { first_mac: '{fleet_macs.0}' },
  }),
);
// Ansible's own defaults for every contender (this folder's ansible.cfg would limit the static file to
// the script plugin).
const ansibleCfg = join(dir, 'ansible.cfg');
writeFileSync(ansibleCfg, '[defaults]\n');
const ansibleEnv = {
  FLEET_URL: url2,
  ANSIBLE_CONFIG: ansibleCfg,
  ANSIBLE_INVENTORY_UNPARSED_FAILED: '1',
  ANSIBLE_LOCALHOST_WARNING: '0',
};
const hostCount = (out: string): number =>
  Object.keys((JSON.parse(out) as { _meta: { hostvars: object } })._meta.hostvars).length;
const A_ROUNDS = 3;
const a = { script: [] as number[], regroup: [] as number[], file: [] as number[] };
try {
  for (let round = 0; round < A_ROUNDS; round++) {
    const viaFile = await once('ansible-inventory', ['-i', staticFile, '--list'], ansibleEnv);
    const viaScript = await once('ansible-inventory', ['-i', script, '--list'], ansibleEnv);
    const viaRegroup = await once('ansible-inventory', ['-i', script, '--list'], {
      ...ansibleEnv,
      FLEET_INVENTORY_CONFIG: regroupFile,
      FLEET_INVENTORY_STATES: 'inventoried,deployed',
    });
    if (hostCount(viaFile.out) !== hosts || hostCount(viaScript.out) !== hosts || hostCount(viaRegroup.out) !== hosts)
      throw new Error('ansible-inventory saw another number of hosts');
    a.file.push(viaFile.ms);
    a.script.push(viaScript.ms);
    a.regroup.push(viaRegroup.ms);
  }
} finally {
  child2.kill('SIGTERM');
}
const aFile = median(a.file);
const aScript = median(a.script);
const aRegroup = median(a.regroup);
console.log(`ansible-inventory --list, ${hosts} hosts, medians of ${A_ROUNDS} interleaved rounds:`);
console.log(`  static JSON inventory file: ${(aFile / 1000).toFixed(2)} s (the baseline)`);
console.log(
  `  the script, server document as it comes: ${(aScript / 1000).toFixed(2)} s = ${(aScript / aFile).toFixed(2)}x the static file`,
);
console.log(
  `  the script regrouping (keyed groups per MAC, compose, two states): ${(aRegroup / 1000).toFixed(2)} s = ${(aRegroup / aFile).toFixed(2)}x the static file`,
);
const aOk = aScript / aFile <= 2 && aRegroup / aFile <= 2;
console.log(`target (ansible-inventory with the script within 2x of the static file): ${aOk ? 'met' : 'MISSED'}`);
if (!ok || !aOk) process.exitCode = 1;
await Promise.all([childExit, child2Exit]);
rmSync(dir, { recursive: true, force: true });
