import * as hdr from 'hdr-histogram-js';
import { FleetError, FleetErrorOptions, Logger } from '@fleet/core';
type S3BenchErrorCode = 'S3BENCH_CONFIG_INVALID' | 'S3BENCH_PAYLOAD_INVALID' | 'S3BENCH_SETUP_FAILED' | 'S3BENCH_REQUEST_FAILED' | 'S3BENCH_ABORTED' | 'S3BENCH_RESULT_INVALID'
 | 'S3BENCH_RESULT_MISMATCH';
declare class S3BenchError extends FleetError {
    name: "S3BenchError";
    readonly code: S3BenchErrorCode;
    constructor(code: S3BenchErrorCode, message: string, options?: FleetErrorOptions);
}
interface SigV4Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}
interface SignableRequest {
    method: string;
    path: string;
    query?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
    headers: Record<string, string>;
    payloadHash: string;
}
interface SigV4Signature {
    authorization: string;
    signature: string;
    signedHeaders: string;
    canonicalRequest: string;
    stringToSign: string;
}
declare const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
declare const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
declare function uriEscape(value: string): string;
declare function uriEscapePath(path: string): string;
declare function canonicalQueryString(query: SignableRequest['query']): string;
declare function toAmzDate(date: Date): string;
declare function sha256Hex(data: string | Uint8Array): string;
interface SigV4SignerOptions {
    credentials: SigV4Credentials;
    region: string;
    service: string;
}
declare class SigV4Signer {
    #private;
    constructor(options: SigV4SignerOptions);
    sign(request: SignableRequest, canonicalQuery?: string): SigV4Signature;
    signCanonical(method: string, canonicalUri: string, canonicalQuery: string, headers: ReadonlyArray<readonly [string, string]>, amzDate: string, payloadHash: string): SigV4Signature;
}
type ErrorKind = `http_${number}` | 'timeout' | 'reset' | 'refused' | 'integrity' | 'other';
interface S3Result {
    ok: boolean;
    status: number;
    ttfbMs: number;
    totalMs: number;
    signMs: number;
    bytes: number;
    errorKind?: ErrorKind;
    errorCode?: string;
    text?: string;
    etag?: string;
}
interface S3ClientOptions {
    endpoint: string | URL;
    region?: string;
    credentials: SigV4Credentials;
    addressing?: 'path' | 'virtual';
    payloadSigning?: 'unsigned' | 'signed';
    ca?: string | Buffer;
    resolveTo?: string;
    timeoutMs?: number;
    connections?: number;
}
interface S3Request {
    method: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
    bucket: string;
    key?: string;
    query?: Record<string, string>;
    body?: Buffer;
    headers?: Record<string, string>;
    read?: 'discard' | 'text';
    expect?: Buffer;
}
declare function classifyError(error: unknown): {
    kind: ErrorKind;
    code: string;
};
interface ListPage {
    keys: string[];
    nextToken: string | undefined;
}
declare function parseListObjects(xml: string): ListPage;
declare class S3Client {
    #private;
    constructor(options: S3ClientOptions);
    hostFor(bucket: string): string;
    send(req: S3Request): Promise<S3Result>;
    putObject(bucket: string, key: string, body: Buffer): Promise<S3Result>;
    getObject(bucket: string, key: string, expect?: Buffer): Promise<S3Result>;
    headObject(bucket: string, key: string): Promise<S3Result>;
    deleteObject(bucket: string, key: string): Promise<S3Result>;
    listObjects(bucket: string, prefix: string, maxKeys?: number, continuationToken?: string): Promise<S3Result>;
    headBucket(bucket: string): Promise<S3Result>;
    createBucket(bucket: string, region?: string): Promise<S3Result>;
    deleteBucket(bucket: string): Promise<S3Result>;
    multipartUpload(bucket: string, key: string, body: Buffer, partSize: number): Promise<S3Result>;
    listAllKeys(bucket: string, prefix: string, onPage: (keys: string[]) => Promise<void>): Promise<void>;
    close(): Promise<void>;
}
declare function createS3Client(options: S3ClientOptions): S3Client;
type PhaseName = 'setup' | 'prefill' | 'measure' | 'cleanup';
interface PhaseResult {
    requests: number;
    errors: number;
    retries: number;
    failed: number;
    errorsByKind: Record<string, number>;
}
type Histogram = hdr.Histogram;
declare function createHistogram(): Histogram;
declare function recordMicros(histogram: Histogram, us: number): void;
interface LatencySummary {
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
declare function summarizeHistogram(h: Histogram, exactMaxUs?: number, meanUs?: number): LatencySummary;
declare function encodeHistogram(h: Histogram): string;
declare function decodeHistogram(encoded: string): Histogram;
interface SeriesPoint {
    t: number;
    ops: number;
    errors: number;
    bytes: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    correctedP99?: number;
    partial?: true;
    seconds?: number;
}
interface OpenLoopResult {
    scheduled: number;
    sent: number;
    missed: number;
    achievedRate: number;
    rateMissed: boolean;
}
interface SizeClassResult {
    name: string;
    minBytes: number;
    maxBytes: number;
    ops: number;
    latency: LatencySummary;
    histogram: string;
}
interface GroupResult {
    name: string;
    op: string;
    workers: number;
    mode: 'closed' | 'open';
    targetRate: number | null;
    ops: number;
    errors: number;
    errorsByKind: Record<string, number>;
    bytes: number;
    opsPerSec: number;
    bytesPerSec: number;
    activeS: number;
    open: OpenLoopResult | null;
    sizeClasses: SizeClassResult[];
    starved: boolean;
    latency: LatencySummary;
    ttfb: LatencySummary;
    corrected: LatencySummary | null;
    histograms: {
        latency: string;
        ttfb: string;
        corrected: string | null;
    };
    distribution: {
        latency: Array<[number, number]>;
        corrected: Array<[number, number]> | null;
    };
    series: SeriesPoint[];
}
declare class GroupRecorder {
    #private;
    readonly openLoop: boolean;
    readonly series: SeriesPoint[];
    ops: number;
    errors: number;
    bytes: number;
    readonly errorsByKind: Map<string, number>;
    constructor(openLoop: boolean, classes?: ReadonlyArray<{
        name: string;
        minBytes: number;
        maxBytes: number;
    }>);
    get latency(): Histogram;
    get ttfb(): Histogram;
    get corrected(): Histogram | null;
    record(totalMs: number, ttfbMs: number, bytes: number, correctedMs?: number, sizeClass?: number): void;
    recordError(kind: string): void;
    roll(t: number, seconds?: number): SeriesPoint;
    reset(): void;
    toResult(meta: {
        name: string;
        op: string;
        workers: number;
        targetRate: number | null;
        activeS: number;
        starved: boolean;
        open: OpenLoopResult | null;
    }): GroupResult;
}
interface OverheadResult {
    signMeanUs: number;
    recordMeanUs: number;
    eventLoopDelayP99Ms: number;
    eventLoopDelayMaxMs: number;
    cpuPercent: number;
}
interface BenchResult {
    format: 's3bench-result';
    version: 1;
    label: string;
    startedAt: string;
    endedAt: string;
    measuredS: number;
    clients: number;
    config: {
        endpoint: string;
        bucket: string;
        region: string;
        prefix: string;
        addressing: 'path' | 'virtual';
        payloadSigning: 'unsigned' | 'signed';
        connections: number;
        durationS: number | null;
        warmupS: number;
        payload: string;
        verify: boolean;
        seed: number;
    };
    groups: GroupResult[];
    overhead: OverheadResult;
    cleanup: {
        deleted: number;
        failed: number;
        bucketDeleted: boolean;
        error: string | null;
    } | null;
    phases: Record<PhaseName, PhaseResult>;
    leftBehind: {
        objects: number;
        bucket: string;
        prefix: string;
    } | null;
    notes: string[];
    aborted: string | null;
}
declare function parseBenchResult(value: unknown, what?: string): BenchResult;
declare function mergeResults(results: readonly BenchResult[]): BenchResult;
interface CompareOptions {
    threshold?: number;
    minLatencyDeltaMs?: number;
    minOpsPerSecDelta?: number;
    minErrorRateDelta?: number;
}
declare const COMPARE_DEFAULTS: Readonly<Required<CompareOptions>>;
interface ComparisonRow {
    group: string;
    metric: string;
    base: number;
    current: number;
    change: number;
    higherIsBetter: boolean;
    regression: boolean;
    improvement: boolean;
}
interface Comparison {
    rows: ComparisonRow[];
    regressions: ComparisonRow[];
    onlyInBase: string[];
    onlyInCurrent: string[];
}
declare function compareResults(base: BenchResult, current: BenchResult, options?: CompareOptions): Comparison;
declare function formatComparison(c: Comparison): string;
type S3Operation = 'PUT' | 'GET' | 'HEAD' | 'DELETE' | 'LIST';
declare const S3_OPERATIONS: readonly S3Operation[];
type SizeDistribution = {
    kind: 'fixed';
    bytes: number;
} | {
    kind: 'uniform';
    min: number;
    max: number;
}
 | {
    kind: 'lognormal';
    median: number;
    sigma: number;
    min?: number;
    max: number;
}
 | {
    kind: 'buckets';
    buckets: ReadonlyArray<{
        weight: number;
        min: number;
        max: number;
    }>;
};
type PayloadConfig = {
    kind: 'generated';
    size: SizeDistribution;
}
 | {
    kind: 'directory';
    path: string;
}
 | {
    kind: 'pool';
    objects: ReadonlyArray<PoolEntry>;
};
interface PoolEntry {
    count: number;
    size: number | string;
}
interface WorkloadGroup {
    name?: string;
    op: S3Operation;
    workers: number;
    count?: number;
    rate?: number;
    listMaxKeys?: number;
}
interface BenchConfig {
    endpoint: string;
    bucket: string;
    region?: string;
    prefix?: string;
    addressing?: 'path' | 'virtual';
    credentials?: SigV4Credentials;
    payloadSigning?: 'unsigned' | 'signed';
    ca?: string | Buffer;
    resolveTo?: string;
    timeoutMs?: number;
    connections?: number;
    groups: readonly WorkloadGroup[];
    durationS?: number;
    warmupS?: number;
    payload?: PayloadConfig;
    verify?: boolean;
    prefill?: number;
    createBucket?: boolean;
    checkBucket?: boolean;
    cleanup?: boolean;
    multipart?: {
        thresholdBytes?: number;
        partSizeBytes?: number;
    };
    abortOnError?: boolean;
    maxTrackedKeys?: number;
    seed?: number;
    label?: string;
}
interface ResolvedWorkloadGroup {
    name: string;
    op: S3Operation;
    workers: number;
    count: number | undefined;
    rate: number | undefined;
    listMaxKeys: number;
}
interface ResolvedBenchConfig {
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
    multipart: {
        thresholdBytes: number;
        partSizeBytes: number;
    };
    abortOnError: boolean;
    maxTrackedKeys: number;
    seed: number;
    label: string;
}
declare function parseByteSize(value: string | number, field?: string): number;
declare function resolveBenchConfig(config: BenchConfig): ResolvedBenchConfig;
declare function renderHtmlReport(result: BenchResult, options?: {
    title?: string;
}): string;
declare function createRandom(seed: number): () => number;
declare function createSizeSampler(size: SizeDistribution, random: () => number): () => number;
interface ProgressSnapshot {
    phase: 'warmup' | 'measure';
    elapsedS: number;
    groups: Array<{
        name: string;
        ops: number;
        errors: number;
        opsLastSecond: number;
        p99LastSecondMs: number;
        p99Ms: number;
    }>;
}
interface RunOptions {
    client?: S3Client;
    onProgress?: (progress: ProgressSnapshot) => void;
    signal?: AbortSignal;
    logger?: Logger;
    onNote?: (text: string) => void;
}
declare function formatProgress(p: ProgressSnapshot): string;
declare function runBenchmark(config: BenchConfig, options?: RunOptions): Promise<BenchResult>;
declare function formatSummary(result: BenchResult): string;
declare const S3BENCH_EXIT: {
    readonly ok: 0;
    readonly requestErrors: 1;
    readonly targetRateMissed: 5;
    readonly objectsLeftBehind: 6;
    readonly interrupted: 130;
};
interface Verdict {
    exitCode: number;
    problems: string[];
}
declare function assessResult(result: BenchResult): Verdict;
export { type BenchConfig, type BenchResult, COMPARE_DEFAULTS, type CompareOptions, type Comparison, type ComparisonRow, EMPTY_SHA256, type ErrorKind, GroupRecorder, type GroupResult, type Histogram, type LatencySummary, type ListPage, type OpenLoopResult, type OverheadResult, type PayloadConfig, type PhaseName, type PhaseResult, type PoolEntry, type ProgressSnapshot, type ResolvedBenchConfig, type ResolvedWorkloadGroup, type RunOptions, S3BENCH_EXIT, S3BenchError, type S3BenchErrorCode, S3Client, type S3ClientOptions, type S3Operation, type S3Request, type S3Result, S3_OPERATIONS, type SeriesPoint, type SigV4Credentials, type SigV4Signature, SigV4Signer, type SigV4SignerOptions, type SignableRequest, type SizeClassResult, type SizeDistribution, UNSIGNED_PAYLOAD, type Verdict, type WorkloadGroup, assessResult, canonicalQueryString, classifyError, compareResults, createHistogram, createRandom, createS3Client, createSizeSampler, decodeHistogram, encodeHistogram, formatComparison, formatProgress, formatSummary, mergeResults, parseBenchResult, parseByteSize, parseListObjects, recordMicros, renderHtmlReport, resolveBenchConfig, runBenchmark, sha256Hex, summarizeHistogram, toAmzDate, uriEscape, uriEscapePath };
