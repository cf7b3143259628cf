import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes of every error @fleet/exec throws on purpose. */
export type ExecErrorCode =
  | 'EXEC_INVALID_OPTIONS'
  | 'EXEC_INVALID_ARGUMENT'
  | 'EXEC_CONNECT_FAILED'
  | 'EXEC_HOST_KEY_UNKNOWN'
  | 'EXEC_HOST_KEY_MISMATCH'
  | 'EXEC_CONNECTION_LOST'
  | 'EXEC_ABORTED'
  | 'EXEC_CLOSED'
  | 'EXEC_UNSCRIPTED';

const KIND: Readonly<Record<ExecErrorCode, ErrorKind>> = {
  EXEC_INVALID_OPTIONS: 'invalid',
  EXEC_INVALID_ARGUMENT: 'invalid',
  EXEC_CONNECT_FAILED: 'unavailable',
  // The host is not the one known_hosts vouches for: talking to it is refused until a person checks it.
  EXEC_HOST_KEY_UNKNOWN: 'forbidden',
  EXEC_HOST_KEY_MISMATCH: 'forbidden',
  EXEC_CONNECTION_LOST: 'unavailable',
  EXEC_ABORTED: 'internal',
  EXEC_CLOSED: 'internal',
  EXEC_UNSCRIPTED: 'internal',
};

/**
 * Base of @fleet/exec errors. Timeouts and non-zero exits use the shared `CommandTimeoutError`
 * (`EXEC_TIMEOUT`) and `CommandFailedError` (`EXEC_FAILED`) from @fleet/core so callers need one check.
 */
export class ExecError extends FleetError {
  override name: string = 'ExecError';
  declare readonly code: ExecErrorCode;

  constructor(code: ExecErrorCode, message: string, options: FleetErrorOptions = {}) {
    const transient = code === 'EXEC_CONNECT_FAILED' || code === 'EXEC_CONNECTION_LOST';
    super(code, message, { kind: KIND[code], retryable: transient, ...options });
  }
}

/** The SSH server presented a key that does not match known_hosts (or was not in it). */
export class HostKeyError extends ExecError {
  override name = 'HostKeyError';
  /** `ssh-ed25519 AAAA…` as presented by the server: what to add to known_hosts after checking it out of band. */
  readonly presentedKey: string;
  /** SHA256 fingerprint in OpenSSH's form, for comparing with `ssh-keygen -lf`. */
  readonly fingerprint: string;

  constructor(
    code: 'EXEC_HOST_KEY_UNKNOWN' | 'EXEC_HOST_KEY_MISMATCH',
    message: string,
    presentedKey: string,
    fingerprint: string,
    details: Record<string, unknown>,
  ) {
    super(code, message, { details: { ...details, fingerprint } });
    this.presentedKey = presentedKey;
    this.fingerprint = fingerprint;
  }
}
