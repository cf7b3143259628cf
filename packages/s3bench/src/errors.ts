import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes of every error @fleet/s3bench throws on purpose. */
export type S3BenchErrorCode =
  | 'S3BENCH_CONFIG_INVALID'
  | 'S3BENCH_PAYLOAD_INVALID'
  | 'S3BENCH_SETUP_FAILED'
  | 'S3BENCH_REQUEST_FAILED'
  | 'S3BENCH_ABORTED'
  | 'S3BENCH_RESULT_INVALID'
  /** Two results to compare have no group name in common. */
  | 'S3BENCH_RESULT_MISMATCH';

const KIND: Readonly<Record<S3BenchErrorCode, ErrorKind>> = {
  S3BENCH_CONFIG_INVALID: 'invalid',
  S3BENCH_PAYLOAD_INVALID: 'invalid',
  S3BENCH_SETUP_FAILED: 'unavailable',
  S3BENCH_REQUEST_FAILED: 'unavailable',
  S3BENCH_ABORTED: 'internal',
  S3BENCH_RESULT_INVALID: 'invalid',
  S3BENCH_RESULT_MISMATCH: 'invalid',
};

/** Base of the errors this package throws; `code` is one of {@link S3BenchErrorCode}. */
export class S3BenchError extends FleetError {
  override name = 'S3BenchError' as const;
  declare readonly code: S3BenchErrorCode;

  constructor(code: S3BenchErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], ...options });
  }
}

/** A configuration field that is missing or out of range; `field` names it (dotted path). */
export function configError(field: string, message: string): S3BenchError {
  return new S3BenchError('S3BENCH_CONFIG_INVALID', `${field}: ${message}`, { details: { field } });
}
