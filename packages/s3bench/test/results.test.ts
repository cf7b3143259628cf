import { describe, expect, it } from 'vitest';
import {
  type BenchResult,
  compareResults,
  createHistogram,
  decodeHistogram,
  formatComparison,
  formatSummary,
  GroupRecorder,
  mergeResults,
  parseBenchResult,
  recordMicros,
  summarizeHistogram,
} from '../src/index.js';

const emptyPhase = () => ({ requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} });

function fakeResult(
  latenciesMs: number[],
  opts: { errors?: number; label?: string; openLoop?: boolean } = {},
): BenchResult {
  const rec = new GroupRecorder(opts.openLoop ?? false);
  for (const ms of latenciesMs) rec.record(ms, ms / 2, 100, opts.openLoop ? ms * 2 : undefined);
  for (let i = 0; i < (opts.errors ?? 0); i++) rec.recordError('http_503');
  rec.roll(0);
  return {
    format: 's3bench-result',
    version: 1,
    label: opts.label ?? '',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    measuredS: 10,
    clients: 1,
    config: {
      endpoint: 'http://127.0.0.1:1',
      bucket: 'b',
      region: 'us-east-1',
      prefix: 'p/',
      addressing: 'path',
      payloadSigning: 'unsigned',
      connections: 1,
      durationS: 10,
      warmupS: 0,
      payload: 'generated',
      verify: false,
      seed: 1,
    },
    groups: [
      rec.toResult({
        name: 'GET',
        op: 'GET',
        workers: 1,
        targetRate: opts.openLoop ? 100 : null,
        activeS: 10,
        starved: false,
        open: opts.openLoop ? { scheduled: 1000, sent: 1000, missed: 0, achievedRate: 100, rateMissed: false } : null,
      }),
    ],
    overhead: { signMeanUs: 1, recordMeanUs: 1, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 1, cpuPercent: 1 },
    cleanup: null,
    phases: {
      setup: emptyPhase(),
      prefill: emptyPhase(),
      measure: emptyPhase(),
      cleanup: emptyPhase(),
    },
    leftBehind: null,
    notes: [],
    aborted: null,
  };
}

describe('histograms and merging', () => {
  it('stays the same size whatever is recorded and clamps wild values', () => {
    const h = createHistogram();
    const before = h.estimatedFootprintInBytes;
    for (let i = 0; i < 100_000; i++) recordMicros(h, (i * 7919) % 5_000_000);
    recordMicros(h, 1e13);
    recordMicros(h, -5);
    expect(h.estimatedFootprintInBytes).toBe(before);
    expect(h.totalCount).toBe(100_002);
  });

  it('merges results from several clients exactly (same as one histogram of all values)', () => {
    const a = Array.from({ length: 1000 }, (_, i) => 1 + (i % 17));
    const b = Array.from({ length: 500 }, (_, i) => 50 + i);
    const merged = mergeResults([
      fakeResult(a, { label: 'c1', errors: 2 }),
      JSON.parse(JSON.stringify(fakeResult(b, { label: 'c2', errors: 3 }))),
    ]);
    const all = createHistogram();
    for (const ms of [...a, ...b]) recordMicros(all, ms * 1000);
    const g = merged.groups[0]!;
    const exactMeanUs = ([...a, ...b].reduce((n, x) => n + x, 0) / 1500) * 1000;
    expect(g.latency).toEqual(summarizeHistogram(all, undefined, exactMeanUs));
    // The encoded histogram alone knows the max only to its bucket (0.1 %); every percentile is exact.
    const { max: _m, p9999: _p, ...decoded } = summarizeHistogram(decodeHistogram(g.histograms.latency));
    const { max: _m2, p9999: _p2, ...direct } = summarizeHistogram(all);
    expect(decoded).toEqual(direct);
    expect(g.ops).toBe(1500);
    expect(g.errorsByKind).toEqual({ http_503: 5 });
    expect(g.opsPerSec).toBe(150);
    expect(merged.clients).toBe(2);
    expect(merged.label).toBe('c1+c2');
    expect(g.series[0]!.ops).toBe(1500);
  });

  it('rejects things that are not result files', () => {
    expect(() => parseBenchResult({ hello: 1 })).toThrow(expect.objectContaining({ code: 'S3BENCH_RESULT_INVALID' }));
    expect(() => mergeResults([])).toThrow(expect.objectContaining({ code: 'S3BENCH_RESULT_INVALID' }));
  });
});

