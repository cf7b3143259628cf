import { isAbsolute } from 'node:path';
import { configError } from './errors.js';
import type { SigV4Credentials } from './sigv4.js';

/** S3 operations a workload group can run. PUT switches to multipart above `multipart.thresholdBytes`. */
export type S3Operation = 'PUT' | 'GET' | 'HEAD' | 'DELETE' | 'LIST';
export const S3_OPERATIONS: readonly S3Operation[] = ['PUT', 'GET', 'HEAD', 'DELETE', 'LIST'];

/** Object size distribution for generated payloads (bytes). */
export type SizeDistribution =
  | { kind: 'fixed'; bytes: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Log-normal with the given median and shape `sigma`, clamped to [min, max]. */
  | { kind: 'lognormal'; median: number; sigma: number; min?: number; max: number }
  /** Weighted buckets; each bucket draws uniformly from [min, max] (or exactly `bytes`). */
  | { kind: 'buckets'; buckets: ReadonlyArray<{ weight: number; min: number; max: number }> };

export type PayloadConfig =
  | { kind: 'generated'; size: SizeDistribution }
  /** Every regular file of `path` (not recursive) is one payload, read once into memory. */
  | { kind: 'directory'; path: string }
  /**
   * A fixed pool of unique payloads: `count` payloads of `size` bytes for each entry (sizes as numbers or
   * strings such as "3MiB"). Uploads go through the pool in order, so each payload is uploaded equally
   * often; downloads pick among the objects uploaded so far.
   */
  | { kind: 'pool'; objects: ReadonlyArray<PoolEntry> };

/** `count` unique payloads of `size` bytes. */
export interface PoolEntry {
  count: number;
  size: number | string;
}

/** Most unique payloads a pool may hold. */
export const MAX_POOL_PAYLOADS = 65_536;

/** One group of workers doing one operation. */
export interface WorkloadGroup {
  /** Name in results; defaults to the operation (made unique with a suffix). */
  name?: string;
  op: S3Operation;
  workers: number;
  /** Stop this group after this many measured operations (otherwise run for the run's `durationS`). */
  count?: number;
  /** Open loop: target operations per second for the whole group (latency corrected for coordinated omission). */
  rate?: number;
  /** LIST page size (max-keys). */
  listMaxKeys?: number;
}

/** What {@link runBenchmark} accepts; {@link resolveBenchConfig} fills the defaults. */
export interface BenchConfig {
  /** `http://host:port` or `https://host:port` of the S3 service (no path). */
  endpoint: string;
  bucket: string;
  region?: string;
  /** Key prefix for every object the run creates; default `s3bench/<run id>/`. */
  prefix?: string;
  addressing?: 'path' | 'virtual';
  credentials?: SigV4Credentials;
  /** `unsigned` sends UNSIGNED-PAYLOAD (default, cheapest); `signed` hashes every body. */
  payloadSigning?: 'unsigned' | 'signed';
  /** PEM CA certificate(s) to trust for HTTPS endpoints. */
  ca?: string | Buffer;
  /** Connect to this IP instead of resolving the endpoint's host name (like curl --resolve). */
  resolveTo?: string;
  /** Per-request timeout (ms) for response headers and for each body gap. Default 30 000. */
  timeoutMs?: number;
  /** Connections in the pool; default: total worker count. */
  connections?: number;
  groups: readonly WorkloadGroup[];
  /** Measured duration in seconds; required unless every group has a `count`. */
  durationS?: number;
  /** Seconds run before measuring starts, excluded from results. Default 0. */
  warmupS?: number;
  payload?: PayloadConfig;
  /** Compare downloaded bytes with what was uploaded (counted as `integrity` errors). Default false. */
  verify?: boolean;
  /** Objects uploaded before the run so GET/HEAD/DELETE have keys; default: 100 when such a group exists. */
  prefill?: number;
  createBucket?: boolean;
  /**
   * Check the bucket with HEAD before the run (default true). A 403/405/501 answer is tolerated (noted once);
   * false skips the check, for services that take object requests only.
   */
  checkBucket?: boolean;
  /** Delete the run's objects (and the bucket if this run created it) afterwards. Default true. */
  cleanup?: boolean;
  multipart?: { thresholdBytes?: number; partSizeBytes?: number };
  /** Stop the whole run at the first failed request. Default false: failures are counted, the run goes on. */
  abortOnError?: boolean;
  /** Keys remembered for GET/HEAD/DELETE picks; older ones are replaced at random past this. Default 1 000 000. */
  maxTrackedKeys?: number;
  /** Seed of the PRNG that draws sizes and keys. */
  seed?: number;
  /** Free-form label stored in the result (e.g. the client host). */
  label?: string;
}

export interface ResolvedWorkloadGroup {
  name: string;
  op: S3Operation;
  workers: number;
  count: number | undefined;
  rate: number | undefined;
  listMaxKeys: number;
}

export interface ResolvedBenchConfig {
  endpoint: URL;
  bucket: string;
  region: string;
  prefix: string;
  addressing: 'path' | 'virtual';
  credentials: SigV4Credentials;
  payloadSigning: 'unsigned' | 'signed';
  ca: string | Buffer | undefined;
  resolveTo: string | undefined;
  timeoutMs: number;
  connections: number;
  groups: ResolvedWorkloadGroup[];
  durationS: number | undefined;
  warmupS: number;
  payload: PayloadConfig;
  verify: boolean;
  prefill: number;
  createBucket: boolean;
  checkBucket: boolean;
  cleanup: boolean;
  multipart: { thresholdBytes: number; partSizeBytes: number };
  abortOnError: boolean;
  maxTrackedKeys: number;
  seed: number;
  label: string;
}

const MiB = 1024 * 1024;

function positiveInt(value: unknown, field: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw configError(field, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positiveNumber(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw configError(field, `expected a number ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  kib: 1024,
  mib: MiB,
  gib: 1024 * MiB,
};

/** Parses `4096`, `4KiB`, `1.5MB`, `2GiB` into bytes (integer). */
export function parseByteSize(value: string | number, field = 'size'): number {
  if (typeof value === 'number') return positiveInt(value, field, 0);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? UNITS[(m[2] ?? '').toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw configError(field, `cannot read ${JSON.stringify(value)} as a size; write e.g. 4096, 64KiB, 1MB or 2GiB`);
  }
  return Math.round(Number(m[1]) * unit);
}

function resolveSize(raw: unknown, field: string): SizeDistribution {
  if (raw === undefined) return { kind: 'fixed', bytes: 64 * 1024 };
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const keys = typeof kind === 'string' ? SIZE_KEYS[kind] : undefined;
  if (keys === undefined) {
    checkObject(raw, field, ['kind', 'bytes', 'min', 'max', 'median', 'sigma', 'buckets']);
    throw configError(`${field}.kind`, `expected fixed, uniform, lognormal or buckets, got ${JSON.stringify(kind)}`);
  }
  const size = checkObject(raw, field, keys);
  switch (kind) {
    case 'fixed':
      return { kind: 'fixed', bytes: objectSize(size.bytes, `${field}.bytes`) };
    case 'uniform': {
      const min = objectSize(size.min, `${field}.min`);
      const max = objectSize(size.max, `${field}.max`, min);
      return { kind: 'uniform', min, max };
    }
    case 'lognormal': {
      const median = positiveNumber(size.median, `${field}.median`, 1);
      const sigma = positiveNumber(size.sigma, `${field}.sigma`);
      const min = objectSize(size.min ?? 0, `${field}.min`);
      const max = objectSize(size.max, `${field}.max`, Math.max(min, 1));
      return { kind: 'lognormal', median, sigma, min, max };
    }
    default: {
      if (!Array.isArray(size.buckets) || size.buckets.length === 0) {
        throw configError(`${field}.buckets`, 'give at least one { weight, min, max } bucket');
      }
      const buckets = size.buckets.map((raw: unknown, i: number) => {
        const f = `${field}.buckets[${i}]`;
        const b = checkObject(raw, f, ['weight', 'min', 'max']);
        const min = objectSize(b.min, `${f}.min`);
        return { weight: positiveNumber(b.weight, `${f}.weight`), min, max: objectSize(b.max, `${f}.max`, min) };
      });
      if (buckets.every((b) => b.weight === 0))
        throw configError(`${field}.buckets`, 'at least one weight must be > 0');
      return { kind: 'buckets', buckets };
    }
  }
}

/** Largest object a distribution can produce. */
export function maxSize(size: SizeDistribution): number {
  switch (size.kind) {
    case 'fixed':
      return size.bytes;
    case 'uniform':
    case 'lognormal':
      return size.max;
    case 'buckets':
      return Math.max(...size.buckets.map((b) => b.max));
  }
}

/** Largest generated object: bodies are slices of one block held in memory. */
export const MAX_OBJECT_BYTES = 2 * 1024 * MiB;

const TOP_KEYS = [
  'endpoint',
  'bucket',
  'region',
  'prefix',
  'addressing',
  'credentials',
  'payloadSigning',
  'ca',
  'resolveTo',
  'timeoutMs',
  'connections',
  'groups',
  'durationS',
  'warmupS',
  'payload',
  'verify',
  'prefill',
  'createBucket',
  'checkBucket',
  'cleanup',
  'multipart',
  'abortOnError',
  'maxTrackedKeys',
  'seed',
  'label',
] as const;
const GROUP_KEYS = ['name', 'op', 'workers', 'count', 'rate', 'listMaxKeys'] as const;
const CREDENTIAL_KEYS = ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const;
const MULTIPART_KEYS = ['thresholdBytes', 'partSizeBytes'] as const;
const PAYLOAD_KEYS: Record<string, readonly string[]> = {
  generated: ['kind', 'size'],
  directory: ['kind', 'path'],
  pool: ['kind', 'objects'],
};
const SIZE_KEYS: Record<string, readonly string[]> = {
  fixed: ['kind', 'bytes'],
  uniform: ['kind', 'min', 'max'],
  lognormal: ['kind', 'median', 'sigma', 'min', 'max'],
  buckets: ['kind', 'buckets'],
};

/** Edit distance, for "did you mean" on a mistyped key. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/** The valid name closest to `key`, if it is close enough to be a typo. */
export function nearestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const d = distance(key, v);
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

const at = (field: string, key: string): string => (field === '' ? key : `${field}.${key}`);

/**
 * Checks that `value` is an object with only `valid` keys and no null values: a typo such as `rte` must not
 * run a closed loop silently, and a null must not surface later as a TypeError.
 */
function checkObject(value: unknown, field: string, valid: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(
      field || 'config',
      `expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    if (!valid.includes(key)) {
      const near = nearestKey(key, valid);
      throw configError(
        at(field, key),
        near === undefined
          ? `unknown option; valid here: ${valid.join(', ')}`
          : `unknown option; did you mean "${near}"?`,
      );
    }
    if (v === null) throw configError(at(field, key), 'null is not a value here; leave the key out to get the default');
  }
  return obj;
}

function optionalBool(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw configError(field, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

function oneOfField<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw configError(field, `expected ${allowed.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** An object size: bytes as a number or a string such as `64KiB`, from 0 to {@link MAX_OBJECT_BYTES}. */
function objectSize(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw configError(field, `expected a size such as 4096 or "64KiB", got ${JSON.stringify(value)}`);
  }
  const bytes = parseByteSize(value, field);
  if (bytes > MAX_OBJECT_BYTES) {
    throw configError(field, `${JSON.stringify(value)} is more than 2 GiB, the largest object s3bench holds in memory`);
  }
  if (bytes < min) throw configError(field, `expected at least ${min} bytes, got ${JSON.stringify(value)}`);
  return bytes;
}

// Bucket names as S3 accepts them (also DNS-safe, so virtual-hosted addressing works).
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z0-9-]{1,40}$/;

/** Fills defaults and validates every field; pure (no I/O). Throws `S3BENCH_CONFIG_INVALID` naming the field. */
export function resolveBenchConfig(config: BenchConfig): ResolvedBenchConfig {
  const raw = checkObject(config, '', TOP_KEYS);
  let endpoint: URL;
  if (typeof raw.endpoint !== 'string') throw configError('endpoint', 'required: e.g. http://127.0.0.1:9000');
  try {
    endpoint = new URL(raw.endpoint);
  } catch {
    throw configError('endpoint', `${JSON.stringify(raw.endpoint)} is not a URL; write e.g. http://127.0.0.1:9000`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw configError('endpoint', `use http:// or https://, not ${endpoint.protocol}`);
  }
  if ((endpoint.pathname !== '/' && endpoint.pathname !== '') || endpoint.search !== '' || endpoint.username !== '') {
    throw configError('endpoint', 'give only scheme, host and port (no path, query or credentials)');
  }
  if (typeof config.bucket !== 'string' || !BUCKET_RE.test(config.bucket) || config.bucket.includes('..')) {
    throw configError('bucket', `${JSON.stringify(config.bucket)} is not a valid bucket name (3-63 of a-z 0-9 . -)`);
  }
  const region = config.region ?? 'us-east-1';
  if (typeof region !== 'string' || !REGION_RE.test(region))
    throw configError('region', `${JSON.stringify(region)} is not a region name`);
  const seed =
    config.seed === undefined
      ? (Date.now() ^ (process.pid << 8)) >>> 0
      : positiveInt(config.seed, 'seed', 0, 0xffffffff);
  const runId = seed.toString(36);
  const prefix = config.prefix ?? `s3bench/${runId}/`;
  if (typeof prefix !== 'string' || prefix.length > 512 || /[\u0000-\u001f]/.test(prefix)) {
    throw configError('prefix', 'expected at most 512 characters without control characters');
  }
  if (config.credentials === undefined) {
    throw configError(
      'credentials',
      'required: { accessKeyId, secretAccessKey } (s3bench never signs with made-up credentials)',
    );
  }
  // Other keys are let through here: credential objects from the AWS SDK's providers carry `expiration`,
  // `$source` and more. A misspelt required key still fails below.
  const creds = checkObject(config.credentials, 'credentials', [
    ...CREDENTIAL_KEYS,
    ...Object.keys(config.credentials ?? {}).filter((k) => nearestKey(k, CREDENTIAL_KEYS) === undefined),
  ]);
  if (typeof creds.accessKeyId !== 'string' || creds.accessKeyId === '') {
    throw configError('credentials.accessKeyId', 'required, a non-empty string');
  }
  if (typeof creds.secretAccessKey !== 'string' || creds.secretAccessKey === '') {
    throw configError('credentials.secretAccessKey', 'required, a non-empty string');
  }
  if (creds.sessionToken !== undefined && typeof creds.sessionToken !== 'string') {
    throw configError('credentials.sessionToken', 'expected a string');
  }
  const credentials = config.credentials;
  if (!Array.isArray(config.groups) || config.groups.length === 0) {
    throw configError('groups', 'give at least one group, e.g. [{ op: "PUT", workers: 5 }]');
  }
  const used = new Set<string>();
  const groups = config.groups.map((rawGroup: unknown, i): ResolvedWorkloadGroup => {
    const field = `groups[${i}]`;
    const g = checkObject(rawGroup, field, GROUP_KEYS) as Partial<WorkloadGroup>;
    if (!S3_OPERATIONS.includes(g.op as S3Operation)) {
      throw configError(`${field}.op`, `expected one of ${S3_OPERATIONS.join(', ')}, got ${JSON.stringify(g.op)}`);
    }
    const op = g.op as S3Operation;
    let name = g.name ?? op;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,40}$/.test(name))
      throw configError(`${field}.name`, 'use 1-40 of A-Z a-z 0-9 _ . -');
    if (used.has(name)) {
      if (g.name !== undefined) throw configError(`${field}.name`, `${name} is used by another group`);
      let n = 2;
      while (used.has(`${op}-${n}`)) n++;
      name = `${op}-${n}`;
    }
    used.add(name);
    return {
      name,
      op,
      workers: positiveInt(g.workers, `${field}.workers`, 1, 10_000),
      count: g.count === undefined ? undefined : positiveInt(g.count, `${field}.count`),
      rate: g.rate === undefined ? undefined : positiveNumber(g.rate, `${field}.rate`, 0.001),
      listMaxKeys: positiveInt(g.listMaxKeys ?? 100, `${field}.listMaxKeys`, 1, 1000),
    };
  });
  const durationS = config.durationS === undefined ? undefined : positiveNumber(config.durationS, 'durationS', 0.001);
  if (durationS === undefined && groups.some((g) => g.count === undefined)) {
    throw configError('durationS', 'set durationS, or a count on every group, so the run knows when to stop');
  }
  const payload = resolvePayload(config.payload);
  const totalWorkers = groups.reduce((n, g) => n + g.workers, 0);
  const needsKeys = groups.some((g) => g.op === 'GET' || g.op === 'HEAD' || g.op === 'DELETE');
  const mp = config.multipart === undefined ? {} : checkObject(config.multipart, 'multipart', MULTIPART_KEYS);
  const thresholdBytes = objectSize(mp.thresholdBytes ?? 64 * MiB, 'multipart.thresholdBytes', 1);
  const partSizeBytes = objectSize(mp.partSizeBytes ?? 16 * MiB, 'multipart.partSizeBytes', 1);
  const timeoutMs = positiveInt(config.timeoutMs ?? 30_000, 'timeoutMs', 1, 3_600_000);
  if (
    config.resolveTo !== undefined &&
    (typeof config.resolveTo !== 'string' || !/^[0-9a-fA-F.:]+$/.test(config.resolveTo))
  ) {
    throw configError('resolveTo', 'expected an IP address');
  }
  if (config.ca !== undefined && typeof config.ca !== 'string' && !Buffer.isBuffer(config.ca)) {
    throw configError('ca', 'expected PEM text');
  }
  if (config.label !== undefined && typeof config.label !== 'string') throw configError('label', 'expected a string');
  return {
    endpoint,
    bucket: config.bucket,
    region,
    prefix,
    addressing: oneOfField(config.addressing, 'addressing', ['path', 'virtual'], 'path'),
    credentials,
    payloadSigning: oneOfField(config.payloadSigning, 'payloadSigning', ['unsigned', 'signed'], 'unsigned'),
    ca: config.ca,
    resolveTo: config.resolveTo,
    timeoutMs,
    connections: positiveInt(config.connections ?? totalWorkers, 'connections', 1, 10_000),
    groups,
    durationS,
    warmupS: positiveNumber(config.warmupS ?? 0, 'warmupS'),
    payload,
    verify: optionalBool(config.verify, 'verify', false),
    prefill: positiveInt(config.prefill ?? (needsKeys ? 100 : 0), 'prefill', 0, 10_000_000),
    createBucket: optionalBool(config.createBucket, 'createBucket', true),
    checkBucket: optionalBool(config.checkBucket, 'checkBucket', true),
    cleanup: optionalBool(config.cleanup, 'cleanup', true),
    multipart: { thresholdBytes, partSizeBytes },
    abortOnError: optionalBool(config.abortOnError, 'abortOnError', false),
    maxTrackedKeys: positiveInt(config.maxTrackedKeys ?? 1_000_000, 'maxTrackedKeys', 1, 50_000_000),
    seed,
    label: config.label ?? '',
  };
}

function resolvePayload(raw: unknown): PayloadConfig {
  if (raw === undefined) return { kind: 'generated', size: resolveSize(undefined, 'payload.size') };
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const keys = typeof kind === 'string' ? PAYLOAD_KEYS[kind] : undefined;
  if (keys === undefined) {
    checkObject(raw, 'payload', ['kind', 'size', 'path', 'objects']);
    throw configError('payload.kind', `expected generated, directory or pool, got ${JSON.stringify(kind)}`);
  }
  const p = checkObject(raw, 'payload', keys);
  if (kind === 'generated') return { kind: 'generated', size: resolveSize(p.size, 'payload.size') };
  if (kind === 'directory') {
    if (typeof p.path !== 'string' || !isAbsolute(p.path)) {
      throw configError('payload.path', 'give an absolute directory path');
    }
    return { kind: 'directory', path: p.path };
  }
  if (!Array.isArray(p.objects) || p.objects.length === 0) {
    throw configError('payload.objects', 'give at least one entry, e.g. [{ count: 25, size: "2MiB" }]');
  }
  let total = 0;
  const objects = p.objects.map((entry: unknown, i): PoolEntry => {
    const field = `payload.objects[${i}]`;
    const e = checkObject(entry, field, ['count', 'size']);
    const count = positiveInt(e.count, `${field}.count`, 1, MAX_POOL_PAYLOADS);
    total += count;
    return { count, size: objectSize(e.size, `${field}.size`) };
  });
  if (total > MAX_POOL_PAYLOADS) {
    throw configError('payload.objects', `${total} payloads in all; a pool holds at most ${MAX_POOL_PAYLOADS}`);
  }
  return { kind: 'pool', objects };
}
