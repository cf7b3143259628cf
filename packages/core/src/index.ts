export {
  ERROR_KINDS,
  type ErrorKind,
  FleetError,
  type FleetErrorOptions,
  errorKindOf,
  httpStatusOf,
  isFleetError,
  isRetryable,
  isRetryableHttpStatus,
  kindOfHttpStatus,
  ValidationError,
  NotFoundError,
  describeError,
} from './errors.js';
export {
  validateHostname,
  validateFqdn,
  validateDomain,
  validateMac,
  validateDiskPath,
  validateIdentifier,
  validateInterfaceName,
  validateSafeText,
  validateInteger,
  isValid,
} from './validate.js';
export {
  type Logger,
  type LogLevel,
  type LogFields,
  type LogEntry,
  type ConsoleLoggerOptions,
  SECRET_FIELD,
  REDACTED,
  redact,
  createLogger,
  createMemoryLogger,
  silentLogger,
} from './logger.js';
export {
  type ConnectionFault,
  type ConnectionWatchOptions,
  connectionErrorCode,
  DatabaseUnavailableError,
  type ErrorEmitter,
  isDatabaseUnavailable,
  toDatabaseUnavailable,
  type WatchablePool,
  watchConnections,
} from './database.js';
export {
  type Executor,
  type ExecOptions,
  type ExecResult,
  CommandFailedError,
  CommandTimeoutError,
  describeCommand,
  runChecked,
} from './executor.js';
export { type BackoffOptions, backoffDelay, sleep } from './timing.js';
export { type TableColumn, formatTable } from './table.js';
export {
  type MigrationPlan,
  type MigrationTable,
  type PostgresMigrationPlan,
  type SqlMigration,
  type SqlQueryable,
  type SqliteMigratable,
  migrationTableSql,
  pendingMigrations,
  runPostgresMigrations,
  runSqliteMigrations,
} from './migrations.js';
