import { S3BenchError } from './errors.js';
import type { GroupResult } from './recorder.js';
import { type BenchResult, parseBenchResult } from './result.js';

/**
 * When a change counts. A metric is a regression (or an improvement) only when it moved by more than the
 * relative `threshold` AND by more than its absolute floor: run-to-run noise on a quiet service is a few
 * hundred microseconds, which is a large relative change of a 1 ms p50 and means nothing.
 */
export interface CompareOptions {
  /** Relative change counted as a regression (0.1 = 10 %). Default 0.1. */
  threshold?: number;
  /** Latency changes smaller than this (ms) are never regressions (noise floor). Default 1. */
  minLatencyDeltaMs?: number;
  /** Throughput changes smaller than this (operations per second) are never regressions. Default 1. */
  minOpsPerSecDelta?: number;
  /** Error-rate changes smaller than this (a fraction: 0.001 = 0.1 percentage points) are ignored. Default 0.001. */
  minErrorRateDelta?: number;
}

/** The defaults of {@link CompareOptions}. */
export const COMPARE_DEFAULTS: Readonly<Required<CompareOptions>> = Object.freeze({
  threshold: 0.1,
  minLatencyDeltaMs: 1,
  minOpsPerSecDelta: 1,
  minErrorRateDelta: 0.001,
});

/** One metric of one group in both runs. */
export interface ComparisonRow {
  group: string;
  metric: string;
  base: number;
  current: number;
  /** (current − base) / base; Infinity when base is 0 and current is not. */
  change: number;
  /** Whether a higher value is better (throughput) or worse (latency, errors). */
  higherIsBetter: boolean;
  regression: boolean;
  improvement: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  regressions: ComparisonRow[];
  /** Groups present in only one of the runs. */
  onlyInBase: string[];
  onlyInCurrent: string[];
}

const LATENCY_METRICS = ['p50', 'p90', 'p99', 'p999', 'p9999', 'max'] as const;

function errorRate(g: GroupResult): number {
  const all = g.ops + g.errors;
  return all === 0 ? 0 : g.errors / all;
}

/**
 * Compares `current` with `base` group by group: throughput, error rate and latency percentiles (the
 * coordinated-omission corrected ones too in open loop). A row is a regression when it got worse by more
 * than `threshold` and by more than the metric's absolute floor (see {@link CompareOptions}). Throws
 * `S3BENCH_RESULT_MISMATCH` when the two results have no group name in common (nothing would be compared).
 */
export function compareResults(base: BenchResult, current: BenchResult, options: CompareOptions = {}): Comparison {
  const a = parseBenchResult(base, 'base');
  const b = parseBenchResult(current, 'current');
  const opts = { ...COMPARE_DEFAULTS };
  for (const [k, v] of Object.entries(options) as Array<[keyof CompareOptions, number | undefined]>) {
    if (v === undefined) continue;
    if (!(k in COMPARE_DEFAULTS))
      throw new S3BenchError('S3BENCH_CONFIG_INVALID', `compare: unknown option ${JSON.stringify(k)}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new S3BenchError('S3BENCH_CONFIG_INVALID', `compare: ${k} must be a number ≥ 0, got ${String(v)}`);
    opts[k] = v;
  }
  const common = a.groups.filter((g) => b.groups.some((x) => x.name === g.name));
  if (common.length === 0) {
    const names = (r: BenchResult): string => r.groups.map((g) => g.name).join(', ') || 'none';
    throw new S3BenchError(
      'S3BENCH_RESULT_MISMATCH',
      `nothing to compare: no group name is in both results (base: ${names(a)}; current: ${names(b)})`,
      { details: { base: a.groups.map((g) => g.name), current: b.groups.map((g) => g.name) } },
    );
  }
  const rows: ComparisonRow[] = [];
  const add = (group: string, metric: string, x: number, y: number, higherIsBetter: boolean, floor: number): void => {
    const change = x === 0 ? (y === 0 ? 0 : Number.POSITIVE_INFINITY) : (y - x) / x;
    const worse = higherIsBetter ? -change : change;
    const significant = Math.abs(y - x) > floor;
    const threshold = opts.threshold;
    rows.push({
      group,
      metric,
      base: x,
      current: y,
      change,
      higherIsBetter,
      regression: significant && worse > threshold,
      improvement: significant && worse < -threshold,
    });
  };
  const ms = opts.minLatencyDeltaMs;
  for (const ga of common) {
    const gb = b.groups.find((g) => g.name === ga.name)!;
    add(ga.name, 'ops/s', ga.opsPerSec, gb.opsPerSec, true, opts.minOpsPerSecDelta);
    add(ga.name, 'error rate', errorRate(ga), errorRate(gb), false, opts.minErrorRateDelta);
    for (const m of LATENCY_METRICS) add(ga.name, `latency ${m}`, ga.latency[m], gb.latency[m], false, ms);
    add(ga.name, 'ttfb p99', ga.ttfb.p99, gb.ttfb.p99, false, ms);
    if (ga.corrected !== null && gb.corrected !== null) {
      for (const m of LATENCY_METRICS) add(ga.name, `corrected ${m}`, ga.corrected[m], gb.corrected[m], false, ms);
    }
  }
  return {
    rows,
    regressions: rows.filter((r) => r.regression),
    onlyInBase: a.groups.filter((g) => !b.groups.some((x) => x.name === g.name)).map((g) => g.name),
    onlyInCurrent: b.groups.filter((g) => !a.groups.some((x) => x.name === g.name)).map((g) => g.name),
  };
}

/** A terminal table of a comparison; regressions are marked `REGRESSION`. */
export function formatComparison(c: Comparison): string {
  const lines = c.rows.map((r) => {
    const pct = Number.isFinite(r.change) ? `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%` : 'new';
    const mark = r.regression ? 'REGRESSION' : r.improvement ? 'better' : '';
    return `${r.group.padEnd(12)} ${r.metric.padEnd(16)} ${String(r.base).padStart(12)} → ${String(r.current).padEnd(12)} ${pct.padStart(9)} ${mark}`;
  });
  if (c.onlyInBase.length > 0) lines.push(`only in base: ${c.onlyInBase.join(', ')}`);
  if (c.onlyInCurrent.length > 0) lines.push(`only in current: ${c.onlyInCurrent.join(', ')}`);
  lines.push(`${c.regressions.length} regression(s)`);
  return lines.join('\n');
}
