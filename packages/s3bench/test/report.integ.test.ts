import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchResult, renderHtmlReport, runBenchmark } from '../src/index.js';
import { type S3Stub, startS3Stub } from './s3-stub.js';

const outDir = fileURLToPath(new URL('../test-results/', import.meta.url));
let stub: S3Stub;
let browser: Browser;
let result: BenchResult;

beforeAll(async () => {
  stub = await startS3Stub({ fault: (op, n) => (op === 'GET' && n % 97 === 0 ? { delayMs: 30 } : undefined) });
  result = await runBenchmark({
    endpoint: stub.url,
    bucket: 'report',
    credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    cleanup: false,
    prefill: 5,
    durationS: 2.2,
    groups: [
      { op: 'PUT', workers: 1, rate: 100 },
      { op: 'GET', workers: 3 },
    ],
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stub?.close();
});

describe('HTML report in headless Chromium', () => {
  it('renders the five plots from inline data without any network request', async () => {
    mkdirSync(outDir, { recursive: true });
    const file = `${outDir}s3bench-report.html`;
    writeFileSync(file, renderHtmlReport(result, { title: 'report <test> & "quotes"' }));
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) external.push(req.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    expect(await page.title()).toBe('report <test> & "quotes"');
    for (const id of ['plot-latency', 'plot-percentiles', 'plot-throughput', 'plot-corrected', 'plot-errors']) {
      const paths = await page.$$eval(`#${id} path.series`, (els) => els.map((e) => e.getAttribute('d') ?? ''));
      expect(paths.length, id).toBeGreaterThan(0);
      for (const d of paths) expect(d).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
      const box = await page.$eval(`#${id}`, (e) => e.getBoundingClientRect().height);
      expect(box).toBeGreaterThan(100);
    }
    // Both groups appear in the throughput legend; the open-loop group has a corrected percentile curve.
    const series = await page.$$eval('#plot-percentiles path.series', (els) =>
      els.map((e) => e.getAttribute('data-series')),
    );
    expect(series).toEqual(expect.arrayContaining(['PUT service', 'PUT corrected', 'GET service']));
    expect(await page.$$eval('#latency tr', (rows) => rows.length)).toBe(1 + 3 + 2 + 2);
    expect(result.groups.map((g) => g.sizeClasses.map((c) => c.name))).toEqual([
      ['64 KiB – 1 MiB'],
      ['64 KiB – 1 MiB'],
    ]);
    expect(
      await page.$$eval('#plot-corrected path.series', (els) => els.map((e) => e.getAttribute('data-series'))),
    ).toEqual(['PUT corrected p99', 'PUT service p99']);
    expect(
      await page.$$eval('#plot-errors path.series', (els) => els.map((e) => e.getAttribute('data-series'))),
    ).toEqual(['PUT errors/s', 'GET errors/s']);
    // The last point covers 0.2 s of the 2.2 s run: marked, said on the page, left out of the plots.
    const put = result.groups[0]!;
    const last = put.series.at(-1)!;
    expect(last.partial).toBe(true);
    const full = put.series.filter((p) => p.partial !== true).length;
    expect(await page.textContent('#partial-second')).toContain(`covers ${last.seconds} s`);
    const putThroughput = await page.$eval('#plot-throughput path[data-series="PUT ops/s"]', (e) =>
      e.getAttribute('d'),
    );
    expect(putThroughput?.split(/[ML]/).filter((x: string) => x.trim() !== '').length).toBe(full === 1 ? 2 : full);
    expect(await page.textContent('#groups')).toContain('scheduled');
    await page.screenshot({ path: `${outDir}s3bench-report.png`, fullPage: true });
    await page.close();
  });
});
