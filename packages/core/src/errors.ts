/** Brand shared across duplicate installs of @fleet/core: `instanceof` breaks when two copies are loaded. */
const FLEET_ERROR_BRAND = Symbol.for('@fleet/core/FleetError');

export interface FleetErrorOptions {
  cause?: unknown;
  /** Structured, non-secret facts about the failure (the offending field, the allowed values …). */
  details?: Record<string, unknown>;
}

/**
 * Base of every error fleet throws on purpose. `code` is stable and machine-readable (`IPAM_EXHAUSTED`,
 * `VALIDATION_FAILED`); the message says what was wrong and what to do, and never contains secrets.
 */
export class FleetError extends Error {
  override name = 'FleetError';
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: FleetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, FLEET_ERROR_BRAND, { value: true, enumerable: false });
  }

  /** A plain JSON shape for HTTP bodies and `--json` output. */
  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** True for any FleetError, even one created by another copy of this package. */
export function isFleetError(value: unknown): value is FleetError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[FLEET_ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Input that failed validation. `field` names the offending input, `value` is never echoed if secret. */
export class ValidationError extends FleetError {
  override name = 'ValidationError' as const;
  readonly field: string;

  constructor(field: string, message: string, options: FleetErrorOptions = {}) {
    super('VALIDATION_FAILED', message, { ...options, details: { field, ...options.details } });
    this.field = field;
  }
}

/** Something the caller asked for does not exist. */
export class NotFoundError extends FleetError {
  override name = 'NotFoundError' as const;
  constructor(what: string, id: string, options: FleetErrorOptions = {}) {
    super('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`, {
      ...options,
      details: { what, id, ...options.details },
    });
  }
}

/** Returns a short, safe one-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (isFleetError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
