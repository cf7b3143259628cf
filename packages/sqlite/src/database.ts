import { createRequire } from 'node:module';
import { FleetError } from '@fleet/core';

/** Which SQLite binding a database runs on. */
export type SqliteDriver = 'node:sqlite' | 'better-sqlite3';

export interface SqliteOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
  /** Open read-only (the file must exist). */
  readonly?: boolean;
  /** Force a driver; the default is {@link defaultSqliteDriver} for the running Node.js. */
  driver?: SqliteDriver;
}

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement. Parameters are positional (`?`) or one object for named ones (`@name`, `:name`). */
export interface SqliteStatement<Row = unknown> {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
}

export type SqliteTransactionMode = 'deferred' | 'immediate';

export interface SqliteDatabase {
  readonly driver: SqliteDriver;
  readonly path: string;
  /** False once {@link SqliteDatabase.close} ran. */
  readonly open: boolean;
  exec(sql: string): void;
  prepare<Row = unknown>(sql: string): SqliteStatement<Row>;
  /**
   * Runs `fn` between BEGIN and COMMIT (ROLLBACK when it throws). Synchronous on purpose: nothing else on this
   * connection runs in between. Nested calls become savepoints, as with better-sqlite3's `transaction()`.
   */
  transaction<T>(fn: () => T, mode?: SqliteTransactionMode): T;
  close(): void;
}

/**
 * The driver for a Node.js version. Node 24 has `node:sqlite` built in; better-sqlite3 12 (a native addon
 * deriving from `node::ObjectWrap`) aborts Node 24.19+ when the garbage collector frees a statement
 * (`Assertion failed: (env) != nullptr` in `RemoveEnvironmentCleanupHook`, nodejs/node#65446), and
 * better-sqlite3 13 no longer runs on Node 20. So: `node:sqlite` from Node 24 on, better-sqlite3 before.
 */
export function defaultSqliteDriver(nodeVersion: string = process.versions.node): SqliteDriver {
  const major = Number(nodeVersion.split('.')[0]);
  return major >= 24 ? 'node:sqlite' : 'better-sqlite3';
}

/** Thrown when a database cannot be opened or a driver is not available. */
export class SqliteOpenError extends FleetError {
  override name = 'SqliteOpenError' as const;
}

const require = createRequire(import.meta.url);

/** The part of node:sqlite used here (`@types/node` 20 has no types for it). */
interface NodeSqliteStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (
    path: string,
    options?: { readOnly?: boolean; timeout?: number; enableForeignKeyConstraints?: boolean },
  ) => NodeSqliteDatabase;
}

/** The SQLite result-code names better-sqlite3 reports as `error.code`, for node:sqlite's numeric `errcode`. */
const RESULT_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
  26: 'SQLITE_NOTADB',
  275: 'SQLITE_CONSTRAINT_CHECK',
  517: 'SQLITE_BUSY_SNAPSHOT',
  787: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  1299: 'SQLITE_CONSTRAINT_NOTNULL',
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  2067: 'SQLITE_CONSTRAINT_UNIQUE',
};

/**
 * Gives a node:sqlite error the `code` better-sqlite3 would have given it (`SQLITE_CONSTRAINT_UNIQUE`, ...), so
 * callers test one vocabulary whatever the driver. The message and stack stay as they are.
 */
function normalizeError(error: unknown): unknown {
  const e = error as { code?: unknown; errcode?: unknown } | null;
  if (e && typeof e === 'object' && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const name = RESULT_CODES[e.errcode] ?? RESULT_CODES[e.errcode & 0xff] ?? `SQLITE_${e.errcode}`;
    Object.defineProperty(e, 'code', { value: name, configurable: true, enumerable: true, writable: true });
  }
  return error;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw normalizeError(error);
  }
}

interface Binding {
  exec(sql: string): void;
  prepare<Row>(sql: string): SqliteStatement<Row>;
  close(): void;
}

function openNodeSqlite(path: string, options: Required<Pick<SqliteOptions, 'busyTimeoutMs' | 'readonly'>>): Binding {
  const { DatabaseSync } = require('node:sqlite') as NodeSqliteModule;
  // Foreign keys are set by each store's own PRAGMA, as with better-sqlite3 (whose default is off).
  const db = new DatabaseSync(path, {
    readOnly: options.readonly,
    timeout: options.busyTimeoutMs,
    enableForeignKeyConstraints: false,
  });
  return {
    exec: (sql) => guard(() => db.exec(sql)),
    prepare<Row>(sql: string): SqliteStatement<Row> {
      const s = guard(() => db.prepare(sql));
      return {
        run: (...params) =>
          guard(() => {
            const r = s.run(...params);
            return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
          }),
        get: (...params) => guard(() => s.get(...params) as Row | undefined),
        all: (...params) => guard(() => s.all(...params) as Row[]),
      };
    },
    close: () => db.close(),
  };
}

function openBetterSqlite(
  path: string,
  options: Required<Pick<SqliteOptions, 'busyTimeoutMs' | 'readonly'>>,
): Binding {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: options.readonly, timeout: options.busyTimeoutMs });
  return {
    exec: (sql) => {
      db.exec(sql);
    },
    prepare: <Row>(sql: string) => db.prepare(sql) as unknown as SqliteStatement<Row>,
    close: () => db.close(),
  };
}

/**
 * Opens (or creates) a SQLite database on the driver for this Node.js. Errors opening it are a
 * {@link SqliteOpenError} (`SQLITE_OPEN_FAILED`) naming the file.
 */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteDatabase {
  const driver = options.driver ?? defaultSqliteDriver();
  const resolved = { busyTimeoutMs: options.busyTimeoutMs ?? 5000, readonly: options.readonly ?? false };
  let binding: Binding;
  try {
    binding = driver === 'node:sqlite' ? openNodeSqlite(path, resolved) : openBetterSqlite(path, resolved);
  } catch (error) {
    throw new SqliteOpenError(
      'SQLITE_OPEN_FAILED',
      `cannot open SQLite database ${path} (${driver}): ${(normalizeError(error) as Error).message}`,
      { cause: error, details: { path, driver } },
    );
  }
  let open = true;
  let depth = 0;
  return {
    driver,
    path,
    get open() {
      return open;
    },
    exec: (sql) => binding.exec(sql),
    prepare: (sql) => binding.prepare(sql),
    transaction<T>(fn: () => T, mode: SqliteTransactionMode = 'deferred'): T {
      const savepoint = depth > 0 ? `fleet_sp_${depth}` : null;
      binding.exec(savepoint ? `SAVEPOINT ${savepoint}` : mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      depth += 1;
      try {
        const result = fn();
        if (result instanceof Promise) throw new TypeError('a SQLite transaction function must not be async');
        binding.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        try {
          binding.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        } catch {
          // SQLite may already have rolled the transaction back (e.g. SQLITE_FULL); the first error is the one to report.
        }
        throw error;
      } finally {
        depth -= 1;
      }
    },
    close() {
      if (!open) return;
      open = false;
      binding.close();
    },
  };
}
