import { S3BenchError } from './errors.js';
import { decodeHistogram, encodeHistogram, percentileDistribution, summarizeHistogram } from './histogram.js';
import { emptyPhase, type PhaseName, type PhaseResult } from './phases.js';
import type { GroupResult, OpenLoopResult, SeriesPoint, SizeClassResult } from './recorder.js';

/** The tool's own cost, kept apart from the latencies it reports. */
export interface OverheadResult {
  /** Mean time to build and sign a request (µs); not part of any latency. */
  signMeanUs: number;
  /** Mean time to record one measurement into the histograms (µs). */
  recordMeanUs: number;
  /** Event-loop delay while measuring: when high, the client itself was the bottleneck. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Process CPU while measuring (user + system) as % of one core. */
  cpuPercent: number;
}

/** The JSON result file of one run (or of several merged runs). */
export interface BenchResult {
  format: 's3bench-result';
  version: 1;
  label: string;
  startedAt: string;
  endedAt: string;
  /** Seconds measured (warm-up excluded). */
  measuredS: number;
  /** Number of client processes whose results are in this one (1 unless merged). */
  clients: number;
  config: {
    endpoint: string;
    bucket: string;
    region: string;
    prefix: string;
    addressing: 'path' | 'virtual';
    payloadSigning: 'unsigned' | 'signed';
    connections: number;
    durationS: number | null;
    warmupS: number;
    payload: string;
    verify: boolean;
    seed: number;
  };
  groups: GroupResult[];
  overhead: OverheadResult;
  /** Cleanup outcome; null when `cleanup` is false. `failed` objects could not be deleted (after retries). */
  cleanup: { deleted: number; failed: number; bucketDeleted: boolean; error: string | null } | null;
  /** Requests and errors of each phase: bucket check, prefill, measuring (all groups), cleanup. */
  phases: Record<PhaseName, PhaseResult>;
  /**
   * Objects this run wrote that are (or may be) still in the bucket: those cleanup could not delete, or all
   * of them when `cleanup` is false. Null when none are left.
   */
  leftBehind: { objects: number; bucket: string; prefix: string } | null;
  /** Things the run noticed and went on with (a refused bucket check, a LIST-less cleanup), each said once. */
  notes: string[];
  /** Set when the run was stopped early (abortOnError or the caller's signal). */
  aborted: string | null;
}

/** Checks that `value` looks like a result file (throws `S3BENCH_RESULT_INVALID` naming what is wrong). */
export function parseBenchResult(value: unknown, what = 'result'): BenchResult {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<BenchResult> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.format !== 's3bench-result' ||
    v.version !== 1 ||
    !Array.isArray(v.groups)
  ) {
    throw new S3BenchError(
      'S3BENCH_RESULT_INVALID',
      `${what} is not an s3bench result (format "s3bench-result", version 1); pass a file written by runBenchmark`,
    );
  }
  for (const g of v.groups) {
    if (typeof g?.name !== 'string' || typeof g.histograms?.latency !== 'string') {
      throw new S3BenchError('S3BENCH_RESULT_INVALID', `${what} has a group without name or histograms`);
    }
  }
  // Files written before a field existed read as if it were empty.
  for (const g of v.groups) {
    g.activeS ??= v.measuredS ?? 0;
    g.open ??= null;
    g.sizeClasses ??= [];
  }
  v.notes ??= [];
  v.leftBehind ??= null;
  v.phases ??= {
    setup: emptyPhase(),
    prefill: emptyPhase(),
    measure: emptyPhase(),
    cleanup: emptyPhase(),
  };
  return v as BenchResult;
}

