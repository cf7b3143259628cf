import { describe, expect, it } from 'vitest';
import { migrationTableSql, pendingMigrations } from '../src/index.js';

// The runners themselves run against real databases: packages/sqlite/test/migrations.test.ts (SQLite) and
// packages/ipam/test/migrations.integ.test.ts (PostgreSQL).
describe('migration helpers', () => {
  it('creates the bookkeeping table with or without names', () => {
    expect(migrationTableSql({ table: 'schema_migrations', recordNames: false })).toBe(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    expect(migrationTableSql({ table: 'ipam_schema_migrations' })).toBe(
      'CREATE TABLE IF NOT EXISTS ipam_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    expect(() => migrationTableSql({ table: 'x; DROP TABLE nodes' })).toThrow(/not a plain SQL name/);
  });

  it('returns the pending migrations in order and refuses versions that do not ascend', () => {
    const list = [1, 2, 3].map((version) => ({ version, sql: [] }));
    expect(pendingMigrations(list, 1).map((m) => m.version)).toEqual([2, 3]);
    expect(pendingMigrations(list, 3)).toEqual([]);
    expect(() => pendingMigrations([{ version: 2, sql: [] }, { version: 2, sql: [] }], 0)).toThrow(/must ascend/);
    expect(() => pendingMigrations([{ version: 0, sql: [] }], 0)).toThrow(/must ascend/);
  });
});
