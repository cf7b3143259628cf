// Allocation cost versus how much is already allocated, against a naive first-fit scan in the same
// process, plus next-free /24 in a fragmented /8. Run with `pnpm bench` (tsx bench/allocation.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  call,
  createIpam,
  createMemoryStore,
  createSqliteStore,
  type NewPrefixRow,
  type PrefixRow,
  parsePrefix,
  type Store,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-ipam-bench-'));
const NOW = new Date().toISOString();

function row(parent: PrefixRow, start: bigint, length: number, kind: NewPrefixRow['kind']): NewPrefixRow {
  // Hosts reuse one bigint for start, end and hint: a million rows is heap enough.
  const end = length === 32 ? start : start + (1n << BigInt(32 - length)) - 1n;
  return {
    vrf: 'default',
    family: 4,
    start,
    end,
    length,
    kind,
    parentId: parent.id,
    description: '',
    function: '',
    status: 'active',
    tags: [],
    node: null,
    expiresAt: null,
    pool: null,
    createdAt: NOW,
    createdBy: 'bench',
    updatedAt: NOW,
    updatedBy: 'bench',
    usedSize: ZERO,
    childCount: 0,
    hintFrom: start,
    hintTo: start,
  };
}

const ZERO = 0n;

async function getRow(store: Store, prefix: string): Promise<PrefixRow> {
  const r = parsePrefix(prefix);
  const found = await store.run(
    function* () {
      return yield* call({ op: 'findPrefix', vrf: 'default', family: 4, start: r.start, length: r.length });
    },
    { write: false },
  );
  if (!found) throw new Error(`${prefix} missing`);
  return found;
}

/**
 * Bulk load (this bench is about allocation cost, not load time): `count` hosts right after the parent's
 * covered span, leaving counters and hint exactly as allocateAddress would have.
 */
async function loadHosts(store: Store, parentPrefix: string, count: number): Promise<void> {
  const parent = await getRow(store, parentPrefix);
  const first = parent.hintTo > parent.hintFrom ? parent.hintTo : parent.start + 1n;
  const chunk = 50_000;
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    await store.run(
      function* () {
        for (let i = 0; i < n; i++)
          yield* call({ op: 'insertPrefix', row: row(parent, first + BigInt(done + i), 32, 'host') });
      },
      { write: true },
    );
  }
  await store.run(
    function* () {
      yield* call({
        op: 'updatePrefix',
        id: parent.id,
        patch: {
          usedSize: parent.usedSize + BigInt(count),
          childCount: parent.childCount + count,
          hintFrom: parent.start + 1n,
          hintTo: first + BigInt(count),
        },
      });
    },
    { write: true },
  );
}

/**
 * The baseline: first fit by scanning the parent's children from its start, as a naive IPAM does. It
 * only finds the address (no insert), so the ratio printed is if anything flattering to the baseline.
 */