function mergeSeries(all: SeriesPoint[][]): SeriesPoint[] {
  const byT = new Map<number, SeriesPoint>();
  for (const series of all) {
    for (const p of series) {
      const m = byT.get(p.t);
      if (m === undefined) {
        byT.set(p.t, { ...p });
        continue;
      }
      m.ops += p.ops;
      m.errors += p.errors;
      m.bytes += p.bytes;
      // Per-second percentiles cannot be merged exactly from summaries; the max is a safe upper bound.
      m.p50 = Math.max(m.p50, p.p50);
      m.p90 = Math.max(m.p90, p.p90);
      m.p99 = Math.max(m.p99, p.p99);
      m.max = Math.max(m.max, p.max);
      if (p.correctedP99 !== undefined) m.correctedP99 = Math.max(m.correctedP99 ?? 0, p.correctedP99);
      // A second that is partial in any client is partial in the sum.
      if (p.partial === true) {
        m.partial = true;
        m.seconds = Math.min(m.seconds ?? 1, p.seconds ?? 1);
      }
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

function mergeSizeClasses(parts: readonly GroupResult[]): SizeClassResult[] {
  const byName = new Map<string, SizeClassResult[]>();
  for (const g of parts) for (const c of g.sizeClasses) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  return [...byName.values()]
    .map((cs) => {
      const h = decodeHistogram(cs[0]!.histogram);
      for (const c of cs.slice(1)) h.add(decodeHistogram(c.histogram));
      const ops = cs.reduce((n, c) => n + c.ops, 0);
      const mean = ops === 0 ? 0 : (cs.reduce((n, c) => n + c.latency.mean * c.ops, 0) / ops) * 1000;
      const max = Math.round(Math.max(...cs.map((c) => c.latency.max)) * 1000);
      return { ...cs[0]!, ops, latency: summarizeHistogram(h, max, mean), histogram: encodeHistogram(h) };
    })
    .sort((a, b) => a.minBytes - b.minBytes);
}

function mergeOpen(parts: readonly GroupResult[]): OpenLoopResult | null {
  const open = parts.map((g) => g.open).filter((o) => o !== null);
  if (open.length === 0) return null;
  const sum = (f: (o: OpenLoopResult) => number): number => open.reduce((n, o) => n + f(o), 0);
  return {
    scheduled: sum((o) => o.scheduled),
    sent: sum((o) => o.sent),
    missed: sum((o) => o.missed),
    achievedRate: Math.round(sum((o) => o.achievedRate) * 100) / 100,
    rateMissed: open.some((o) => o.rateMissed),
  };
}

function mergePhases(all: Array<Record<PhaseName, PhaseResult>>): Record<PhaseName, PhaseResult> {
  const out = { setup: emptyPhase(), prefill: emptyPhase(), measure: emptyPhase(), cleanup: emptyPhase() };
  for (const phases of all) {
    for (const name of Object.keys(out) as PhaseName[]) {
      const p = phases[name];
      const m = out[name];
      m.requests += p.requests;
      m.errors += p.errors;
      m.retries += p.retries;
      m.failed += p.failed;
      for (const [k, n] of Object.entries(p.errorsByKind)) m.errorsByKind[k] = (m.errorsByKind[k] ?? 0) + n;
    }
  }
  return out;
}

function mergeLeftBehind(all: Array<BenchResult['leftBehind']>): BenchResult['leftBehind'] {
  const left = all.filter((l) => l !== null);
  if (left.length === 0) return null;
  return {
    objects: left.reduce((n, l) => n + l.objects, 0),
    bucket: left[0]!.bucket,
    prefix: [...new Set(left.map((l) => l.prefix))].join(', '),
  };
}

/**
 * Merges results of clients that ran at the same time against the same service. Histograms are added
 * bucket by bucket, so the merged percentiles are exact; counts, bytes and rates add up.
 */
export function mergeResults(results: readonly BenchResult[]): BenchResult {
  if (results.length === 0) throw new S3BenchError('S3BENCH_RESULT_INVALID', 'mergeResults needs at least one result');
  const parsed = results.map((r, i) => parseBenchResult(r, `results[${i}]`));
  const first = parsed[0]!;
  const names = [...new Set(parsed.flatMap((r) => r.groups.map((g) => g.name)))];
  const measuredS = Math.max(...parsed.map((r) => r.measuredS));
  const groups = names.map((name): GroupResult => {
    const parts = parsed.flatMap((r) => r.groups.filter((g) => g.name === name));
    const base = parts[0]!;
    const latency = decodeHistogram(base.histograms.latency);
    const ttfb = decodeHistogram(base.histograms.ttfb);
    const corrected = base.histograms.corrected === null ? null : decodeHistogram(base.histograms.corrected);
    const errorsByKind: Record<string, number> = { ...base.errorsByKind };
    for (const g of parts.slice(1)) {
      latency.add(decodeHistogram(g.histograms.latency));
      ttfb.add(decodeHistogram(g.histograms.ttfb));
      if (corrected !== null && g.histograms.corrected !== null) corrected.add(decodeHistogram(g.histograms.corrected));
      for (const [k, n] of Object.entries(g.errorsByKind)) errorsByKind[k] = (errorsByKind[k] ?? 0) + n;
    }
    const sum = (f: (g: GroupResult) => number): number => parts.reduce((n, g) => n + f(g), 0);
    const maxUs = (f: (g: GroupResult) => number): number => Math.round(Math.max(...parts.map(f)) * 1000);
    const ops = sum((g) => g.ops);
    const meanUs = (f: (g: GroupResult) => number): number => (ops === 0 ? 0 : (sum((g) => f(g) * g.ops) / ops) * 1000);
    return {
      ...base,
      workers: sum((g) => g.workers),
      targetRate: base.targetRate === null ? null : sum((g) => g.targetRate ?? 0),
      ops: sum((g) => g.ops),
      errors: sum((g) => g.errors),
      errorsByKind,
      bytes: sum((g) => g.bytes),
      opsPerSec: Math.round(sum((g) => g.opsPerSec) * 100) / 100,
      bytesPerSec: sum((g) => g.bytesPerSec),
      activeS: Math.max(...parts.map((g) => g.activeS)),
      open: mergeOpen(parts),
      sizeClasses: mergeSizeClasses(parts),
      starved: parts.some((g) => g.starved),
      latency: summarizeHistogram(
        latency,
        maxUs((g) => g.latency.max),
        meanUs((g) => g.latency.mean),
      ),
      ttfb: summarizeHistogram(
        ttfb,
        maxUs((g) => g.ttfb.max),
        meanUs((g) => g.ttfb.mean),
      ),
      corrected:
        corrected === null
          ? null
          : summarizeHistogram(
              corrected,
              maxUs((g) => g.corrected?.max ?? 0),
              meanUs((g) => g.corrected?.mean ?? 0),
            ),
      histograms: {
        latency: encodeHistogram(latency),
        ttfb: encodeHistogram(ttfb),
        corrected: corrected === null ? null : encodeHistogram(corrected),
      },
      distribution: {
        latency: percentileDistribution(latency),
        corrected: corrected === null ? null : percentileDistribution(corrected),
      },
      series: mergeSeries(parts.map((g) => g.series)),
    };
  });
  const maxOf = (f: (r: BenchResult) => number): number => Math.max(...parsed.map(f));
  return {
    ...first,
    label: parsed
      .map((r) => r.label)
      .filter((l) => l !== '')
      .join('+'),
    startedAt: parsed.map((r) => r.startedAt).sort()[0]!,
    endedAt: parsed
      .map((r) => r.endedAt)
      .sort()
      .at(-1)!,
    measuredS,
    clients: parsed.reduce((n, r) => n + r.clients, 0),
    groups,
    overhead: {
      signMeanUs: maxOf((r) => r.overhead.signMeanUs),
      recordMeanUs: maxOf((r) => r.overhead.recordMeanUs),
      eventLoopDelayP99Ms: maxOf((r) => r.overhead.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: maxOf((r) => r.overhead.eventLoopDelayMaxMs),
      cpuPercent: maxOf((r) => r.overhead.cpuPercent),
    },
    cleanup: null,
    phases: mergePhases(parsed.map((r) => r.phases)),
    leftBehind: mergeLeftBehind(parsed.map((r) => r.leftBehind)),
    notes: [...new Set(parsed.flatMap((r) => r.notes ?? []))],
    aborted: parsed.map((r) => r.aborted).find((a) => a !== null) ?? null,
  };
}
