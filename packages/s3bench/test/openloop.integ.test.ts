import { afterEach, describe, expect, it } from 'vitest';
import { assessResult, formatSummary, renderHtmlReport, runBenchmark, S3BENCH_EXIT } from '../src/index.js';
import { type S3Stub, startS3Stub } from './s3-stub.js';

let stub: S3Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const base = {
  bucket: 'open',
  credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
  createBucket: true,
  cleanup: false,
  seed: 3,
} as const;

describe('open loop accounting against a slow server', { timeout: 60_000 }, () => {
  it('reports scheduled, sent and missed, flags the missed target rate and exits 5', async () => {
    // Every GET takes ≥ 50 ms and one worker is asked for 100/s: at most ~20/s can be sent.
    stub = await startS3Stub({ fault: (op) => (op === 'GET' ? { delayMs: 50 } : undefined) });
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 3,
      durationS: 1.5,
      groups: [
        { op: 'GET', workers: 1, rate: 100 },
        // A closed-loop group that stops at its count long before the run ends.
        { op: 'PUT', workers: 1, count: 5 },
      ],
    });
    const get = result.groups.find((g) => g.op === 'GET')!;
    const open = get.open!;
    // 100/s over 1.5 s measured: 150 intended starts (±1 for where the edges fall).
    expect(open.scheduled).toBeGreaterThanOrEqual(149);
    expect(open.scheduled).toBeLessThanOrEqual(151);
    expect(open.sent).toBe(get.ops + get.errors);
    expect(open.sent).toBeLessThanOrEqual(35);
    expect(open.missed).toBe(open.scheduled - open.sent);
    expect(open.rateMissed).toBe(true);
    expect(open.achievedRate).toBeLessThan(30);

    const verdict = assessResult(result);
    expect(verdict.exitCode).toBe(S3BENCH_EXIT.targetRateMissed);
    expect(verdict.problems[0]).toMatch(
      new RegExp(`^GET missed its target rate of 100/s: ${open.sent} of ${open.scheduled} scheduled requests sent`),
    );
    const summary = formatSummary(result);
    expect(summary).toContain(
      `GET open loop at 100/s: ${open.scheduled} scheduled, ${open.sent} sent, ${open.missed} missed`,
    );
    expect(summary).toContain('TARGET RATE MISSED');
    const html = renderHtmlReport(result);
    expect(html).toContain('TARGET RATE MISSED: GET at 100/s');

    // Throughput of the PUT group is over its own active time, not the run's 1.5 s.
    const put = result.groups.find((g) => g.op === 'PUT')!;
    expect(put.ops).toBe(5);
    expect(put.open).toBeNull();
    expect(put.activeS).toBeLessThan(result.measuredS);
    expect(put.opsPerSec).toBe(Math.round((5 / put.activeS) * 100) / 100);
    expect(get.activeS).toBeCloseTo(result.measuredS, 1);
  });

  it('a rate the server keeps up with is not flagged; every scheduled request is sent', async () => {
    stub = await startS3Stub();
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 3,
      durationS: 1.5,
      groups: [{ op: 'GET', workers: 2, rate: 20 }],
    });
    const get = result.groups[0]!;
    const open = get.open!;
    expect(open.scheduled).toBeGreaterThanOrEqual(29);
    expect(open.scheduled).toBeLessThanOrEqual(31);
    expect(open.sent + open.missed).toBe(open.scheduled);
    expect(open.sent).toBe(get.ops + get.errors);
    // Only a request due in the run's last instant may be left unsent (tolerance: one per worker + 1 %).
    expect(open.missed).toBeLessThanOrEqual(2);
    expect(open.rateMissed).toBe(false);
    expect(assessResult(result).exitCode).toBe(S3BENCH_EXIT.ok);
    expect(formatSummary(result)).not.toContain('TARGET RATE MISSED');
  });

  it('stops an open-loop group at its count and marks the last, partial second', async () => {
    stub = await startS3Stub();
    const result = await runBenchmark({
      ...base,
      endpoint: stub.url,
      prefill: 3,
      durationS: 1.5,
      groups: [{ op: 'GET', workers: 2, rate: 40, count: 10 }],
    });
    const get = result.groups[0]!;
    expect(get.ops).toBe(10);
    expect(get.open).toMatchObject({ scheduled: 10, sent: 10, missed: 0, rateMissed: false });
    // 10 requests at 40/s take ~0.25 s: the rate is over that, not over the run.
    expect(get.activeS).toBeLessThan(1);
    expect(get.open!.achievedRate).toBeGreaterThan(15);

    const last = get.series.at(-1)!;
    expect(last.partial).toBe(true);
    expect(last.seconds).toBeGreaterThan(0);
    expect(last.seconds).not.toBeCloseTo(1, 2);
    expect(get.series.slice(0, -1).every((p) => p.partial === undefined)).toBe(true);
    expect(get.series.reduce((n, p) => n + p.ops, 0)).toBe(10);
  });
});
