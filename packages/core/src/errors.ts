/** Brand shared across duplicate installs of @fleet/core: `instanceof` breaks when two copies are loaded. */
const FLEET_ERROR_BRAND = Symbol.for('@fleet/core/FleetError');

/**
 * What kind of failure an error is, set where it is raised. HTTP status ({@link httpStatusOf}), the CLI's exit
 * code and a client's retry decision are derived from it, never guessed from `code`:
 * - `invalid`: the caller's input (a request body, a flag, a file) breaks a rule; fix the input.
 * - `not-found`: the thing asked for does not exist.
 * - `conflict`: the request is valid but the current state refuses it (a lock is held, an illegal transition,
 *   a stale version, a pool is exhausted).
 * - `unauthenticated` / `forbidden`: no valid credentials / credentials without the right.
 * - `unavailable`: something needed cannot be reached now (a server, a database, a node, a tool).
 * - `internal`: anything else, including bugs and answers that make no sense.
 */
export type ErrorKind =
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'unavailable'
  | 'internal';

/** Every {@link ErrorKind}, for checks and tables. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'invalid',
  'not-found',
  'conflict',
  'unauthenticated',
  'forbidden',
  'unavailable',
  'internal',
];

export interface FleetErrorOptions {
  cause?: unknown;
  /** Structured, non-secret facts about the failure (the offending field, the allowed values …). */
  details?: Record<string, unknown>;
  /** The classification; each subclass has a default, the base class `internal`. */
  kind?: ErrorKind;
  /** True when the same call may succeed if repeated unchanged later (a restart, a lock released). Default false. */
  retryable?: boolean;
}

/**
 * Base of every error fleet throws on purpose. `code` is stable and machine-readable (`IPAM_EXHAUSTED`,
 * `VALIDATION_FAILED`); the message says what was wrong and what to do, and never contains secrets.
 */
export class FleetError extends Error {
  override name = 'FleetError';
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** The classification, set where the error was raised: see {@link ErrorKind}. */
  readonly kind: ErrorKind;
  /** Whether repeating the same call unchanged may succeed (the MachineDB client retries idempotent calls then). */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: FleetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.kind = options.kind ?? 'internal';
    this.retryable = options.retryable ?? false;
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
    super('VALIDATION_FAILED', message, { kind: 'invalid', ...options, details: { field, ...options.details } });
    this.field = field;
  }
}

/** Something the caller asked for does not exist. */
export class NotFoundError extends FleetError {
  override name = 'NotFoundError' as const;
  constructor(what: string, id: string, options: FleetErrorOptions = {}) {
    super('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist`, {
      kind: 'not-found',
      ...options,
      details: { what, id, ...options.details },
    });
  }
}

/**
 * The kind of any thrown value: a FleetError's own `kind`; `internal` for anything else (and for a
 * FleetError from an older copy of this package that had no kind).
 */
export function errorKindOf(error: unknown): ErrorKind {
  if (!isFleetError(error)) return 'internal';
  const kind = (error as { kind?: unknown }).kind;
  return typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind) ? (kind as ErrorKind) : 'internal';
}

/** True when a FleetError says the same call may succeed later; false for anything else. */
export function isRetryable(error: unknown): boolean {
  return isFleetError(error) && (error as { retryable?: unknown }).retryable === true;
}

const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

/** The HTTP status an error is answered with, from its kind (500 for anything that is not a FleetError). */
export function httpStatusOf(error: unknown): number {
  return HTTP_STATUS[errorKindOf(error)];
}

/**
 * The kind of an HTTP error answer, for clients that turn a response into a FleetError: 4xx by meaning
 * (412/428 are conflicts, 429 is `unavailable`), 502/503/504 `unavailable`, any other status `internal`.
 */
export function kindOfHttpStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 412 || status === 428) return 'conflict';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'internal';
}

/**
 * Whether an HTTP error answer may be retried unchanged by a client on its own: 502, 503, 504. A 429 is not:
 * its wait can be minutes (failed logins), which the caller, not a backoff loop, should decide to sit out.
 */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/** The longest `Retry-After` a client sits out on its own for a 429 (longer waits are the caller's decision). */
