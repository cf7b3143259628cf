export {
  classifyError,
  createS3Client,
  type ErrorKind,
  type ListPage,
  parseListObjects,
  S3Client,
  type S3ClientOptions,
  type S3Request,
  type S3Result,
} from './client.js';
export {
  type CompareOptions,
  type Comparison,
  type ComparisonRow,
  COMPARE_DEFAULTS,
  compareResults,
  formatComparison,
} from './compare.js';
export {
  type BenchConfig,
  type PayloadConfig,
  type PoolEntry,
  parseByteSize,
  type ResolvedBenchConfig,
  type ResolvedWorkloadGroup,
  resolveBenchConfig,
  S3_OPERATIONS,
  type S3Operation,
  type SizeDistribution,
  type WorkloadGroup,
} from './config.js';
export { S3BenchError, type S3BenchErrorCode } from './errors.js';
export {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  type Histogram,
  type LatencySummary,
  recordMicros,
  summarizeHistogram,
} from './histogram.js';
export { renderHtmlReport } from './html.js';
export { createRandom, createSizeSampler } from './payload.js';
export type { PhaseName, PhaseResult } from './phases.js';
export {
  GroupRecorder,
  type GroupResult,
  type OpenLoopResult,
  type SeriesPoint,
  type SizeClassResult,
} from './recorder.js';
export { type BenchResult, mergeResults, type OverheadResult, parseBenchResult } from './result.js';
export { formatProgress, type ProgressSnapshot, type RunOptions, runBenchmark } from './runner.js';
export {
  canonicalQueryString,
  EMPTY_SHA256,
  type SignableRequest,
  type SigV4Credentials,
  type SigV4Signature,
  SigV4Signer,
  type SigV4SignerOptions,
  sha256Hex,
  toAmzDate,
  UNSIGNED_PAYLOAD,
  uriEscape,
  uriEscapePath,
} from './sigv4.js';
export { formatSummary } from './summary.js';
export { assessResult, S3BENCH_EXIT, type Verdict } from './verdict.js';
