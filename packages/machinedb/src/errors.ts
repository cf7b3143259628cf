import { FleetError, type FleetErrorOptions, httpStatusOf, isRetryableHttpStatus, kindOfHttpStatus } from '@fleet/core';
import { MACHINEDB_ERROR_STATUS, type MachineDbErrorCode, type NodeState } from '@fleet/machinedb-contract';

/**
 * Base of every error the MachineDB server throws on purpose. `status` is the HTTP status the API contract
 * gives its code (`MACHINEDB_ERROR_STATUS`); `kind` and `retryable` follow from that status, so the contract's
 * finer statuses (412, 428, 429) stay within their kind. Named apart from the client's `MachineDbError`
 * (an answer or failure seen by a caller), which is a different class.
 */
export class MachineDbServerError extends FleetError {
  override name = 'MachineDbServerError';
  override readonly code: MachineDbErrorCode;
  readonly status: number;
  constructor(code: MachineDbErrorCode, message: string, options: FleetErrorOptions = {}) {
    const status = MACHINEDB_ERROR_STATUS[code];
    super(code, message, { kind: kindOfHttpStatus(status), retryable: isRetryableHttpStatus(status), ...options });
    this.code = code;
    this.status = status;
  }
}

/**
 * The server-side MachineDB error class under its old name, the same as the client's `MachineDbError`.
 * @deprecated Use `MachineDbServerError`; this alias goes in the next minor version.
 */
export const MachineDbError = MachineDbServerError;
/** @deprecated Use `MachineDbServerError`; this alias goes in the next minor version. */
export type MachineDbError = MachineDbServerError;

/**
 * The HTTP status for anything a route throws: the contract's status for a MachineDB code, otherwise the
 * status of the error's kind (`httpStatusOf` of @fleet/core: 400 invalid, 404 not-found, 503 unavailable …).
 */
export function httpStatusOfError(error: unknown): number {
  return error instanceof MachineDbServerError ? error.status : httpStatusOf(error);
}

/** A lifecycle move the transition table does not allow: names the current state and the allowed ones. */
export class IllegalTransitionError extends MachineDbServerError {
  override name = 'IllegalTransitionError' as const;
  constructor(nodeId: string, from: NodeState, to: NodeState, allowed: readonly NodeState[]) {
    super(
      'ILLEGAL_TRANSITION',
      `node ${nodeId} is ${from} and cannot move to ${to}; allowed from ${from}: ${allowed.join(', ') || 'none'}`,
      { details: { nodeId, current: from, requested: to, allowed: [...allowed] } },
    );
  }
}

export class NodeNotFoundError extends MachineDbServerError {
  override name = 'NodeNotFoundError' as const;
  constructor(nodeId: string) {
    super('NODE_NOT_FOUND', `node ${JSON.stringify(nodeId)} does not exist: list nodes to find its id`, {
      details: { nodeId },
    });
  }
}

/** `If-Match` named a version that is no longer current: someone else changed the node first. */
export class PreconditionFailedError extends MachineDbServerError {
  override name = 'PreconditionFailedError' as const;
  constructor(nodeId: string, expected: number, current: number) {
    super(
      'PRECONDITION_FAILED',
      `node ${nodeId} is at version ${current}, not ${expected}: reload it and apply your change again`,
      { details: { nodeId, expectedVersion: expected, currentVersion: current } },
    );
  }
}

export class AuthError extends MachineDbServerError {
  override name = 'AuthError' as const;
}

/** Input that passed the schema but breaks a rule (unknown disk, bad address). `details.field` names it. */
export function invalidInput(field: string, message: string, details: Record<string, unknown> = {}): MachineDbServerError {
  return new MachineDbServerError('VALIDATION_FAILED', message, { details: { field, ...details } });
}

/** A unique key (node identity, user name, id) already exists in the store. */
export class StoreConflictError extends MachineDbServerError {
  override name = 'StoreConflictError' as const;
  constructor(what: string, key: string) {
    super('CONFLICT', `${what} ${JSON.stringify(key)} already exists`, { details: { what, key } });
  }
}
