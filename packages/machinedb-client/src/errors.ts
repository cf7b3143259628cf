import { classifyHttpError, FleetError, type FleetErrorOptions } from '@fleet/core';

/**
 * An error from the MachineDB API or on the way to it. `code` is the server's stable code
 * (`NODE_NOT_FOUND`, `ILLEGAL_TRANSITION`, …) or one of the client's own: `MACHINEDB_UNREACHABLE`,
 * `MACHINEDB_TIMEOUT`, `MACHINEDB_BAD_RESPONSE`, `MACHINEDB_ABORTED`. `status` is 0 when no response came.
 * An answer's `kind` and `retryable` are core's `classifyHttpError` of it (404 `not-found`, 503 `unavailable` and
 * retryable …); the client's own codes set theirs where they are raised. Messages never contain the token.
 */
export class MachineDbError extends FleetError {
  override name = 'MachineDbError' as const;
  readonly status: number;
  readonly operation: string;

  constructor(
    code: string,
    status: number,
    operation: string,
    message: string,
    options: FleetErrorOptions = {},
  ) {
    const answer = status >= 400 ? classifyHttpError({ status }) : undefined;
    super(code, message, {
      kind: answer?.kind ?? 'internal',
      retryable: answer?.retryable ?? false,
      ...options,
      details: { operation, status, ...options.details },
    });
    this.status = status;
    this.operation = operation;
  }
}

/** Options validation or agent misuse (not an HTTP error). */
export class MachineDbClientError extends FleetError {
  override name = 'MachineDbClientError' as const;
}