describe('compareResults', () => {
  it('flags slower tails and more errors as regressions, faster ones as improvements', () => {
    const fast = Array.from({ length: 1000 }, () => 10);
    const slowTail = [...Array.from({ length: 980 }, () => 10), ...Array.from({ length: 20 }, () => 300)];
    const c = compareResults(fakeResult(fast), fakeResult(slowTail, { errors: 10 }));
    const regressed = c.regressions.map((r) => r.metric);
    expect(regressed).toContain('latency p99');
    expect(regressed).toContain('latency max');
    expect(regressed).toContain('error rate');
    expect(regressed).not.toContain('latency p50');
    const back = compareResults(fakeResult(slowTail), fakeResult(fast));
    expect(back.regressions).toEqual([]);
    expect(back.rows.find((r) => r.metric === 'latency p99')!.improvement).toBe(true);
    expect(formatComparison(c)).toMatch(/latency p99 .*REGRESSION/);
  });

  it('compares corrected latencies in open loop and ignores changes below the noise floor', () => {
    const c = compareResults(
      fakeResult([1, 1, 1], { openLoop: true }),
      fakeResult([1.01, 1.01, 1.01], { openLoop: true }),
    );
    expect(c.rows.some((r) => r.metric === 'corrected p99')).toBe(true);
    expect(c.regressions).toEqual([]);
  });

  it('ignores sub-millisecond p50 moves by default; absolute and relative thresholds are configurable', () => {
    const base = fakeResult(Array.from({ length: 1000 }, () => 2));
    // p50 2 ms → 2.5 ms: +25 %, but only 0.5 ms.
    const moved = fakeResult(Array.from({ length: 1000 }, () => 2.5));
    const byDefault = compareResults(base, moved);
    expect(byDefault.rows.find((r) => r.metric === 'latency p50')).toMatchObject({ regression: false });
    expect(byDefault.regressions).toEqual([]);
    const strict = compareResults(base, moved, { minLatencyDeltaMs: 0.1 });
    expect(strict.regressions.map((r) => r.metric)).toContain('latency p50');
    // Past the absolute floor, the relative threshold still decides: +25 % is under a 30 % threshold.
    expect(compareResults(base, moved, { minLatencyDeltaMs: 0.1, threshold: 0.3 }).regressions).toEqual([]);
    // 2 ms → 4 ms is past both defaults.
    const doubled = compareResults(base, fakeResult(Array.from({ length: 1000 }, () => 4)));
    expect(doubled.regressions.map((r) => r.metric)).toContain('latency p50');
    expect(() => compareResults(base, moved, { threshold: -1 })).toThrow(
      expect.objectContaining({
        code: 'S3BENCH_CONFIG_INVALID',
        message: 'compare: threshold must be a number ≥ 0, got -1',
      }),
    );
  });

  it('fails with a typed error naming both sides when no group matches', () => {
    const a = fakeResult([1, 2, 3]);
    const b = fakeResult([1, 2, 3]);
    b.groups[0]!.name = 'PUT';
    expect(() => compareResults(a, b)).toThrow(
      expect.objectContaining({
        code: 'S3BENCH_RESULT_MISMATCH',
        message: 'nothing to compare: no group name is in both results (base: GET; current: PUT)',
      }),
    );
  });

  it('formats a terminal summary with errors by kind and the tool overhead', () => {
    const text = formatSummary(fakeResult([5, 6, 7], { errors: 2 }));
    expect(text).toContain('2 (http_503: 2)');
    expect(text).toMatch(/GET total\s+6\.\d+/);
    expect(text).toContain('tool overhead');
  });
});
