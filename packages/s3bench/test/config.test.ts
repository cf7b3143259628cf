import { describe, expect, it } from 'vitest';
import { createRandom, createSizeSampler, parseByteSize, resolveBenchConfig } from '../src/index.js';
import { KeyRegistry } from '../src/payload.js';

const minimal = {
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'bench',
  credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
  durationS: 10,
  groups: [{ op: 'GET' as const, workers: 4 }],
};

describe('resolveBenchConfig', () => {
  it('fills defaults', () => {
    const cfg = resolveBenchConfig({ ...minimal, seed: 1 });
    expect(cfg).toMatchObject({
      region: 'us-east-1',
      addressing: 'path',
      payloadSigning: 'unsigned',
      timeoutMs: 30_000,
      connections: 4,
      warmupS: 0,
      prefill: 100,
      cleanup: true,
      createBucket: true,
      verify: false,
      prefix: 's3bench/1/',
      payload: { kind: 'generated', size: { kind: 'fixed', bytes: 65536 } },
    });
    expect(cfg.groups).toEqual([
      { name: 'GET', op: 'GET', workers: 4, count: undefined, rate: undefined, listMaxKeys: 100 },
    ]);
  });

  it('names repeated operations apart', () => {
    const cfg = resolveBenchConfig({
      ...minimal,
      groups: [
        { op: 'PUT', workers: 1 },
        { op: 'PUT', workers: 2, rate: 50 },
      ],
    });
    expect(cfg.groups.map((g) => g.name)).toEqual(['PUT', 'PUT-2']);
    expect(cfg.prefill).toBe(0);
  });

  it.each([
    [{ endpoint: 'ftp://x' }, 'endpoint'],
    [{ endpoint: 'http://h:1/path' }, 'endpoint'],
    [{ endpoint: 'not a url' }, 'endpoint'],
    [{ bucket: 'Bad_Bucket' }, 'bucket'],
    [{ bucket: 'ab' }, 'bucket'],
    [{ region: 'us east' }, 'region'],
    [{ groups: [] }, 'groups'],
    [{ groups: [{ op: 'COPY', workers: 1 }] }, 'groups[0].op'],
    [{ groups: [{ op: 'GET', workers: 0 }] }, 'groups[0].workers'],
    [{ groups: [{ op: 'GET', workers: 1, rate: 0 }] }, 'groups[0].rate'],
    [{ groups: [{ op: 'GET', workers: 1, name: 'a b' }] }, 'groups[0].name'],
    [{ durationS: undefined }, 'durationS'],
    [{ payload: { kind: 'generated', size: { kind: 'uniform', min: 10, max: 5 } } }, 'payload.size.max'],
    [{ payload: { kind: 'generated', size: { kind: 'buckets', buckets: [] } } }, 'payload.size.buckets'],
    [{ payload: { kind: 'directory', path: 'relative/dir' } }, 'payload.path'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ resolveTo: 'example.com' }, 'resolveTo'],
    [{ credentials: undefined }, 'credentials'],
    [{ credentials: { accessKeyId: 'a' } }, 'credentials.secretAccessKey'],
    [{ addressing: 'vhost' }, 'addressing'],
    [{ verify: 'yes' }, 'verify'],
    [{ seed: -1 }, 'seed'],
    [{ multipart: { partSizeBytes: 0 } }, 'multipart.partSizeBytes'],
    [{ payload: { kind: 'generated', size: { kind: 'fixed', bytes: '10GiB' } } }, 'payload.size.bytes'],
    [{ payload: { kind: 'random' } }, 'payload.kind'],
  ])('rejects %j naming %s', (patch, field) => {
    let error: unknown;
    try {
      resolveBenchConfig({ ...minimal, ...patch } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'S3BENCH_CONFIG_INVALID', details: { field } });
  });

  it.each([
    [{ rte: 100 }, 'rte', 'unknown option; did you mean "rate"?', true],
    [{ durationSec: 5 }, 'durationSec', 'unknown option; did you mean "durationS"?', false],
    [{ warmup: 1 }, 'warmup', 'unknown option; did you mean "warmupS"?', false],
    [{ zzzzzz: 1 }, 'zzzzzz', 'unknown option; valid here: endpoint, bucket', false],
  ])('refuses the unknown key %j, naming it and the nearest valid one', (patch, key, message, inGroup) => {
    const config = inGroup ? { ...minimal, groups: [{ op: 'GET', workers: 1, ...patch }] } : { ...minimal, ...patch };
    const field = inGroup ? `groups[0].${key}` : key;
    expect(() => resolveBenchConfig(config as never)).toThrow(
      expect.objectContaining({ code: 'S3BENCH_CONFIG_INVALID', details: { field } }),
    );
    expect(() => resolveBenchConfig(config as never)).toThrow(`${field}: ${message}`);
  });

  it('refuses nulls, wrong shapes and sizes out of range with one readable line', () => {
    const line = (config: unknown): string => {
      try {
        resolveBenchConfig(config as never);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(line({ ...minimal, groups: [null] })).toBe('groups[0]: expected an object, got null');
    expect(line({ ...minimal, warmupS: null })).toBe(
      'warmupS: null is not a value here; leave the key out to get the default',
    );
    expect(line({ ...minimal, payload: null })).toMatch(/^payload: null is not a value here/);
    expect(line({ ...minimal, payload: { kind: 'generated', size: null } })).toMatch(/^payload\.size: null is not/);
    expect(line({ ...minimal, payload: { kind: 'generated', size: { kind: 'fixed', bytes: 10 * 1024 ** 3 } } })).toBe(
      'payload.size.bytes: 10737418240 is more than 2 GiB, the largest object s3bench holds in memory',
    );
    expect(
      line({ ...minimal, payload: { kind: 'generated', size: { kind: 'uniform', min: '1KiB', max: '3GiB' } } }),
    ).toMatch(/^payload\.size\.max: "3GiB" is more than 2 GiB/);
    expect(line([])).toBe('config: expected an object, got a list');
    expect(line({ ...minimal, credentials: undefined })).toMatch(/^credentials: required/);
    for (const m of [line({ ...minimal, groups: [null] }), line({ ...minimal, payload: 7 })])
      expect(m).not.toMatch(/\n/);
  });

  it('parses byte sizes', () => {
    expect(parseByteSize('4KiB')).toBe(4096);
    expect(parseByteSize('1.5MB')).toBe(1_500_000);
    expect(parseByteSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize(77)).toBe(77);
    expect(() => parseByteSize('12 parsecs')).toThrow(/12 parsecs/);
  });
});

describe('size distributions', () => {
  const draw = (size: Parameters<typeof createSizeSampler>[0], n = 20_000): number[] => {
    const s = createSizeSampler(size, createRandom(11));
    return Array.from({ length: n }, () => s());
  };
  it('fixed and uniform stay in range', () => {
    expect(new Set(draw({ kind: 'fixed', bytes: 123 }, 100))).toEqual(new Set([123]));
    const u = draw({ kind: 'uniform', min: 10, max: 20 });
    expect(Math.min(...u)).toBe(10);
    expect(Math.max(...u)).toBe(20);
  });
  it('log-normal has the requested median and is clamped', () => {
    const v = draw({ kind: 'lognormal', median: 10_000, sigma: 1, min: 100, max: 200_000 }).sort((a, b) => a - b);
    const median = v[v.length / 2]!;
    expect(median).toBeGreaterThan(9_000);
    expect(median).toBeLessThan(11_000);
    expect(v[0]).toBeGreaterThanOrEqual(100);
    expect(v.at(-1)).toBeLessThanOrEqual(200_000);
  });
  it('weighted buckets follow their weights', () => {
    const v = draw({
      kind: 'buckets',
      buckets: [
        { weight: 9, min: 1, max: 1 },
        { weight: 1, min: 1000, max: 2000 },
      ],
    });
    const small = v.filter((x) => x === 1).length / v.length;
    expect(small).toBeGreaterThan(0.88);
    expect(small).toBeLessThan(0.92);
    expect(v.every((x) => x === 1 || (x >= 1000 && x <= 2000))).toBe(true);
  });
});

describe('KeyRegistry', () => {
  it('only hands out added keys, never a pinned one to DELETE, and keeps a fixed capacity', () => {
    const reg = new KeyRegistry(3, createRandom(1));
    expect(reg.pick()).toBeUndefined();
    reg.add(1, { source: 0, size: 10 });
    const pinned = reg.pick()!;
    expect(pinned.seq).toBe(1);
    expect(reg.take()).toBeUndefined();
    reg.unpin(1);
    expect(reg.take()).toBe(1);
    expect(reg.size).toBe(0);
    for (let i = 0; i < 10; i++) reg.add(i, { source: i, size: i });
    expect(reg.size).toBe(3);
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const p = reg.pick()!;
      expect(p.choice.size).toBe(p.seq);
      seen.add(p.seq);
      reg.unpin(p.seq);
    }
    expect(seen.size).toBeLessThanOrEqual(3);
  });

  it('grows past its initial allocation up to the capacity', () => {
    const reg = new KeyRegistry(5000, createRandom(2));
    for (let i = 0; i < 6000; i++) reg.add(i, { source: i, size: i * 2 });
    expect(reg.size).toBe(5000);
    for (let i = 0; i < 100; i++) {
      const p = reg.pick(false)!;
      expect(p.choice).toEqual({ source: p.seq, size: p.seq * 2 });
    }
  });
});
