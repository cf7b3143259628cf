import type { JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  encodeHistogram,
  HISTOGRAM_HIGHEST_US,
  type Histogram,
  HistogramWriter,
  histogramIndexOf,
  histogramValueAt,
  percentileDistribution,
  quickPercentiles,
  recordMicros,
  summarizeHistogram,
} from '../src/histogram.js';
import { GroupRecorder } from '../src/index.js';

// hdr-histogram-js's own index functions (on its JsHistogram class, not on the Histogram interface).
const hdrOf = (h: Histogram): JsHistogram => h as unknown as JsHistogram;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 2 ** 32;
  };
}

/** Everything a result reads from a histogram. */
function view(h: Histogram): unknown {
  return {
    total: h.totalCount,
    min: h.minNonZeroValue,
    max: h.maxValue,
    summary: summarizeHistogram(h),
    quick: quickPercentiles(h),
    distribution: percentileDistribution(h),
    encoded: encodeHistogram(h),
  };
}

describe('HistogramWriter', () => {
  it('finds the index hdr-histogram-js counts a value at, across the whole range and at every power of two', () => {
    const h = hdrOf(createHistogram());
    const values: number[] = [];
    for (let v = 1; v <= 5000; v++) values.push(v);
    for (let k = 0; k <= 32; k++) for (const d of [-2, -1, 0, 1, 2]) values.push(2 ** k + d);
    const rnd = seeded(7);
    for (let i = 0; i < 50_000; i++) values.push(Math.round(2 ** (rnd() * Math.log2(HISTOGRAM_HIGHEST_US))));
    values.push(HISTOGRAM_HIGHEST_US - 1, HISTOGRAM_HIGHEST_US);
    let checked = 0;
    for (const v of values) {
      if (v < 1 || v > HISTOGRAM_HIGHEST_US) continue;
      expect(histogramIndexOf(v), `index of ${v}`).toBe(h.countsArrayIndex(v));
      checked++;
    }
    expect(checked).toBeGreaterThan(55_000);
    // Every index up to the largest value's maps back to its bucket's lowest value.
    const last = h.countsArrayIndex(HISTOGRAM_HIGHEST_US);
    for (let i = 0; i <= last; i++) {
      const v = histogramValueAt(i);
      if (v < 1) continue;
      expect(h.countsArrayIndex(v), `value at ${i}`).toBe(i);
      expect(h.lowestEquivalentValue(v)).toBe(v);
    }
  });

  it('leaves the histogram exactly as recordMicros would, whatever the values and the flush points', () => {
    const rnd = seeded(42);
    for (const spread of [0.002, 3, 12, 32]) {
      const reference = createHistogram();
      const writer = new HistogramWriter();
      for (let i = 0; i < 30_000; i++) {
        // Log-spread latencies around 1 ms, fractional, plus clamped ones below 1 µs and above one hour.
        let us = 1000 * 2 ** ((rnd() - 0.5) * spread);
        if (i % 997 === 0) us = rnd() * 0.9;
        if (i % 1999 === 0) us = HISTOGRAM_HIGHEST_US * (1 + rnd());
        recordMicros(reference, us);
        writer.record(us);
        if (i % 7919 === 0) expect(view(writer.histogram)).toEqual(view(reference));
      }
      expect(view(writer.histogram)).toEqual(view(reference));
      // Recording after a read, and a reset, keep it the same.
      for (const us of [5, 5, 0.4, 7_000_000]) {
        recordMicros(reference, us);
        writer.record(us);
      }
      expect(view(writer.histogram)).toEqual(view(reference));
      reference.reset();
      writer.record(123);
      writer.reset();
      expect(view(writer.histogram)).toEqual(view(reference));
      recordMicros(reference, 77.4);
      writer.record(77.4);
      expect(view(writer.histogram)).toEqual(view(reference));
    }
  });

  it('keeps the exact min and max when they share a bucket, or are one value', () => {
    const reference = createHistogram();
    const writer = new HistogramWriter();
    for (const us of [3001, 3002]) {
      recordMicros(reference, us);
      writer.record(us);
    }
    expect(view(writer.histogram)).toEqual(view(reference));
    expect(writer.histogram.minNonZeroValue).toBe(3001);
    expect(writer.histogram.maxValue).toBe(3002);
    const one = new HistogramWriter();
    one.record(4321);
    expect(one.histogram.minNonZeroValue).toBe(4321);
    expect(one.histogram.maxValue).toBe(4321);
    expect(one.histogram.totalCount).toBe(1);
  });
});

describe('GroupRecorder histograms', () => {
  it('give everything recorded so far, as recordMicros would have recorded it', () => {
    const recorder = new GroupRecorder(true);
    const latency = createHistogram();
    const corrected = createHistogram();
    const rnd = seeded(3);
    for (let i = 0; i < 5000; i++) {
      const ms = 0.2 + rnd() * 40;
      recorder.record(ms, ms / 2, 1024, ms * 1.5);
      recordMicros(latency, ms * 1000);
      recordMicros(corrected, ms * 1500);
      if (i === 1234) expect(recorder.latency.totalCount).toBe(1235);
    }
    expect(view(recorder.latency)).toEqual(view(latency));
    expect(view(recorder.corrected!)).toEqual(view(corrected));
    expect(recorder.ttfb.totalCount).toBe(5000);
    const point = recorder.roll(0);
    expect(point.p99).toBe(quickPercentiles(latency).p99);
    expect(point.correctedP99).toBe(quickPercentiles(corrected).p99);
    recorder.reset();
    expect(recorder.latency.totalCount).toBe(0);
    expect(new GroupRecorder(false).corrected).toBeNull();
  });
});
