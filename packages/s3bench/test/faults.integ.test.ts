import { afterEach, describe, expect, it } from 'vitest';
import {
  assessResult,
  decodeHistogram,
  formatProgress,
  formatSummary,
  runBenchmark,
  S3BENCH_EXIT,
} from '../src/index.js';
import { type S3Stub, startS3Stub } from './s3-stub.js';

let stub: S3Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

// Values (µs) strictly below `limitUs`, by walking the histogram's percentiles at bucket resolution.
function countBelow(h: ReturnType<typeof decodeHistogram>, limitUs: number): number {
  let lo = 0;
  let hi = h.totalCount;
  // Binary search on rank: the rank-th value is below the limit?
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (h.getValueAtPercentile((mid / h.totalCount) * 100) < limitUs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const base = {
  bucket: 'faults',
  credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
  createBucket: true,
  cleanup: false,
  seed: 7,
} as const;

describe('tail and error accounting against a fault-injecting server', () => {
  it('puts exactly 1% of GETs delayed 200 ms into the tail: p99.9 ≥ 200 ms, p50 small', async () => {
    stub = await startS3Stub({ fault: (op, n) => (op === 'GET' && n % 100 === 0 ? { delayMs: 200 } : undefined) });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 20,
      groups: [{ op: 'GET', workers: 10, count: 2000 }],
    });
    const get = result.groups[0]!;
    expect(get.ops).toBe(2000);
    expect(get.errors).toBe(0);
    expect(stub.counts.get('GET')).toBe(2000);
    expect(get.latency.p999).toBeGreaterThanOrEqual(200);
    expect(get.latency.max).toBeGreaterThanOrEqual(200);
    // Loose bound: this 2-core box runs other suites at the same time.
    expect(get.latency.p50).toBeLessThan(100);
    // Every one of the 20 delayed requests is in the tail (≥ 200 ms), none was lost or averaged away.
    // At 3 significant digits a bucket near 200 ms is 128 µs wide and reports its lower end, so a request
    // of 200.05 ms can read as 199.94 ms: the limit sits one bucket below 200 ms.
    const h = decodeHistogram(get.histograms.latency);
    expect(h.totalCount - countBelow(h, 200_000 - 128)).toBeGreaterThanOrEqual(20);
    expect(get.ttfb.p999).toBeGreaterThanOrEqual(200);
    expect(formatSummary(result)).toContain('GET total');
  });

  it('counts injected 503s, resets and timeouts by kind and keeps running', async () => {
    stub = await startS3Stub({
      fault: (op, n) => {
        if (op === 'PUT' && n % 10 === 0) return { status: 503 };
        if (op === 'GET' && n % 50 === 0) return { reset: true };
        if (op === 'HEAD' && n === 3) return { hang: true };
        return undefined;
      },
    });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 0,
      timeoutMs: 300,
      groups: [
        { op: 'PUT', workers: 2, count: 200 },
        { op: 'GET', workers: 3, count: 300 },
        { op: 'HEAD', workers: 1, count: 10 },
      ],
    });
    const [put, get, head] = result.groups;
    expect(put!.errorsByKind).toEqual({ http_503: 20 });
    expect(put!.ops).toBe(180);
    expect(get!.errorsByKind).toEqual({ reset: 6 });
    expect(get!.ops).toBe(294);
    expect(head!.errorsByKind).toEqual({ timeout: 1 });
    expect(head!.ops).toBe(9);
    expect(result.aborted).toBeNull();
  });

  it('aborts at the first error only when abortOnError is set', async () => {
    stub = await startS3Stub({ fault: (op, n) => (op === 'PUT' && n === 5 ? { status: 500 } : undefined) });
    await expect(
      runBenchmark({ ...base, endpoint: stub.url, abortOnError: true, groups: [{ op: 'PUT', workers: 1, count: 50 }] }),
    ).rejects.toMatchObject({ code: 'S3BENCH_ABORTED' });
    expect(stub.counts.get('PUT')).toBeLessThan(50);
  });

  it('cleanup retries a DELETE that got a 5xx or a reset, and counts only what was deleted', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `obj-${i}`);
    // One cleanup lane, so DELETEs come in order: key 0 gets a 500, key 1 a reset, key 2 a 503 (each deleted on
    // the retry); key 3 gets five 500s and is given up on; keys 4–11 go through at once.
    const failing = new Set([1, 3, 5, 7, 8, 9, 10, 11]);
    stub = await startS3Stub({
      listKeys: keys,
      fault: (op, n) =>
        op !== 'DELETE' || !failing.has(n) ? undefined : n === 3 ? { reset: true } : { status: n === 5 ? 503 : 500 },
    });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      cleanup: true,
      connections: 1,
      prefill: 0,
      groups: [{ op: 'PUT', workers: 1, count: 1 }],
    });
    expect(result.cleanup).toEqual({ deleted: 11, failed: 1, bucketDeleted: false, error: null });
    expect(stub.counts.get('DELETE')).toBe(19);
    expect(result.phases.cleanup).toMatchObject({
      requests: 20, // 1 LIST + 19 DELETEs
      errors: 8,
      retries: 7,
      failed: 1,
      errorsByKind: { http_500: 6, http_503: 1, reset: 1 },
    });
    expect(result.leftBehind).toEqual({ objects: 1, bucket: 'faults', prefix: 's3bench/7/' });
    expect(assessResult(result)).toEqual({
      exitCode: S3BENCH_EXIT.objectsLeftBehind,
      problems: ['1 objects left behind in faults under s3bench/7/'],
    });
    expect(formatSummary(result)).toContain('LEFT BEHIND: 1 objects in faults under s3bench/7/');
  });

  it('prefill and cleanup retry 5xx, SlowDown and resets with backoff and count every error by phase', async () => {
    stub = await startS3Stub({
      fault: (op, n) => {
        // Prefill PUTs 3, 4 and 10 fail once each (503, reset, 500), the first LIST twice, DELETEs 5 and 6 once.
        if (op === 'PUT' && (n === 3 || n === 4 || n === 10))
          return n === 4 ? { reset: true } : { status: n === 3 ? 503 : 500 };
        if (op === 'LIST' && n <= 2) return { status: 503 };
        if (op === 'DELETE' && (n === 5 || n === 6)) return { status: 503 };
        return undefined;
      },
    });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      cleanup: true,
      prefill: 40,
      groups: [{ op: 'GET', workers: 2, count: 50 }],
    });
    expect(result.groups[0]).toMatchObject({ ops: 50, errors: 0 });
    expect(result.phases.prefill).toEqual({
      requests: 43,
      errors: 3,
      retries: 3,
      failed: 0,
      errorsByKind: { http_500: 1, http_503: 1, reset: 1 },
    });
    expect(result.phases.measure).toMatchObject({ requests: 50, errors: 0 });
    expect(result.phases.setup).toMatchObject({ requests: 1, errors: 0 });
    expect(result.phases.cleanup).toMatchObject({ requests: 3 + 42, errors: 4, retries: 4, failed: 0 });
    expect(result.cleanup).toEqual({ deleted: 40, failed: 0, bucketDeleted: false, error: null });
    expect(stub.keys.size).toBe(0);
    expect(result.leftBehind).toBeNull();
    expect(assessResult(result).exitCode).toBe(0);
  });

  it('a prefill the service refuses (403) fails setup, and what was uploaded is cleaned up', async () => {
    stub = await startS3Stub({ fault: (op, n) => (op === 'PUT' && n > 10 ? { status: 403 } : undefined) });
    const error = await runBenchmark({
      ...base,
      endpoint: stub.url,
      cleanup: true,
      connections: 1,
      prefill: 50,
      groups: [{ op: 'GET', workers: 1, count: 5 }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'S3BENCH_SETUP_FAILED', details: { deleted: 10, leftBehind: 0 } });
    expect((error as Error).message).toMatch(/prefill PUT .*HTTP 403.*\(cleanup deleted 10\)$/);
    expect(stub.keys.size).toBe(0);
    expect(stub.counts.get('GET') ?? 0).toBe(0);
  });

  it('reports objects left behind when cleanup is off, without calling it a failure', async () => {
    stub = await startS3Stub();
    const result = await runBenchmark({ ...base, endpoint: stub.url, groups: [{ op: 'PUT', workers: 1, count: 9 }] });
    expect(result.cleanup).toBeNull();
    expect(result.leftBehind).toEqual({ objects: 9, bucket: 'faults', prefix: 's3bench/7/' });
    expect(assessResult(result).exitCode).toBe(0);
  });

  it('runs a PUT/GET workload to the end against a server that refuses HEAD bucket and LIST', async () => {
    stub = await startS3Stub({
      fault: (op) => (op === 'HEAD_BUCKET' ? { status: 405 } : op === 'LIST' ? { status: 403 } : undefined),
    });
    const notes: string[] = [];
    const result = await runBenchmark(
      {
        ...base,
        endpoint: stub.url,
        cleanup: true,
        prefill: 20,
        groups: [
          { op: 'PUT', workers: 2, count: 100 },
          { op: 'GET', workers: 3, count: 150 },
        ],
      },
      { onNote: (n) => notes.push(n) },
    );
    const [put, get] = result.groups;
    expect(put!.ops).toBe(100);
    expect(get!.ops).toBe(150);
    expect(put!.errors + get!.errors).toBe(0);
    expect(stub.counts.get('HEAD_BUCKET')).toBe(1);
    expect(stub.counts.get('PUT_BUCKET')).toBeUndefined();
    // Said once each, in the result and to the caller.
    expect(notes).toEqual(result.notes);
    expect(notes[0]).toMatch(/^HEAD bucket faults answered 405\b.*proceeding/);
    expect(notes[1]).toMatch(/^cleanup could not list .*403.*deleting the 120 objects this run uploaded by key$/);
    // Every uploaded key (20 prefilled + 100 measured) deleted by name.
    expect(result.cleanup).toMatchObject({ deleted: 120, error: null });
    expect(stub.counts.get('DELETE')).toBe(120);
    expect(formatSummary(result)).toContain('note: HEAD bucket faults answered 405');
  });

  it('skips the bucket check when checkBucket is false', async () => {
    stub = await startS3Stub();
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      checkBucket: false,
      groups: [{ op: 'PUT', workers: 1, count: 5 }],
    });
    expect(result.groups[0]!.ops).toBe(5);
    expect(stub.counts.get('HEAD_BUCKET')).toBeUndefined();
    expect(result.notes).toEqual([]);
  });

  it('open loop: a stall shows in the latency from the intended start, not in service time', async () => {
    // One request stalls 400 ms while the schedule asks for 200/s from a single worker: every request
    // scheduled during the stall starts late. Service time stays small; corrected latency shows the wait.
    stub = await startS3Stub({ fault: (op, n) => (op === 'GET' && n === 50 ? { delayMs: 400 } : undefined) });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 5,
      groups: [{ op: 'GET', workers: 1, rate: 200, count: 300 }],
    });
    const get = result.groups[0]!;
    expect(get.mode).toBe('open');
    expect(get.ops).toBe(300);
    expect(get.corrected).not.toBeNull();
    // ~80 requests were due during the stall: far more than 1% of requests waited ≥ 100 ms.
    expect(get.corrected!.p90).toBeGreaterThanOrEqual(100);
    expect(get.latency.p50).toBeLessThan(get.corrected!.p90);
    expect(get.corrected!.max).toBeGreaterThanOrEqual(400);
  });

  it('excludes warm-up from the results and runs by duration', async () => {
    stub = await startS3Stub();
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      warmupS: 0.5,
      durationS: 1,
      groups: [{ op: 'PUT', workers: 2 }],
    });
    const put = result.groups[0]!;
    expect(stub.counts.get('PUT')!).toBeGreaterThan(put.ops);
    expect(result.measuredS).toBeGreaterThanOrEqual(0.9);
    expect(result.measuredS).toBeLessThan(2);
    expect(put.series.length).toBeGreaterThanOrEqual(1);
    expect(put.series.reduce((n, p) => n + p.ops, 0)).toBe(put.ops);
  });

  it("stops early on the caller's signal and reports progress every second", async () => {
    stub = await startS3Stub();
    const progress: string[] = [];
    const controller = new AbortController();
    const started = Date.now();
    const result = await runBenchmark(
      { ...base, endpoint: stub.url, durationS: 60, groups: [{ op: 'PUT', workers: 2 }] },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(formatProgress(p));
          controller.abort();
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.aborted).toBe('stopped by signal');
    expect(result.groups[0]!.ops).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/^\[measure 1s\] PUT \d+ ops \(\d+\/s\) err 0 p99 [\d.]+ms \(last s [\d.]+ms\)$/);
  });
});
