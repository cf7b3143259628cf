import { FleetError, type FleetErrorOptions } from '@fleet/core';
import { MACHINEDB_ERROR_STATUS, type MachineDbErrorCode, type NodeState } from '@fleet/machinedb-contract';

/** Base of every error the MachineDB server throws on purpose; `status` is the HTTP status it maps to. */
export class MachineDbError extends FleetError {
  override name = 'MachineDbError';
  override readonly code: MachineDbErrorCode;
  readonly status: number;
  constructor(code: MachineDbErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, options);
    this.code = code;
    this.status = MACHINEDB_ERROR_STATUS[code];
  }
}

/** A lifecycle move the transition table does not allow: names the current state and the allowed ones. */
export class IllegalTransitionError extends MachineDbError {
  override name = 'IllegalTransitionError' as const;
  constructor(nodeId: string, from: NodeState, to: NodeState, allowed: readonly NodeState[]) {
    super(
      'ILLEGAL_TRANSITION',
      `node ${nodeId} is ${from} and cannot move to ${to}; allowed from ${from}: ${allowed.join(', ') || 'none'}`,
      { details: { nodeId, current: from, requested: to, allowed: [...allowed] } },
    );
  }
}

export class NodeNotFoundError extends MachineDbError {
  override name = 'NodeNotFoundError' as const;
  constructor(nodeId: string) {
    super('NODE_NOT_FOUND', `node ${JSON.stringify(nodeId)} does not exist: list nodes to find its id`, {
      details: { nodeId },
    });
  }
}

/** `If-Match` named a version that is no longer current: someone else changed the node first. */
export class PreconditionFailedError extends MachineDbError {
  override name = 'PreconditionFailedError' as const;
  constructor(nodeId: string, expected: number, current: number) {
    super(
      'PRECONDITION_FAILED',
      `node ${nodeId} is at version ${current}, not ${expected}: reload it and apply your change again`,
      { details: { nodeId, expectedVersion: expected, currentVersion: current } },
    );
  }
}

export class AuthError extends MachineDbError {
  override name = 'AuthError' as const;
}

/** Input that passed the schema but breaks a rule (unknown disk, bad address). `details.field` names it. */
export function invalidInput(field: string, message: string, details: Record<string, unknown> = {}): MachineDbError {
  return new MachineDbError('VALIDATION_FAILED', message, { details: { field, ...details } });
}

/** A unique key (node identity, user name, id) already exists in the store. */
export class StoreConflictError extends MachineDbError {
  override name = 'StoreConflictError' as const;
  constructor(what: string, key: string) {
    super('CONFLICT', `${what} ${JSON.stringify(key)} already exists`, { details: { what, key } });
  }
}
