import type { GroupResult } from './recorder.js';
import { type BenchResult, parseBenchResult } from './result.js';

export interface CompareOptions {
  /** Relative change counted as a regression (0.1 = 10 %). Default 0.1. */
  threshold?: number;
  /** Latency changes smaller than this (ms) are never regressions (noise floor). Default 0.05. */
  minLatencyDeltaMs?: number;
}

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
 * than `threshold`.
 */
export function compareResults(base: BenchResult, current: BenchResult, options: CompareOptions = {}): Comparison {
  const a = parseBenchResult(base, 'base');
  const b = parseBenchResult(current, 'current');
  const threshold = options.threshold ?? 0.1;
  const floor = options.minLatencyDeltaMs ?? 0.05;
  const rows: ComparisonRow[] = [];
  const add = (
    group: string,
    metric: string,
    x: number,
    y: number,
    higherIsBetter: boolean,
    isLatency: boolean,
  ): void => {
    const change = x === 0 ? (y === 0 ? 0 : Number.POSITIVE_INFINITY) : (y - x) / x;
    const worse = higherIsBetter ? -change : change;
    const significant = !isLatency || Math.abs(y - x) >= floor;
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
  for (const ga of a.groups) {
    const gb = b.groups.find((g) => g.name === ga.name);
    if (gb === undefined) continue;
    add(ga.name, 'ops/s', ga.opsPerSec, gb.opsPerSec, true, false);
    add(ga.name, 'error rate', errorRate(ga), errorRate(gb), false, false);
    for (const m of LATENCY_METRICS) add(ga.name, `latency ${m}`, ga.latency[m], gb.latency[m], false, true);
    add(ga.name, 'ttfb p99', ga.ttfb.p99, gb.ttfb.p99, false, true);
    if (ga.corrected !== null && gb.corrected !== null) {
      for (const m of LATENCY_METRICS) add(ga.name, `corrected ${m}`, ga.corrected[m], gb.corrected[m], false, true);
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
