import { FleetError } from './errors.js';

/** One versioned schema change: append only, never edit a released one. */
export interface SqlMigration {
  version: number;
  /** Recorded next to the version when the table keeps names. */
  name?: string;
  sql: readonly string[];
}

/** Where and how a store records the migrations it applied (same for SQLite and PostgreSQL). */
export interface MigrationTable {
  /** The bookkeeping table, e.g. `schema_migrations`. */
  table: string;
  /** The table has a `name` column (`version, name, applied_at`); else `version, applied_at`. Default true. */
  recordNames?: boolean;
}

export interface MigrationPlan extends MigrationTable {
  migrations: readonly SqlMigration[];
}

/** The `CREATE TABLE IF NOT EXISTS` of a migration table, portable between SQLite and PostgreSQL. */
export function migrationTableSql(options: MigrationTable): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.table)) {
    throw new FleetError('MIGRATION_INVALID', `migration table ${JSON.stringify(options.table)} is not a plain SQL name`);
  }
  const name = options.recordNames === false ? '' : ', name TEXT NOT NULL';
  return `CREATE TABLE IF NOT EXISTS ${options.table} (version INTEGER PRIMARY KEY${name}, applied_at TEXT NOT NULL)`;
}

/** The migrations newer than `current`, in order; versions must be positive, unique and ascending. */
export function pendingMigrations(migrations: readonly SqlMigration[], current: number): SqlMigration[] {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new FleetError('MIGRATION_INVALID', `migration versions must ascend from 1: ${m.version} follows ${previous}`);
    }
    previous = m.version;
  }
  return migrations.filter((m) => m.version > current);
}

function insertSql(options: MigrationTable, placeholders: (n: number) => string): string {
  return options.recordNames === false
    ? `INSERT INTO ${options.table} (version, applied_at) VALUES (${placeholders(1)}, ${placeholders(2)})`
    : `INSERT INTO ${options.table} (version, name, applied_at) VALUES (${placeholders(1)}, ${placeholders(2)}, ${placeholders(3)})`;
}

function insertParams(options: MigrationTable, m: SqlMigration): unknown[] {
  const at = new Date().toISOString();
  return options.recordNames === false ? [m.version, at] : [m.version, m.name ?? `version ${m.version}`, at];
}

/** What the PostgreSQL runner needs of a client: `pg`'s `PoolClient` fits. */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface PostgresMigrationPlan extends MigrationPlan {
  /** `pg_advisory_xact_lock` key(s): several servers starting at once migrate one after the other. */
  lock: readonly [number] | readonly [number, number];
}

/**
 * The PostgreSQL migration runner. Call it inside a transaction the caller opened on `client` (BEGIN …
 * COMMIT): it takes the advisory lock, creates the table, and applies and records every pending migration,
 * so a failure rolls back whole and a second server waits, then finds nothing to do. Returns the versions
 * it applied.
 */
export async function runPostgresMigrations(client: SqlQueryable, plan: PostgresMigrationPlan): Promise<number[]> {
  const lockArgs = plan.lock.length === 2 ? '$1, $2' : '$1';
  await client.query(`SELECT pg_advisory_xact_lock(${lockArgs})`, [...plan.lock]);
  await client.query(migrationTableSql(plan));
  const { rows } = await client.query(`SELECT max(version) AS v FROM ${plan.table}`);
  const current = Number((rows[0] as { v?: number | string | null } | undefined)?.v ?? 0);
  const applied: number[] = [];
  for (const m of pendingMigrations(plan.migrations, current)) {
    for (const statement of m.sql) await client.query(statement);
    await client.query(
      insertSql(plan, (n) => `$${n}`),
      insertParams(plan, m),
    );
    applied.push(m.version);
  }
  return applied;
}

/** What the SQLite runner needs of a database: `@fleet/sqlite`'s `SqliteDatabase` fits. */
export interface SqliteMigratable {
  exec(sql: string): void;
  prepare(sql: string): { get(...params: unknown[]): unknown; run(...params: unknown[]): unknown };
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
}

/**
 * The SQLite migration runner: one `BEGIN IMMEDIATE` transaction (so two processes opening the same file
 * migrate one after the other) that creates the table and applies and records every pending migration.
 * Returns the versions it applied.
 */
export function runSqliteMigrations(db: SqliteMigratable, plan: MigrationPlan): number[] {
  return db.transaction(() => {
    db.exec(migrationTableSql(plan));
    const row = db.prepare(`SELECT max(version) AS v FROM ${plan.table}`).get() as { v: number | null } | undefined;
    const applied: number[] = [];
    for (const m of pendingMigrations(plan.migrations, row?.v ?? 0)) {
      for (const statement of m.sql) db.exec(statement);
      db.prepare(insertSql(plan, () => '?')).run(...insertParams(plan, m));
      applied.push(m.version);
    }
    return applied;
  }, 'immediate');
}
