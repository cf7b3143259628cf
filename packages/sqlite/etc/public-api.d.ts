import { FleetError } from '@fleet/core';
type SqliteDriver = 'node:sqlite' | 'better-sqlite3';
interface SqliteOptions {
    busyTimeoutMs?: number;
    readonly?: boolean;
    driver?: SqliteDriver;
}
interface SqliteRunResult {
    changes: number;
    lastInsertRowid: number | bigint;
}
interface SqliteStatement<Row = unknown> {
    run(...params: unknown[]): SqliteRunResult;
    get(...params: unknown[]): Row | undefined;
    all(...params: unknown[]): Row[];
}
type SqliteTransactionMode = 'deferred' | 'immediate';
interface SqliteDatabase {
    readonly driver: SqliteDriver;
    readonly path: string;
    readonly open: boolean;
    exec(sql: string): void;
    prepare<Row = unknown>(sql: string): SqliteStatement<Row>;
    transaction<T>(fn: () => T, mode?: SqliteTransactionMode): T;
    close(): void;
}
declare function defaultSqliteDriver(nodeVersion?: string): SqliteDriver;
declare class SqliteOpenError extends FleetError {
    name: "SqliteOpenError";
}
declare function openSqlite(path: string, options?: SqliteOptions): SqliteDatabase;
export { type SqliteDatabase, type SqliteDriver, SqliteOpenError, type SqliteOptions, type SqliteRunResult, type SqliteStatement, type SqliteTransactionMode, defaultSqliteDriver, openSqlite };
