import { FleetError, type FleetErrorOptions, isFleetError } from './errors.js';
import type { Logger } from './logger.js';

/** What a store reports when the database drops one of its connections. */
export interface ConnectionFault {
  /** Which store lost it: `ipam`, `machinedb` … */
  store: string;
  /** The PostgreSQL SQLSTATE (`57P01` for an administrator's terminate) or the socket code (`ECONNRESET`). */
  code: string;
}

export interface ConnectionWatchOptions {
  /** Names the store in the log line and the fault. */
  store: string;
  /** One `warn` line per lost connection (code only: never the connection string or a query). */
  logger?: Logger | undefined;
  /** Called once per lost connection: feed a metric from it. */
  onConnectionError?: ((fault: ConnectionFault) => void) | undefined;
}

/** The part of a `pg.Client` the watcher uses: anything that emits `'error'`. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg.Pool` the watcher uses. */
export interface WatchablePool {
  on(event: 'connect', listener: (client: ErrorEmitter) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The code of a database or socket error, or `CONNECTION_LOST` when it carries none. */
export function connectionErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'CONNECTION_LOST';
}

/**
 * Makes a pool survive its database: node-postgres emits `'error'` on an idle pool client, and on a
 * checked-out client even between queries, when the server ends the connection (restart, failover,
 * `pg_terminate_backend`); with no listener that kills the process. Every client gets a listener when it
 * connects, the pool gets one too, and each lost connection is reported once. The pool drops the broken
 * client itself, so the next operation gets a fresh connection.
 */
export function watchConnections(pool: WatchablePool, options: ConnectionWatchOptions): void {
  const reported = new WeakSet<object>();
  const report = (client: object, error: Error) => {
    // One lost connection raises several events (the server's FATAL message, then the socket's end).
    if (reported.has(client)) return;
    reported.add(client);
    const fault: ConnectionFault = { store: options.store, code: connectionErrorCode(error) };
    options.logger?.warn('database connection lost; the next operation opens a new one', {
      store: fault.store,
      code: fault.code,
    });
    options.onConnectionError?.(fault);
  };
  pool.on('connect', (client) => {
    client.on('error', (error) => report(client, error));
  });
  // pg-pool re-emits an idle client's error here (with the client as second argument); the client's own
  // listener above has reported it already.
  pool.on('error', (error) => {
    const client = (error as { client?: unknown }).client;
    report(typeof client === 'object' && client !== null ? client : error, error);
  });
}

// SQLSTATE classes meaning "the database is not there right now", not "your statement is wrong":
// 08 connection exception, 57P01-57P03 admin shutdown / crash shutdown / cannot connect now, 53300 too many
// connections. Socket codes for a server that is down or restarting.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end)/;

/** True when `error` (or its cause) means the database cannot be reached, as opposed to a bad statement. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (isFleetError(e) && e.code === 'DATABASE_UNAVAILABLE') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // AggregateError (a connect to several addresses, all refused).
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The database cannot be reached (down, restarting, out of connections). HTTP answers it with 503 and
 * `Retry-After`; clients retry later. `details.outcome` is `unknown` when the connection dropped while a
 * commit was in flight (the write may or may not have been stored), otherwise `not-applied`.
 */
export class DatabaseUnavailableError extends FleetError {
  override name = 'DatabaseUnavailableError' as const;
  declare readonly code: 'DATABASE_UNAVAILABLE';
  constructor(message: string, options: FleetErrorOptions = {}) {
    super('DATABASE_UNAVAILABLE', message, { kind: 'unavailable', retryable: true, ...options });
  }
}

/**
 * `error` itself when it is not a database outage; otherwise a DatabaseUnavailableError naming the store
 * and the code (the driver's message can hold the host and user, so it is not copied).
 */
export function toDatabaseUnavailable(
  error: unknown,
  store: string,
  outcome: 'not-applied' | 'unknown' = 'not-applied',
): unknown {
  if (!isDatabaseUnavailable(error) || (isFleetError(error) && error.code === 'DATABASE_UNAVAILABLE')) return error;
  return new DatabaseUnavailableError(`the database cannot be reached (store ${store}): retry in a few seconds`, {
    cause: error,
    details: { store, reason: connectionErrorCode(error), outcome },
  });
}
