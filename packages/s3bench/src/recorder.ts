import {
  encodeHistogram,
  type Histogram,
  HistogramWriter,
  type LatencySummary,
  percentileDistribution,
  quickPercentiles,
  summarizeHistogram,
} from './histogram.js';

/** One second of one group: operations, errors, bytes and that second's latency percentiles (ms). */
export interface SeriesPoint {
  /** Seconds since measuring started (the point covers [t, t+1)). */
  t: number;
  ops: number;
  errors: number;
  bytes: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Open loop only: p99 of the latency from the intended start. */
  correctedP99?: number;
  /**
   * Set on the last point when it does not cover one whole second (the run ended part-way into it, or a
   * late timer made it longer): it covers `seconds`, so its `ops`, `errors` and `bytes` are not per-second
   * rates. Reports leave it out of the plots.
   */
  partial?: true;
  seconds?: number;
}

/** Open loop: what the schedule asked for while measuring and what was sent. */
export interface OpenLoopResult {
  /** Requests whose intended start fell inside the measured time (at most `count`). */
  scheduled: number;
  /** Of those, requests sent (successful or failed). */
  sent: number;
  /** Scheduled but never sent before the end: the client fell behind the target rate. */
  missed: number;
  /** Requests sent per second of the group's active time. */
  achievedRate: number;
  /**
   * True when more were missed than the end of a run explains (more than `workers` + 1 % of `scheduled`):
   * the target rate was not held, and the latencies describe a lower load than asked for.
   */
  rateMissed: boolean;
}

/** Latency of the objects of one size class (PUT and GET only). */
export interface SizeClassResult {
  name: string;
  minBytes: number;
  maxBytes: number;
  /** Successful operations on objects of this class. */
  ops: number;
  /** Service time (dispatch → last byte) of those operations. */
  latency: LatencySummary;
  /** HdrHistogram V2 compressed base64 (µs), for exact merging. */
  histogram: string;
}

/** Results of one group as stored in the JSON result file. */
export interface GroupResult {
  name: string;
  op: string;
  workers: number;
  mode: 'closed' | 'open';
  targetRate: number | null;
  /** Successful operations measured. */
  ops: number;
  errors: number;
  errorsByKind: Record<string, number>;
  bytes: number;
  /** Per second of the group's own active time (`activeS`). */
  opsPerSec: number;
  bytesPerSec: number;
  /**
   * Seconds this group was measuring: from the start of measuring to its last response. A group that stops
   * at its `count` (or runs out of keys) is active for less than the run's `measuredS`.
   */
  activeS: number;
  /** Open loop: scheduled, sent and missed requests; null in closed loop. */
  open: OpenLoopResult | null;
  /**
   * PUT and GET: latency by object size class (each distinct size of a pool payload, or ranges: < 64 KiB,
   * 64 KiB – 1 MiB, 1 – 16 MiB, ≥ 16 MiB), so large objects and a slow service do not mix in one tail.
   * Only classes with operations appear.
   */
  sizeClasses: SizeClassResult[];
  /** True when GET/HEAD/DELETE workers ran out of existing keys and stopped early. */
  starved: boolean;
  /** Service time: dispatch → last byte, successful requests only. */
  latency: LatencySummary;
  /** Dispatch → response headers. */
  ttfb: LatencySummary;
  /** Open loop: intended start → last byte (coordinated omission corrected); null in closed loop. */
  corrected: LatencySummary | null;
  /** HdrHistogram V2 compressed base64 (µs); add them up to merge several clients exactly. */
  histograms: { latency: string; ttfb: string; corrected: string | null };
  /** [percentile, ms] points for plots. */
  distribution: { latency: Array<[number, number]>; corrected: Array<[number, number]> | null };
  series: SeriesPoint[];
}

/**
 * Records one group's measurements into fixed-size HdrHistograms (total, TTFB, corrected, and a per-second
 * interval histogram that is reset every second), so memory does not grow with the request count. Values go
 * through {@link HistogramWriter}s; reading a histogram gives it with everything recorded so far.
 */
export class GroupRecorder {
  readonly #latency = new HistogramWriter();
  readonly #ttfb = new HistogramWriter();
  readonly #corrected: HistogramWriter | null;
  readonly #interval = new HistogramWriter();
  readonly #intervalCorrected: HistogramWriter | null;
  readonly series: SeriesPoint[] = [];
  ops = 0;
  errors = 0;
  bytes = 0;
  readonly errorsByKind = new Map<string, number>();
  #secOps = 0;
  #secErrors = 0;
  #secBytes = 0;
  // Exact sums (µs) for the means: cheaper and more exact than asking the histograms.
  #sumLatency = 0;
  #sumTtfb = 0;
  #sumCorrected = 0;

  readonly #classes: ReadonlyArray<{ name: string; minBytes: number; maxBytes: number }>;
  #classHist: Array<HistogramWriter | undefined> = [];
  #classSum: number[] = [];

  constructor(
    readonly openLoop: boolean,
    classes: ReadonlyArray<{ name: string; minBytes: number; maxBytes: number }> = [],
  ) {
    this.#classes = classes;
    this.#corrected = openLoop ? new HistogramWriter() : null;
    this.#intervalCorrected = openLoop ? new HistogramWriter() : null;
  }

  /** Service time (µs) of everything recorded so far. */
  get latency(): Histogram {
    return this.#latency.histogram;
  }

  /** Time to first byte (µs). */
  get ttfb(): Histogram {
    return this.#ttfb.histogram;
  }

