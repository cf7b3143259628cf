import { FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes for the errors netcheck throws (check outcomes are results, not errors). */
export type NetcheckErrorCode =
  | 'NETCHECK_TOOL_FAILED'
  | 'NETCHECK_PARSE_FAILED'
  | 'NETCHECK_PROBE_FAILED';

/** Base of every error thrown by @fleet/netcheck: a tool could not be run or its output not understood. */
export class NetcheckError extends FleetError {
  override name = 'NetcheckError' as const;
  declare readonly code: NetcheckErrorCode;
  constructor(code: NetcheckErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, options);
  }
}
