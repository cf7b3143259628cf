// Renders the full file set for 10,000 nodes on one core and compares it with a baseline of the same
// output size built by plain template-literal joins (no validation, no structure): the floor of what
// producing that much text costs in this process.
//
// The first pass is measured apart, in fresh child processes (pinned to one core with taskset when it is
// there): what a server that just started pays when every node asks for its files at once — regex
// compilation, JIT warm-up and caches filling (module import is reported, not counted; the nodes' input
// objects are built before the clock starts). Each child runs its own baseline (the same join, also
// cold) so its figures are ratios in one process too. Three children run one after another and the
// median is reported beside each one: on a shared box one child can be slowed by its neighbours.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
const tImport = performance.now();
const cImport = process.cpuUsage();
const { renderNodeFiles, resolveNodeConfig } = await import('../src/index.js');
const { makeNode, makeSite } = await import('../test/fixture.js');
import type { NodeInput } from '../src/index.js';
const importMs = performance.now() - tImport;
const importCpu = (process.cpuUsage(cImport).user + process.cpuUsage(cImport).system) / 1000;

const COUNT = 10_000;
const site = makeSite();

function nodeAt(i: number): NodeInput {
  const hi = (i >> 8) & 0xff;
  const lo = i & 0xff;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  const base = makeNode();
  return makeNode({
    hostname: `cmp-${String(i).padStart(5, '0')}`,
    rack: i % 2 === 0 ? 'r01' : 'r02',
    bootMac: `3c:ec:ef:00:${hex(hi)}:${hex(lo)}`,
    management: { ...base.management, mac: `3c:ec:ef:00:${hex(hi)}:${hex(lo)}`, address: `10.${hi}.${lo}.10/24`, gateway: `10.${hi}.${lo}.1` },
    fabric: [
      { ...base.fabric[0]!, ipv4: `198.18.${hi}.${(lo & 0x7f) * 2 + 1}/31`, peerIpv4: `198.18.${hi}.${(lo & 0x7f) * 2}` },
      { ...base.fabric[1]!, ipv4: `198.19.${hi}.${(lo & 0x7f) * 2 + 1}/31`, peerIpv4: `198.19.${hi}.${(lo & 0x7f) * 2}` },
    ],
    loopback: { ipv4: `100.64.${hi}.${lo}`, ipv6: `2001:db8:ff::${i.toString(16)}` },
    role: i % 10 === 0 ? 'storage' : 'compute',
  });
}

const nodes = Array.from({ length: COUNT }, (_, i) => nodeAt(i));

// CPU time next to wall time: this box is shared, and CPU time is what one core spends.
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** The same number of characters per node from template literals over the node's values. */
function baselineJoin(perNode: number): number {
  const filler = 'x'.repeat(Math.max(0, Math.floor(perNode / 12) - 24));
  let total = 0;
  for (const node of nodes) {
    const parts: string[] = [];
    for (let k = 0; k < 12; k++) {
      parts.push(`${node.hostname} ${node.bootMac} ${node.management.address} ${node.loopback.ipv4}${filler}\n`);
    }
    total += parts.join('').length;
  }
  return total;
}

interface FirstPass {
  importMs: number;
  importCpu: number;
  firstMs: number;
  firstCpu: number;
  first500Cpu: number;
  baselineCpu: number;
  bytes: number;
}

if (process.argv.includes('--first-pass')) {
  // Child: nothing has rendered in this process yet.
  let bytes = 0;
  let first500Cpu = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const [i, node] of nodes.entries()) {
    for (const file of renderNodeFiles(node, site)) bytes += file.content.length;
    if (i === 499) first500Cpu = cpuMs(c0);
  }
  const firstMs = performance.now() - t0;
  const firstCpu = cpuMs(c0);
  const c1 = process.cpuUsage();
  baselineJoin(Math.round(bytes / COUNT));
  const baselineCpu = cpuMs(c1);
  const result: FirstPass = { importMs, importCpu, firstMs, firstCpu, first500Cpu, baselineCpu, bytes };
  console.log(JSON.stringify(result));
  process.exit(0);
}

