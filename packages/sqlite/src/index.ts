export {
  type SqliteDriver,
  type SqliteOptions,
  type SqliteRunResult,
  type SqliteStatement,
  type SqliteTransactionMode,
  type SqliteDatabase,
  SqliteOpenError,
  defaultSqliteDriver,
  openSqlite,
} from './database.js';