export const MAX_AUTOMATIC_RETRY_AFTER_MS = 30_000;

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (against `now`), capped at 5 minutes; null when
 * absent or unreadable.
 */
export function parseRetryAfter(
  header: string | readonly string[] | undefined,
  now: number = Date.now(),
): number | null {
  const value = (typeof header === 'string' ? header : header?.[0])?.trim();
  if (value === undefined || value === '') return null;
  // delta-seconds, or an HTTP date (it names a day and month); anything else is unreadable.
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : /[a-z]/i.test(value) ? Date.parse(value) - now : Number.NaN;
  return Number.isFinite(ms) ? Math.min(300_000, Math.max(0, Math.round(ms))) : null;
}

/** An HTTP error answer as a client received it. */
export interface HttpErrorAnswer {
  /** The status, 400 or more. */
  status: number;
  /** The body text: fleet servers answer JSON `{ code, message, details }`, anything else is kept as text. */
  body?: string;
  /** The `Retry-After` header, as received. */
  retryAfter?: string | readonly string[] | undefined;
}

/** What an HTTP error answer means: the fields a client's FleetError is built from. */
export interface HttpErrorClassification {
  /** The server's stable code, or `HTTP_<status>` when the body carries none. */
  code: string;
  /** The server's message, or the first 200 characters of the body, or `HTTP <status>`. */
  message: string;
  /** The server's `details` object; `{}` when none. */
  details: Record<string, unknown>;
  kind: ErrorKind;
  /**
   * 502/503/504; and 429 when `Retry-After` asks for at most {@link MAX_AUTOMATIC_RETRY_AFTER_MS} (a longer or no
   * wait, such as failed-login lockouts, is for the caller to sit out, not a backoff loop).
   */
  retryable: boolean;
  /** The wait `Retry-After` asked for, null when none. A retry never comes sooner. */
  retryAfterMs: number | null;
}

/**
 * Reads an HTTP error answer the one way every fleet HTTP client does (MachineDB, IPAM): the server's
 * `{ code, message, details }` when the body is that JSON, `kind` from the status ({@link kindOfHttpStatus}),
 * and whether an idempotent call may be repeated unchanged (`retryable`, honouring `Retry-After`).
 */
export function classifyHttpError(answer: HttpErrorAnswer): HttpErrorClassification {
  const { status } = answer;
  const text = answer.body ?? '';
  let code = `HTTP_${status}`;
  let message = text.slice(0, 200) || `HTTP ${status}`;
  let details: Record<string, unknown> = {};
  try {
    const b = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown } | null;
    if (typeof b === 'object' && b !== null) {
      if (typeof b.code === 'string' && b.code !== '') code = b.code;
      if (typeof b.message === 'string') message = b.message;
      if (typeof b.details === 'object' && b.details !== null && !Array.isArray(b.details)) {
        details = b.details as Record<string, unknown>;
      }
    }
  } catch {
    // not JSON: keep the text
  }
  const retryAfterMs = parseRetryAfter(answer.retryAfter);
  const retryable =
    isRetryableHttpStatus(status) ||
    (status === 429 && retryAfterMs !== null && retryAfterMs <= MAX_AUTOMATIC_RETRY_AFTER_MS);
  return { code, message, details, kind: kindOfHttpStatus(status), retryable, retryAfterMs };
}

// Socket and undici codes of a server that is restarting or a connection that broke: the same request may get
// through later. A wrong host name (ENOTFOUND) or a refused TLS handshake does not heal by itself.
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * A request that got no answer (a thrown socket or undici error), read the one way every fleet HTTP client does:
 * `code` is the first string `code` on the error or its causes (`unknown` when none), `retryable` whether a
 * restarting server or a broken connection explains it.
 */
export function classifyNetworkError(error: unknown): { code: string; retryable: boolean } {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return { code, retryable: RETRYABLE_NETWORK_CODES.has(code) };
    e = (e as { cause?: unknown }).cause;
  }
  return { code: 'unknown', retryable: false };
}

/** Returns a short, safe one-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (isFleetError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
