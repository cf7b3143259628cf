import { type Executor, describeError, formatTable, ValidationError, validateInteger } from '@fleet/core';
import { type CheckResult, type CheckStatus, exitCodeFor, worstStatus } from './result.js';

/** A node as fleet mode sees it: where to run (its executor) and where to reach it. */
export interface FleetNode {
  name: string;
  rack: string;
  /** The address other nodes probe (path MTU, throughput, anycast from there). */
  address: string;
  executor: Executor;
}

export type NodeCheck = (node: FleetNode) => Promise<CheckResult | CheckResult[]>;
export type PairCheck = (from: FleetNode, to: FleetNode) => Promise<CheckResult | CheckResult[]>;

export interface FleetOptions {
  nodes: readonly FleetNode[];
  /** Checks run on every node. */
  nodeChecks?: readonly NodeCheck[];
  /** Checks run from one node towards another (path MTU, throughput). */
  pairChecks?: readonly PairCheck[];
  /** Which pairs: `rack-matrix` (one node per rack to one per other rack, both ways; default) or explicit names. */
  pairs?: 'rack-matrix' | readonly (readonly [string, string])[];
  /** Checks in flight at once across the fleet (default 8). */
  concurrency?: number;
}

export interface FleetRow {
  node: string;
  /** For pair checks: the node probed. */
  peer?: string;
  result: CheckResult;
}

export interface FleetReport {
  status: CheckStatus;
  exitCode: 0 | 1 | 2;
  counts: Record<CheckStatus, number>;
  rows: FleetRow[];
  durationMs: number;
}

/**
 * Runs up to `limit` tasks at a time and returns their results in input order. A slow SSH node holds
 * one slot, not the whole fleet.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** One representative node per rack, paired with one in every other rack, both directions. */
export function rackPairMatrix(nodes: readonly FleetNode[]): Array<[FleetNode, FleetNode]> {
  const firstOfRack = new Map<string, FleetNode>();
  for (const node of nodes) if (!firstOfRack.has(node.rack)) firstOfRack.set(node.rack, node);
  const reps = [...firstOfRack.values()];
  const pairs: Array<[FleetNode, FleetNode]> = [];
  for (const a of reps) for (const b of reps) if (a !== b) pairs.push([a, b]);
  return pairs;
}

function crashed(check: string, target: string, error: unknown): CheckResult {
  return { check, target, status: 'fail', code: 'CHECK_ERROR', summary: describeError(error), evidence: {}, durationMs: 0 };
}

/**
 * Fleet mode: every node check on every node and every pair check across the pair matrix, at most
 * `concurrency` at a time. A check that throws (SSH down, tool missing) becomes a `CHECK_ERROR` row.
 */
export async function runFleet(options: FleetOptions): Promise<FleetReport> {
  const started = performance.now();
  const concurrency = validateInteger(options.concurrency ?? 8, 'concurrency', 1, 1024);
  const byName = new Map(options.nodes.map((n) => [n.name, n]));
  const pairs =
    options.pairs === undefined || options.pairs === 'rack-matrix'
      ? rackPairMatrix(options.nodes)
      : options.pairs.map(([a, b]): [FleetNode, FleetNode] => {
          const from = byName.get(a);
          const to = byName.get(b);
          if (!from || !to) throw new ValidationError('pairs', `pair ${a} -> ${b} names a node not in the fleet: use node names from nodes`);
          return [from, to];
        });
  type Task = () => Promise<FleetRow[]>;
  const tasks: Task[] = [];
  for (const node of options.nodes) {
    for (const check of options.nodeChecks ?? []) {
      tasks.push(async () => {
        try {
          return [await check(node)].flat().map((result) => ({ node: node.name, result }));
        } catch (error) {
          return [{ node: node.name, result: crashed(check.name || 'node-check', node.name, error) }];
        }
      });
    }
  }
  for (const [from, to] of pairs) {
    for (const check of options.pairChecks ?? []) {
      tasks.push(async () => {
        try {
          return [await check(from, to)].flat().map((result) => ({ node: from.name, peer: to.name, result }));
        } catch (error) {
          return [{ node: from.name, peer: to.name, result: crashed(check.name || 'pair-check', `${to.name} from ${from.name}`, error) }];
        }
      });
    }
  }
  const rows = (await mapBounded(tasks, concurrency, (task) => task())).flat();
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0 };
  for (const row of rows) counts[row.result.status]++;
  const status = worstStatus(rows.map((r) => r.result.status));
  return { status, exitCode: exitCodeFor(status), counts, rows, durationMs: Math.round(performance.now() - started) };
}

/** A fixed-width text table of a fleet report, failures first. */
export function renderFleetTable(report: FleetReport): string {
  const order: Record<CheckStatus, number> = { fail: 0, warn: 1, ok: 2 };
  const rows = [...report.rows].sort((a, b) => order[a.result.status] - order[b.result.status]);
  const table = formatTable(
    ['STATUS', 'NODE', 'PEER', 'CHECK', 'CODE', 'SUMMARY'],
    rows.map((r) => [r.result.status.toUpperCase(), r.node, r.peer ?? '-', r.result.check, r.result.code, r.result.summary]),
  );
  const { ok, warn, fail } = report.counts;
  return `${table}\n${report.status.toUpperCase()}: ${ok} ok, ${warn} warn, ${fail} fail in ${report.durationMs} ms`;
}

/** The report as JSON for monitoring (stable field names; evidence included). */
export function fleetReportJson(report: FleetReport): string {
  return JSON.stringify(report, null, 2);
}
