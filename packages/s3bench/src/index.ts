export { S3BenchError, type S3BenchErrorCode } from './errors.js';
export {
  SigV4Signer,
  type SigV4SignerOptions,
  type SigV4Credentials,
  type SignableRequest,
  type SigV4Signature,
  UNSIGNED_PAYLOAD,
  EMPTY_SHA256,
  uriEscape,
  uriEscapePath,
  canonicalQueryString,
  toAmzDate,
  sha256Hex,
} from './sigv4.js';
export {
  S3Client,
  createS3Client,
  classifyError,
  parseListObjects,
  type S3ClientOptions,
  type S3Request,
  type S3Result,
  type ErrorKind,
  type ListPage,
} from './client.js';
export {
  resolveBenchConfig,
  parseByteSize,
  S3_OPERATIONS,
  type BenchConfig,
  type ResolvedBenchConfig,
  type WorkloadGroup,
  type ResolvedWorkloadGroup,
  type S3Operation,
  type SizeDistribution,
  type PayloadConfig,
} from './config.js';
export { createSizeSampler, createRandom } from './payload.js';
export {
  createHistogram,
  recordMicros,
  summarizeHistogram,
  encodeHistogram,
  decodeHistogram,
  type Histogram,
  type LatencySummary,
} from './histogram.js';
export { GroupRecorder, type GroupResult, type SeriesPoint } from './recorder.js';
export { runBenchmark, formatProgress, type RunOptions, type ProgressSnapshot } from './runner.js';
export { mergeResults, parseBenchResult, type BenchResult, type OverheadResult } from './result.js';
export { formatSummary } from './summary.js';
export { renderHtmlReport } from './html.js';
export {
  compareResults,
  formatComparison,
  type CompareOptions,
  type Comparison,
  type ComparisonRow,
} from './compare.js';