  /** Open loop: latency from the intended start (µs); null in closed loop. */
  get corrected(): Histogram | null {
    return this.#corrected === null ? null : this.#corrected.histogram;
  }

  /** Records a successful operation; times in ms; `sizeClass` indexes the classes given to the constructor. */
  record(totalMs: number, ttfbMs: number, bytes: number, correctedMs?: number, sizeClass?: number): void {
    const totalUs = totalMs * 1000;
    if (sizeClass !== undefined && sizeClass >= 0 && sizeClass < this.#classes.length) {
      let h = this.#classHist[sizeClass];
      if (h === undefined) {
        h = new HistogramWriter();
        this.#classHist[sizeClass] = h;
        this.#classSum[sizeClass] = 0;
      }
      h.record(totalUs);
      this.#classSum[sizeClass]! += totalUs;
    }
    this.#latency.record(totalUs);
    this.#ttfb.record(ttfbMs * 1000);
    this.#interval.record(totalUs);
    this.#sumLatency += totalUs;
    this.#sumTtfb += ttfbMs * 1000;
    if (correctedMs !== undefined && this.#corrected !== null) {
      this.#corrected.record(correctedMs * 1000);
      this.#intervalCorrected!.record(correctedMs * 1000);
      this.#sumCorrected += correctedMs * 1000;
    }
    this.ops++;
    this.bytes += bytes;
    this.#secOps++;
    this.#secBytes += bytes;
  }

  recordError(kind: string): void {
    this.errors++;
    this.#secErrors++;
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
  }

  /** Closes second `t` of the time series and starts the next; `seconds` other than 1 marks it partial. */
  roll(t: number, seconds?: number): SeriesPoint {
    const s = quickPercentiles(this.#interval.histogram);
    const point: SeriesPoint = {
      t,
      ops: this.#secOps,
      errors: this.#secErrors,
      bytes: this.#secBytes,
      p50: s.p50,
      p90: s.p90,
      p99: s.p99,
      max: s.max,
    };
    if (seconds !== undefined && Math.abs(seconds - 1) > 0.001) {
      point.partial = true;
      point.seconds = Math.round(Math.max(seconds, 0) * 1000) / 1000;
    }
    if (this.#intervalCorrected !== null) {
      point.correctedP99 = quickPercentiles(this.#intervalCorrected.histogram).p99;
      this.#intervalCorrected.reset();
    }
    this.#interval.reset();
    this.#secOps = 0;
    this.#secErrors = 0;
    this.#secBytes = 0;
    this.series.push(point);
    return point;
  }

  /** Drops everything recorded so far (end of warm-up). */
  reset(): void {
    this.#latency.reset();
    this.#ttfb.reset();
    this.#corrected?.reset();
    this.#interval.reset();
    this.#intervalCorrected?.reset();
    this.series.length = 0;
    this.ops = 0;
    this.errors = 0;
    this.bytes = 0;
    this.#sumLatency = 0;
    this.#sumTtfb = 0;
    this.#sumCorrected = 0;
    this.errorsByKind.clear();
    for (const h of this.#classHist) h?.histogram.destroy();
    this.#classHist = [];
    this.#classSum = [];
    this.#secOps = 0;
    this.#secErrors = 0;
    this.#secBytes = 0;
  }

  toResult(meta: {
    name: string;
    op: string;
    workers: number;
    targetRate: number | null;
    /** Seconds this group was active while measuring. */
    activeS: number;
    starved: boolean;
    open: OpenLoopResult | null;
  }): GroupResult {
    // Rates are over the active time as stored (ms resolution), so ops / activeS reproduces opsPerSec.
    const activeS = Math.round(meta.activeS * 1000) / 1000;
    const seconds = activeS > 0 ? activeS : 1;
    return {
      name: meta.name,
      op: meta.op,
      workers: meta.workers,
      mode: this.openLoop ? 'open' : 'closed',
      targetRate: meta.targetRate,
      ops: this.ops,
      errors: this.errors,
      errorsByKind: Object.fromEntries([...this.errorsByKind].sort()),
      bytes: this.bytes,
      opsPerSec: Math.round((this.ops / seconds) * 100) / 100,
      bytesPerSec: Math.round(this.bytes / seconds),
      activeS,
      open: meta.open,
      sizeClasses: this.#classes.flatMap((c, i): SizeClassResult[] => {
        const h = this.#classHist[i]?.histogram;
        if (h === undefined || h.totalCount === 0) return [];
        const n = h.totalCount;
        return [
          {
            ...c,
            ops: n,
            latency: summarizeHistogram(h, undefined, this.#classSum[i]! / n),
            histogram: encodeHistogram(h),
          },
        ];
      }),
      starved: meta.starved,
      latency: summarizeHistogram(this.latency, undefined, this.ops === 0 ? 0 : this.#sumLatency / this.ops),
      ttfb: summarizeHistogram(this.ttfb, undefined, this.ops === 0 ? 0 : this.#sumTtfb / this.ops),
      corrected:
        this.corrected === null
          ? null
          : summarizeHistogram(this.corrected, undefined, this.ops === 0 ? 0 : this.#sumCorrected / this.ops),
      histograms: {
        latency: encodeHistogram(this.latency),
        ttfb: encodeHistogram(this.ttfb),
        corrected: this.corrected === null ? null : encodeHistogram(this.corrected),
      },
      distribution: {
        latency: percentileDistribution(this.latency),
        corrected: this.corrected === null ? null : percentileDistribution(this.corrected),
      },
      series: this.series.slice(),
    };
  }
}
