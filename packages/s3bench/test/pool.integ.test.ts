import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchConfig, formatSummary, mergeResults, resolveBenchConfig, runBenchmark } from '../src/index.js';

// Object pools and seeded streams against s3rver (a real S3 REST server; it does not check signatures).
let server: S3rver;
let dataDir: string;
let endpoint: string;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 's3bench-pool-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dataDir });
  endpoint = `http://127.0.0.1:${(await server.run()).port}`;
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('object pool', { timeout: 90_000 }, () => {
  it('uploads a pool of unique payloads equally often, downloads what was uploaded, latency per size class', async () => {
    // The reference workload, scaled down: 50 files from a pool of 5 unique payloads (4 small, 1 large);
    // 5 uploads in parallel and 10 downloads of random uploaded objects, checked byte for byte.
    const result = await runBenchmark({
      endpoint,
      bucket: 'pool',
      prefix: 'pool-',
      credentials,
      seed: 5,
      verify: true,
      prefill: 0,
      payload: {
        kind: 'pool',
        objects: [
          { count: 4, size: '8KiB' },
          { count: 1, size: '96KiB' },
        ],
      },
      groups: [
        { op: 'PUT', workers: 5, count: 50 },
        { op: 'GET', workers: 10, count: 50 },
      ],
    });
    const [put, get] = result.groups;
    expect(put!.errors, JSON.stringify(put!.errorsByKind)).toBe(0);
    expect(get!.errors, JSON.stringify(get!.errorsByKind)).toBe(0);
    expect(put!.ops).toBe(50);
    expect(get!.ops).toBe(50);
    // Exactly 10 uploads of each of the 5 payloads: 40 small, 10 large.
    expect(put!.bytes).toBe(40 * 8192 + 10 * 96 * 1024);
    expect(put!.sizeClasses.map((c) => [c.name, c.minBytes, c.ops])).toEqual([
      ['8 KiB', 8192, 40],
      ['96 KiB', 98304, 10],
    ]);
    expect(get!.sizeClasses.reduce((n, c) => n + c.ops, 0)).toBe(50);
    for (const c of get!.sizeClasses) expect(['8 KiB', '96 KiB']).toContain(c.name);
    expect(get!.bytes).toBe(get!.sizeClasses.reduce((n, c) => n + c.ops * c.minBytes, 0));
    expect(result.config.payload).toBe('pool of 5: 4 × 8192 B, 1 × 98304 B');
    expect(formatSummary(result)).toMatch(/PUT 96 KiB \(10\)\s+[\d.]+/);
    // Size classes merge exactly across clients.
    const merged = mergeResults([result, result]);
    expect(merged.groups[0]!.sizeClasses.map((c) => c.ops)).toEqual([80, 20]);
    expect(result.cleanup).toMatchObject({ deleted: 50, failed: 0, error: null });
  });

  it('the same seed gives the same sizes whatever groups run alongside', async () => {
    const run = (seed: number, withGet: boolean, bucket: string) => {
      const config: BenchConfig = {
        endpoint,
        bucket,
        prefix: 'seeded-',
        credentials,
        seed,
        prefill: 5,
        payload: { kind: 'generated', size: { kind: 'uniform', min: 1, max: 20_000 } },
        groups: [
          { op: 'PUT', workers: 1, count: 30 },
          ...(withGet ? [{ op: 'GET' as const, workers: 4, count: 40 }] : []),
        ],
      };
      return runBenchmark(config);
    };
    const [alone, alongside, otherSeed] = await Promise.all([
      run(11, false, 'seed-a'),
      run(11, true, 'seed-b'),
      run(12, false, 'seed-c'),
    ]);
    const putOf = (r: typeof alone) => r.groups.find((g) => g.op === 'PUT')!;
    expect(putOf(alone).ops).toBe(30);
    expect(putOf(alongside).ops).toBe(30);
    // Objects 5..34 have the same sizes: the GETs' random key picks do not shift the upload sizes.
    expect(putOf(alongside).bytes).toBe(putOf(alone).bytes);
    expect(putOf(otherSeed).bytes).not.toBe(putOf(alone).bytes);
  });

  it('refuses a malformed pool in one line', () => {
    const base = { endpoint: 'http://127.0.0.1:1', bucket: 'bkt', credentials, groups: [{ op: 'PUT', workers: 1 }] };
    const bad = (payload: unknown) => () =>
      resolveBenchConfig({ ...base, durationS: 1, payload } as unknown as BenchConfig);
    expect(bad({ kind: 'pool', objects: [] })).toThrow('payload.objects: give at least one entry');
    expect(bad({ kind: 'pool', objects: [{ count: 2, sise: 10 }] })).toThrow(
      'payload.objects[0].sise: unknown option; did you mean "size"?',
    );
    expect(bad({ kind: 'pool', objects: [{ count: 0, size: 10 }] })).toThrow(
      'payload.objects[0].count: expected an integer from 1 to 65536, got 0',
    );
    expect(bad({ kind: 'pool', objects: [{ count: 1, size: '3GiB' }] })).toThrow('payload.objects[0].size');
  });
});
