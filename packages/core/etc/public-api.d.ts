type ErrorKind = 'invalid' | 'not-found' | 'conflict' | 'unauthenticated' | 'forbidden' | 'unavailable' | 'internal';
declare const ERROR_KINDS: readonly ErrorKind[];
interface FleetErrorOptions {
    cause?: unknown;
    details?: Record<string, unknown>;
    kind?: ErrorKind;
    retryable?: boolean;
}
declare class FleetError extends Error {
    name: string;
    readonly code: string;
    readonly details: Record<string, unknown>;
    readonly kind: ErrorKind;
    readonly retryable: boolean;
    constructor(code: string, message: string, options?: FleetErrorOptions);
    toJSON(): {
        code: string;
        message: string;
        details: Record<string, unknown>;
    };
}
declare function isFleetError(value: unknown): value is FleetError;
declare class ValidationError extends FleetError {
    name: "ValidationError";
    readonly field: string;
    constructor(field: string, message: string, options?: FleetErrorOptions);
}
declare class NotFoundError extends FleetError {
    name: "NotFoundError";
    constructor(what: string, id: string, options?: FleetErrorOptions);
}
declare function errorKindOf(error: unknown): ErrorKind;
declare function isRetryable(error: unknown): boolean;
declare function httpStatusOf(error: unknown): number;
declare function kindOfHttpStatus(status: number): ErrorKind;
declare function isRetryableHttpStatus(status: number): boolean;
declare const MAX_AUTOMATIC_RETRY_AFTER_MS = 30000;
declare function parseRetryAfter(header: string | readonly string[] | undefined, now?: number): number | null;
interface HttpErrorAnswer {
    status: number;
    body?: string;
    retryAfter?: string | readonly string[] | undefined;
}
interface HttpErrorClassification {
    code: string;
    message: string;
    details: Record<string, unknown>;
    kind: ErrorKind;
    retryable: boolean;
    retryAfterMs: number | null;
}
declare function classifyHttpError(answer: HttpErrorAnswer): HttpErrorClassification;
declare function classifyNetworkError(error: unknown): {
    code: string;
    retryable: boolean;
};
declare function describeError(error: unknown): string;
declare function validateHostname(value: unknown, field?: string): string;
declare function validateFqdn(value: unknown, field?: string): string;
declare function validateDomain(value: unknown, field?: string): string;
declare function validateMac(value: unknown, field?: string): string;
declare function validateDiskPath(value: unknown, field?: string): string;
declare function validateInterfaceName(value: unknown, field?: string): string;
declare function validateIdentifier(value: unknown, field?: string): string;
declare function validateSafeText(value: unknown, field?: string, maxLength?: number): string;
declare function validateInteger(value: unknown, field: string, min: number, max: number): number;
declare function isValid<T>(validator: (value: unknown) => T, value: unknown): boolean;
type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type LogFields = Record<string, unknown>;
interface Logger {
    debug(message: string, fields?: LogFields): void;
    info(message: string, fields?: LogFields): void;
    warn(message: string, fields?: LogFields): void;
    error(message: string, fields?: LogFields): void;
}
declare const SECRET_FIELD: RegExp;
declare const REDACTED = "[redacted]";
declare function redact<T>(fields: T, depth?: number): T;
interface ConsoleLoggerOptions {
    level?: LogLevel;
    json?: boolean;
    write?: (line: string) => void;
    base?: LogFields;
}
declare function createLogger(options?: ConsoleLoggerOptions): Logger;
declare const silentLogger: Logger;
interface LogEntry {
    level: LogLevel;
    message: string;
    fields: LogFields;
}
declare function createMemoryLogger(): Logger & {
    entries: LogEntry[];
};
interface ConnectionFault {
    store: string;
    code: string;
}
interface ConnectionWatchOptions {
    store: string;
    logger?: Logger | undefined;
    onConnectionError?: ((fault: ConnectionFault) => void) | undefined;
}
interface ErrorEmitter {
    on(event: 'error', listener: (error: Error) => void): unknown;
}
interface WatchablePool {
    on(event: 'connect', listener: (client: ErrorEmitter) => void): unknown;
    on(event: 'error', listener: (error: Error) => void): unknown;
}
declare function connectionErrorCode(error: unknown): string;
declare function watchConnections(pool: WatchablePool, options: ConnectionWatchOptions): void;
declare function isDatabaseUnavailable(error: unknown): boolean;
declare class DatabaseUnavailableError extends FleetError {
    name: "DatabaseUnavailableError";
    readonly code: 'DATABASE_UNAVAILABLE';
    constructor(message: string, options?: FleetErrorOptions);
}
declare function toDatabaseUnavailable(error: unknown, store: string, outcome?: 'not-applied' | 'unknown'): unknown;
interface ExecOptions {
    stdin?: string | Uint8Array;
    timeoutMs?: number;
    env?: Record<string, string>;
    cwd?: string;
    signal?: AbortSignal;
    secrets?: readonly string[];
}
interface ExecResult {
    code: number;
    stdout: string;
    stderr: string;
    durationMs: number;
}
interface Executor {
    readonly target: string;
    run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
    close?(): Promise<void>;
}
declare class CommandFailedError extends FleetError {
    name: "CommandFailedError";
    readonly result: ExecResult;
    constructor(target: string, commandLine: string, result: ExecResult);
}
declare class CommandTimeoutError extends FleetError {
    name: "CommandTimeoutError";
    constructor(target: string, commandLine: string, timeoutMs: number);
}
declare function describeCommand(command: string, args: readonly string[], secrets?: readonly string[]): string;
declare function runChecked(executor: Executor, command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
interface BackoffOptions {
    minMs?: number;
    maxMs?: number;
    jitter?: 'full' | 'equal';
}
declare function backoffDelay(attempt: number, options?: BackoffOptions): number;
declare function sleep(ms: number, signal?: AbortSignal): Promise<void>;
interface TableColumn {
    readonly header: string;
    readonly align?: 'left' | 'right';
}
declare function formatTable(columns: ReadonlyArray<string | TableColumn>, rows: ReadonlyArray<ReadonlyArray<string>>): string;
interface SqlMigration {
    version: number;
    name?: string;
    sql: readonly string[];
}
interface MigrationTable {
    table: string;
    recordNames?: boolean;
}
interface MigrationPlan extends MigrationTable {
    migrations: readonly SqlMigration[];
}
declare function migrationTableSql(options: MigrationTable): string;
declare function pendingMigrations(migrations: readonly SqlMigration[], current: number): SqlMigration[];
interface SqlQueryable {
    query(sql: string, params?: unknown[]): Promise<{
        rows: unknown[];
    }>;
}
interface PostgresMigrationPlan extends MigrationPlan {
    lock: readonly [number] | readonly [number, number];
}
declare function runPostgresMigrations(client: SqlQueryable, plan: PostgresMigrationPlan): Promise<number[]>;
interface SqliteMigratable {
    exec(sql: string): void;
    prepare(sql: string): {
        get(...params: unknown[]): unknown;
        run(...params: unknown[]): unknown;
    };
    transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
}
declare function runSqliteMigrations(db: SqliteMigratable, plan: MigrationPlan): number[];
export { type BackoffOptions, CommandFailedError, CommandTimeoutError, type ConnectionFault, type ConnectionWatchOptions, type ConsoleLoggerOptions, DatabaseUnavailableError, ERROR_KINDS, type ErrorEmitter, type ErrorKind, type ExecOptions, type ExecResult, type Executor, FleetError, type FleetErrorOptions, type HttpErrorAnswer, type HttpErrorClassification, type LogEntry, type LogFields, type LogLevel, type Logger, MAX_AUTOMATIC_RETRY_AFTER_MS, type MigrationPlan, type MigrationTable, NotFoundError, type PostgresMigrationPlan, REDACTED, SECRET_FIELD, type SqlMigration, type SqlQueryable, type SqliteMigratable, type TableColumn, ValidationError, type WatchablePool, backoffDelay, classifyHttpError, classifyNetworkError, connectionErrorCode, createLogger, createMemoryLogger, describeCommand, describeError, errorKindOf, formatTable, httpStatusOf, isDatabaseUnavailable, isFleetError, isRetryable, isRetryableHttpStatus, isValid, kindOfHttpStatus, migrationTableSql, parseRetryAfter, pendingMigrations, redact, runChecked, runPostgresMigrations, runSqliteMigrations, silentLogger, sleep, toDatabaseUnavailable, validateDiskPath, validateDomain, validateFqdn, validateHostname, validateIdentifier, validateInteger, validateInterfaceName, validateMac, validateSafeText, watchConnections };
