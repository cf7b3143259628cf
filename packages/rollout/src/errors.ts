import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/**
 * Stable codes of everything @fleet/rollout throws on purpose. Validation of options uses the shared
 * `VALIDATION_FAILED` (ValidationError from @fleet/core).
 */
export type RolloutErrorCode =
  | 'ROLLOUT_LOCKED'
  | 'ROLLOUT_HALTED'
  | 'ROLLOUT_PLAN_MISMATCH'
  | 'ROLLOUT_NO_TARGETS'
  | 'ROLLOUT_STEP_FAILED'
  | 'ROLLOUT_REBOOT_TIMEOUT'
  | 'ROLLOUT_CHECK_FAILED'
  | 'ROLLOUT_STORE_FAILED';

const KIND: Readonly<Record<RolloutErrorCode, ErrorKind>> = {
  ROLLOUT_LOCKED: 'conflict',
  ROLLOUT_HALTED: 'conflict',
  ROLLOUT_PLAN_MISMATCH: 'conflict',
  ROLLOUT_NO_TARGETS: 'invalid',
  ROLLOUT_STEP_FAILED: 'internal',
  ROLLOUT_REBOOT_TIMEOUT: 'unavailable',
  ROLLOUT_CHECK_FAILED: 'internal',
  ROLLOUT_STORE_FAILED: 'internal',
};

/** Base class of @fleet/rollout errors; `code` is one of RolloutErrorCode. */
export class RolloutError extends FleetError {
  override name = 'RolloutError';
  declare readonly code: RolloutErrorCode;

  constructor(code: RolloutErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], retryable: code === 'ROLLOUT_LOCKED', ...options });
  }
}

/** Another rollout of the same cluster holds the lock. `holder` names it (user@host, pid, start time). */
export class RolloutLockedError extends RolloutError {
  override name = 'RolloutLockedError' as const;
  readonly cluster: string;
  readonly holder: string;

  constructor(cluster: string, holder: string, options: FleetErrorOptions = {}) {
    super(
      'ROLLOUT_LOCKED',
      `a rollout of cluster ${JSON.stringify(cluster)} is already running (held by ${holder}): ` +
        'wait for it to finish or halt it with `fleet rollout halt`',
      { ...options, details: { cluster, holder, ...options.details } },
    );
    this.cluster = cluster;
    this.holder = holder;
  }
}

/** A node step failed: which node, which step, and why (the command's exit code or the check). */
export class RolloutStepError extends RolloutError {
  override name = 'RolloutStepError' as const;
  readonly node: string;
  readonly step: string;

  constructor(code: RolloutErrorCode, node: string, step: string, message: string, options: FleetErrorOptions = {}) {
    super(code, `${node}: ${step}: ${message}`, { ...options, details: { node, step, ...options.details } });
    this.node = node;
    this.step = step;
  }
}
