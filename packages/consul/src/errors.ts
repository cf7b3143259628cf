import { FleetError, type FleetErrorOptions, isRetryableHttpStatus, kindOfHttpStatus } from '@fleet/core';

/** Base of every error @fleet/consul throws on purpose. */
export class ConsulError extends FleetError {
  override name: string = 'ConsulError';
}

/** A Consul HTTP call failed (status, connection refused, timeout). `status` is 0 when no response came. */
export class ConsulRequestError extends ConsulError {
  override name = 'ConsulRequestError' as const;
  readonly status: number;
  constructor(operation: string, status: number, detail: string, options: FleetErrorOptions = {}) {
    super(
      'CONSUL_REQUEST_FAILED',
      status
        ? `Consul ${operation} failed with HTTP ${status}: ${detail}`
        : `Consul ${operation} failed: ${detail} (is the agent reachable?)`,
      {
        // No answer: the agent is down or restarting; an answer: classified by its status.
        kind: status ? kindOfHttpStatus(status) : 'unavailable',
        retryable: status ? isRetryableHttpStatus(status) : true,
        ...options,
        details: { operation, status, ...options.details },
      },
    );
    this.status = status;
  }
}

/** Someone else holds the lock. `holder` names them (as they wrote it when acquiring). */
export class LockHeldError extends ConsulError {
  override name = 'LockHeldError' as const;
  readonly key: string;
  readonly holder: string;
  constructor(key: string, holder: string) {
    super('CONSUL_LOCK_HELD', `lock ${key} is held by ${holder}: wait for it to finish or release it`, {
      kind: 'conflict',
      retryable: true,
      details: { key, holder },
    });
    this.key = key;
    this.holder = holder;
  }
}

/** Every slot of a semaphore is taken. */
export class SemaphoreFullError extends ConsulError {
  override name = 'SemaphoreFullError' as const;
  readonly prefix: string;
  readonly holders: string[];
  constructor(prefix: string, limit: number, holders: string[]) {
    super(
      'CONSUL_SEMAPHORE_FULL',
      `semaphore ${prefix} has all ${limit} slots taken (by ${holders.join(', ') || 'unknown holders'}): retry later`,
      { kind: 'conflict', retryable: true, details: { prefix, limit, holders } },
    );
    this.prefix = prefix;
    this.holders = holders;
  }
}

/** A check-and-set update kept losing to concurrent writers. */
export class CasConflictError extends ConsulError {
  override name = 'CasConflictError' as const;
  constructor(key: string, attempts: number) {
    super('CONSUL_CAS_CONFLICT', `key ${key} changed under us ${attempts} times in a row: retry the update`, {
      kind: 'conflict',
      retryable: true,
      details: { key, attempts },
    });
  }
}

/** A KV value was not the JSON we expected. */
export class ConsulValueError extends ConsulError {
  override name = 'ConsulValueError' as const;
  constructor(key: string, reason: string) {
    super('CONSUL_BAD_VALUE', `value of key ${key} is not valid: ${reason}`, { kind: 'internal', details: { key } });
  }
}

interface PapiLikeError {
  message?: string;
  statusCode?: number;
  isTimeout?: boolean;
  isAbort?: boolean;
  code?: string;
}

/** Wraps whatever the `consul` client threw into a ConsulRequestError (never echoing tokens). */
export function toConsulError(operation: string, error: unknown): ConsulError {
  if (error instanceof ConsulError) return error;
  const e = (error ?? {}) as PapiLikeError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const message = String(e.message ?? error).replace(/^consul: [a-z.]+: /, '');
  return new ConsulRequestError(operation, status, message, { cause: error });
}