// Parent: the first pass in fresh processes, before anything here warms up.
const self = fileURLToPath(import.meta.url);
const args = [...process.execArgv, self, '--first-pass'];
let pinnedToCore = true;
function firstPassChild(): FirstPass {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...args], { encoding: 'utf8' });
  if (pinned.error) pinnedToCore = false;
  const child = pinned.error ? spawnSync(process.execPath, args, { encoding: 'utf8' }) : pinned;
  if (child.status !== 0) throw new Error(`first-pass child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as FirstPass;
}
const children = [firstPassChild(), firstPassChild(), firstPassChild()];
const first = [...children].sort((a, b) => a.firstCpu - b.firstCpu)[1]!;

// Warm-up so both sides run JIT-compiled code.
for (let i = 0; i < 500; i++) renderNodeFiles(nodes[i]!, site);

// Best of three rounds: the box is shared, and the fastest round is the one least disturbed.
let bytes = 0;
let files = 0;
let renderCpu = Number.POSITIVE_INFINITY;
let renderMs = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  bytes = 0;
  files = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const node of nodes) {
    for (const file of renderNodeFiles(node, site)) {
      bytes += file.content.length;
      files += 1;
    }
  }
  renderMs = Math.min(renderMs, performance.now() - t0);
  renderCpu = Math.min(renderCpu, cpuMs(c0));
}

const c1 = process.cpuUsage();
for (const node of nodes) resolveNodeConfig(node, site);
const validateCpu = cpuMs(c1);

// Baseline: the same number of characters per node from template literals over the node's values.
const perNode = Math.round(bytes / COUNT);
const c2 = process.cpuUsage();
const t2 = performance.now();
const baselineBytes = baselineJoin(perNode);
const baselineMs = performance.now() - t2;
const baselineCpu = cpuMs(c2);

const us = (ms: number): string => ((ms * 1000) / COUNT).toFixed(1);
console.log(`nodes: ${COUNT}, files: ${files}, output: ${(bytes / 1e6).toFixed(1)} MB (${perNode} chars/node)`);
console.log(
  `renderNodeFiles: ${renderCpu.toFixed(0)} ms CPU (${us(renderCpu)} µs/node), ${renderMs.toFixed(0)} ms wall — target < 1000 ms`,
);
console.log(`  of which validation (resolveNodeConfig): ${validateCpu.toFixed(0)} ms CPU (${us(validateCpu)} µs/node)`);
console.log(
  `baseline template-literal join of the same size: ${baselineCpu.toFixed(0)} ms CPU (${us(baselineCpu)} µs/node), ${baselineMs.toFixed(0)} ms wall, ${(baselineBytes / 1e6).toFixed(1)} MB`,
);
console.log(`(best of 3 rounds)`);
console.log(`ratio render / baseline (CPU): ${(renderCpu / Math.max(baselineCpu, 0.001)).toFixed(1)}×`);
console.log(
  `first pass, fresh process${pinnedToCore ? ' (taskset -c 0)' : ''}, median of ${children.length}: ${first.firstCpu.toFixed(0)} ms CPU, ${first.firstMs.toFixed(0)} ms wall — target < 1000 ms; first 500 nodes ${first.first500Cpu.toFixed(0)} ms CPU; module import ${first.importCpu.toFixed(0)} ms CPU (not counted)`,
);
console.log(`  each child: ${children.map((c) => `${c.firstCpu.toFixed(0)} ms CPU`).join(', ')}`);
console.log(
  `  its cold baseline join: ${first.baselineCpu.toFixed(0)} ms CPU; ratio first pass / its baseline (CPU): ${(first.firstCpu / Math.max(first.baselineCpu, 0.001)).toFixed(1)}×; first pass / warm render: ${(first.firstCpu / Math.max(renderCpu, 0.001)).toFixed(2)}×`,
);
