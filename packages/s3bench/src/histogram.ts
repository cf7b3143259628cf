import * as hdr from 'hdr-histogram-js';

/** Values are recorded in microseconds; one hour is the largest value kept apart (larger ones are clamped). */
export const HISTOGRAM_HIGHEST_US = 3_600_000_000;
export const HISTOGRAM_SIGNIFICANT_DIGITS = 3;

export type Histogram = hdr.Histogram;

/** A fixed-size HdrHistogram (3 significant digits, 1 µs … 1 h): ~90 KB whatever the number of records. */
export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HISTOGRAM_HIGHEST_US,
    numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS,
  });
}

/** Records `us` microseconds, clamped into the trackable range so a wild value never throws mid-run. */
export function recordMicros(histogram: Histogram, us: number): void {
  const v = us < 1 ? 1 : us > HISTOGRAM_HIGHEST_US ? HISTOGRAM_HIGHEST_US : Math.round(us);
  histogram.recordValue(v);
}

// Bucket layout of createHistogram()'s histograms (lowest discernible value 1, 3 significant digits): index
// = bucket × 1024 + sub-bucket, where a value v lies in bucket max(⌊log2 v⌋ − 10, 0) at sub-bucket v >> bucket.
const SUB_BUCKET_HALF_MAGNITUDE = 10;
const SUB_BUCKET_COUNT = 2 << SUB_BUCKET_HALF_MAGNITUDE;
/** More than the largest counts index of createHistogram()'s histograms. */
const COUNTS_LENGTH =
  ((31 - Math.clz32(HISTOGRAM_HIGHEST_US) - SUB_BUCKET_HALF_MAGNITUDE + 2) << SUB_BUCKET_HALF_MAGNITUDE) + 1;

/** The index a {@link createHistogram} histogram counts `v` (an integer in 1 … HISTOGRAM_HIGHEST_US) at. */
export function histogramIndexOf(v: number): number {
  const b = 31 - Math.clz32(v) - SUB_BUCKET_HALF_MAGNITUDE;
  const bucket = Math.max(b, 0);
  return (bucket << SUB_BUCKET_HALF_MAGNITUDE) + (v >>> bucket);
}

/** The smallest value a {@link createHistogram} histogram counts at `index`. */
export function histogramValueAt(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const bucket = (index >>> SUB_BUCKET_HALF_MAGNITUDE) - 1;
  return (index - (bucket << SUB_BUCKET_HALF_MAGNITUDE)) * 2 ** bucket;
}

/**
 * Records microseconds into one {@link createHistogram} histogram, fast: each value is counted at its bucket
 * index (found with `Math.clz32`, not hdr-histogram-js's `Math.log2`/`Math.pow` per value) in a pending array,
 * and {@link flush} adds the pending counts to the histogram. The smallest and largest pending values are
 * added as themselves, so after a flush the histogram (counts, total, min, max, percentiles, encoding) is the
 * same as if every value had gone through {@link recordMicros}. Read {@link histogram} to flush and get it.
 */
export class HistogramWriter {
  readonly #h: Histogram;
  readonly #pending = new Uint32Array(COUNTS_LENGTH);
  // Each index is listed once between flushes, so the list never overflows (indexes fit 16 bits).
  readonly #touched = new Uint16Array(COUNTS_LENGTH);
  #nTouched = 0;
  #minIdx = -1;
  #min = 0;
  #maxIdx = -1;
  #max = 0;

  constructor(h: Histogram = createHistogram()) {
    this.#h = h;
  }

  /** The histogram, with everything recorded so far. */
  get histogram(): Histogram {
    if (this.#nTouched > 0) this.flush();
    return this.#h;
  }

  /** Records `us` microseconds, clamped like {@link recordMicros}. */
  record(us: number): void {
    const v = !(us >= 1) ? 1 : us > HISTOGRAM_HIGHEST_US ? HISTOGRAM_HIGHEST_US : Math.round(us);
    const idx = histogramIndexOf(v);
    const count = this.#pending[idx]!;
    this.#pending[idx] = count + 1;
    if (count === 0) this.#touched[this.#nTouched++] = idx;
    if (this.#minIdx < 0 || v < this.#min) {
      this.#min = v;
      this.#minIdx = idx;
    }
    if (v > this.#max) {
      this.#max = v;
      this.#maxIdx = idx;
    }
  }

  /** Adds the pending counts to the histogram. */
  flush(): void {
    const h = this.#h;
    const pending = this.#pending;
    const touched = this.#touched;
    for (let i = 0; i < this.#nTouched; i++) {
      const idx = touched[i]!;
      const count = pending[idx]!;
      pending[idx] = 0;
      // Every value at an index between the smallest's and the largest's lies strictly between the two, so its
      // bucket's lowest value moves neither the histogram's min nor its max.
      h.recordValueWithCount(
        idx === this.#minIdx ? this.#min : idx === this.#maxIdx ? this.#max : histogramValueAt(idx),
        count,
      );
    }
    if (this.#minIdx >= 0 && this.#minIdx === this.#maxIdx) h.recordValueWithCount(this.#max, 0);
    this.#clearPending();
  }

  /** Drops everything recorded, pending or not. */
  reset(): void {
    for (let i = 0; i < this.#nTouched; i++) this.#pending[this.#touched[i]!] = 0;
    this.#clearPending();
    this.#h.reset();
  }

  /** Forgets the pending list and its extremes (their counts are zeroed by the caller). */
  #clearPending(): void {
    this.#nTouched = 0;
    this.#minIdx = -1;
    this.#min = 0;
    this.#maxIdx = -1;
    this.#max = 0;
  }
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  p9999: number;
  max: number;
  min: number;
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Summary of `h` in ms. `exactMaxUs` is the true largest value when known: a decoded histogram only knows
 * the top of the largest value's bucket (0.1 % resolution), so merges pass the recorded maximum through.
 */
export function summarizeHistogram(h: Histogram, exactMaxUs?: number, meanUs?: number): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0, min: 0 };
  // getValueAtPercentile reports the top of a bucket; never report more than the largest value seen.
  const max = exactMaxUs ?? h.maxValue;
  const at = (p: number): number => round3(Math.min(h.getValueAtPercentile(p), max) / 1000);
  return {
    count,
    // hdr-histogram-js computes `mean` by iterating every bucket (~10 ms): callers pass the exact mean when they have it.
    mean: round3((meanUs ?? h.mean) / 1000),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    p9999: at(99.99),
    max: round3(max / 1000),
    min: round3(h.minNonZeroValue / 1000),
  };
}

/** p50/p90/p99/max in ms, without the (slow) mean: for the once-a-second series. */
export function quickPercentiles(h: Histogram): { p50: number; p90: number; p99: number; max: number } {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const max = h.maxValue;
  const at = (p: number): number => round3(Math.min(h.getValueAtPercentile(p), max) / 1000);
  return { p50: at(50), p90: at(90), p99: at(99), max: round3(max / 1000) };
}

/** Percentile → latency (ms) points for a percentile-distribution plot, HdrHistogram style. */
export function percentileDistribution(h: Histogram): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  const ps = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 100];
  return ps.map((p) => [p, round3(Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000)]);
}

/** Compressed base64 (the HdrHistogram V2 encoding every HdrHistogram implementation reads). */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Decodes {@link encodeHistogram} output into a fixed-size histogram of this package's shape. */
export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  const h = createHistogram();
  h.add(decoded);
  return h;
}
