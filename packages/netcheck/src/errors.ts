import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes for the errors netcheck throws (check outcomes are results, not errors). */
export type NetcheckErrorCode =
  | 'NETCHECK_TOOL_FAILED'
  | 'NETCHECK_PARSE_FAILED'
  | 'NETCHECK_PROBE_FAILED';

const KIND: Readonly<Record<NetcheckErrorCode, ErrorKind>> = {
  // A tool is missing, lacks privileges or cannot reach its target: not the caller's input.
  NETCHECK_TOOL_FAILED: 'unavailable',
  NETCHECK_PARSE_FAILED: 'internal',
  NETCHECK_PROBE_FAILED: 'unavailable',
};

/** Base of every error thrown by @fleet/netcheck: a tool could not be run or its output not understood. */
export class NetcheckError extends FleetError {
  override name = 'NetcheckError' as const;
  declare readonly code: NetcheckErrorCode;
  constructor(code: NetcheckErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], ...options });
  }
}