async function naiveAllocateHost(store: Store, parentPrefix: string): Promise<bigint> {
  const parent = await getRow(store, parentPrefix);
  return await store.run(
    function* () {
      let cursor = parent.start + 1n;
      let from = parent.start;
      for (;;) {
        const page = yield* call({
          op: 'childrenFrom',
          vrf: 'default',
          parentId: parent.id,
          family: 4,
          from,
          limit: 4096,
        });
        for (const c of page) {
          if (c.start > cursor) break;
          cursor = c.end + 1n;
        }
        if (page.length < 4096 || page[page.length - 1]!.start > cursor) break;
        from = page[page.length - 1]!.start + 1n;
      }
      return cursor;
    },
    { write: false },
  );
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

async function scaling(kind: 'memory' | 'sqlite'): Promise<{ growth: number; speedup: number }> {
  const store = kind === 'memory' ? createMemoryStore() : createSqliteStore({ path: join(dir, 'scaling.db') });
  const ipam = createIpam({ store });
  const parent = '10.0.0.0/8';
  await ipam.addPrefix({ prefix: parent, kind: 'assignment' });
  let loaded = 0;
  const perOp: Record<number, number> = {};
  let baselineAt1M = 0;
  for (const target of [1_000, 100_000, 1_000_000]) {
    const t0 = performance.now();
    await loadHosts(store, parent, target - loaded);
    loaded = target;
    const loadS = ((performance.now() - t0) / 1000).toFixed(1);
    // Warm up, then time; the timed allocations sit at the frontier like every later one would.
    await timeEach(200, () => ipam.allocateAddress({ from: parent }));
    const times = await timeEach(2000, () => ipam.allocateAddress({ from: parent }));
    loaded += 2200;
    perOp[target] = median(times);
    // One scan of 1M rows takes seconds, which is the point; once is enough to see it.
    const naiveRuns = target >= 100_000 ? 1 : 10;
    const naive = await timeEach(naiveRuns, () => naiveAllocateHost(store, parent));
    const speedup = median(naive) / median(times);
    if (target === 1_000_000) baselineAt1M = speedup;
    console.log(
      `${kind.padEnd(6)} ${String(target).padStart(9)} allocated: next free host median ${us(median(times))}, p99 ${us(pct(times, 0.99))}; naive scan median ${us(median(naive))} → fleet ${speedup.toFixed(0)}× faster (load ${loadS} s)`,
    );
    if (global.gc) global.gc();
  }
  await store.close();
  const growth = perOp[1_000_000]! / perOp[1_000]!;
  console.log(`${kind.padEnd(6)} cost growth 1k → 1M allocated: ${growth.toFixed(2)}× (must stay ≤ 2×)`);
  return { growth, speedup: baselineAt1M };
}

async function fragmented(kind: 'memory' | 'sqlite'): Promise<void> {
  const store = kind === 'memory' ? createMemoryStore() : createSqliteStore({ path: join(dir, 'frag.db') });
  const ipam = createIpam({ store });
  await ipam.addPrefix({ prefix: '10.0.0.0/8', kind: 'reservation' });
  const parent = await getRow(store, '10.0.0.0/8');
  // 60,000 of the 65,536 /24s taken, chosen by a fixed-seed shuffle.
  const slots = Array.from({ length: 65_536 }, (_, i) => i);
  let seed = 42;
  for (let i = slots.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  const taken = slots.slice(0, 60_000).sort((a, b) => a - b);
  await store.run(
    function* () {
      for (const s of taken)
        yield* call({ op: 'insertPrefix', row: row(parent, parent.start + (BigInt(s) << 8n), 24, 'assignment') });
      yield* call({ op: 'updatePrefix', id: parent.id, patch: { usedSize: 60_000n * 256n, childCount: 60_000 } });
    },
    { write: true },
  );
  const times = await timeEach(1000, () => ipam.allocatePrefix({ from: '10.0.0.0/8', length: 24 }));
  console.log(
    `${kind.padEnd(6)} next free /24 in a /8 with 60,000 /24 taken: median ${us(median(times))}, p99 ${us(pct(times, 0.99))} (1,000 calls)`,
  );
  await store.close();
}

try {
  const t = performance.now();
  const results = [];
  for (const kind of ['memory', 'sqlite'] as const) results.push({ kind, ...(await scaling(kind)) });
  for (const kind of ['memory', 'sqlite'] as const) await fragmented(kind);
  for (const r of results) {
    const ok = r.growth <= 2 && r.speedup >= 100;
    console.log(
      `${r.kind}: growth ${r.growth.toFixed(2)}× (≤ 2×), ${r.speedup.toFixed(0)}× faster than naive at 1M (≥ 100×): ${ok ? 'PASS' : 'FAIL'}`,
    );
    if (!ok) process.exitCode = 1;
  }
  console.log(`bench took ${((performance.now() - t) / 1000).toFixed(0)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
