import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'COMPARE_DEFAULTS',
        'EMPTY_SHA256',
        'GroupRecorder',
        'S3BenchError',
        'S3Client',
        'S3_OPERATIONS',
        'S3BENCH_EXIT',
        'assessResult',
        'SigV4Signer',
        'UNSIGNED_PAYLOAD',
        'canonicalQueryString',
        'classifyError',
        'compareResults',
        'createHistogram',
        'createRandom',
        'createS3Client',
        'createSizeSampler',
        'decodeHistogram',
        'encodeHistogram',
        'formatComparison',
        'formatProgress',
        'formatSummary',
        'mergeResults',
        'parseBenchResult',
        'parseByteSize',
        'parseListObjects',
        'recordMicros',
        'renderHtmlReport',
        'resolveBenchConfig',
        'runBenchmark',
        'sha256Hex',
        'summarizeHistogram',
        'toAmzDate',
        'uriEscape',
        'uriEscapePath',
      ].sort(),
    );
  });

  it('throws coded errors recognisable across copies of @fleet/core', async () => {
    const { isFleetError } = await import('@fleet/core');
    let error: unknown;
    try {
      api.resolveBenchConfig({ endpoint: 'http://h:1', bucket: 'b!', groups: [] });
    } catch (e) {
      error = e;
    }
    expect(isFleetError(error)).toBe(true);
    expect(error).toBeInstanceOf(api.S3BenchError);
    expect((error as api.S3BenchError).message).toContain('"b!"');
  });
});
