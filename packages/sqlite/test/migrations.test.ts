import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSqliteMigrations, type SqlMigration } from '@fleet/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../src/index.js';

// The SQLite migration runner of @fleet/core (used by the IPAM and MachineDB stores) on a real database file.
let dir: string;
const open: SqliteDatabase[] = [];
const db = () => {
  const d = openSqlite(join(dir, 'm.db'));
  open.push(d);
  return d;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-migrations-'));
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
  rmSync(dir, { recursive: true, force: true });
});

const v1: SqlMigration = { version: 1, name: 'things', sql: ['CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)'] };
const v2: SqlMigration = { version: 2, name: 'colour', sql: ['ALTER TABLE things ADD COLUMN colour TEXT'] };

describe('runSqliteMigrations', () => {
  it('applies what is pending, records it, and does nothing the second time', () => {
    const a = db();
    expect(runSqliteMigrations(a, { table: 'app_migrations', migrations: [v1] })).toEqual([1]);
    a.prepare('INSERT INTO things (name) VALUES (?)').run('kept');
    expect(runSqliteMigrations(a, { table: 'app_migrations', migrations: [v1, v2] })).toEqual([2]);
    expect(runSqliteMigrations(db(), { table: 'app_migrations', migrations: [v1, v2] })).toEqual([]);
    expect(a.prepare('SELECT version, name FROM app_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'things' },
      { version: 2, name: 'colour' },
    ]);
    expect(a.prepare('SELECT name, colour FROM things').all()).toEqual([{ name: 'kept', colour: null }]);
  });

  it('keeps the older table shape without names (MachineDB schema_migrations)', () => {
    const a = db();
    a.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    a.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, ?)').run('2026-01-01T00:00:00.000Z');
    a.exec(v1.sql[0]!);
    expect(runSqliteMigrations(a, { table: 'schema_migrations', recordNames: false, migrations: [v1, v2] })).toEqual([2]);
    expect(a.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('rolls a failing migration back whole: nothing of it and no record stays', () => {
    const a = db();
    runSqliteMigrations(a, { table: 'app_migrations', migrations: [v1] });
    const broken: SqlMigration = { version: 2, sql: ['CREATE TABLE half (id INTEGER)', 'THIS IS NOT SQL'] };
    expect(() => runSqliteMigrations(a, { table: 'app_migrations', migrations: [v1, broken] })).toThrow();
    expect(a.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    expect(a.prepare('SELECT max(version) AS v FROM app_migrations').get()).toEqual({ v: 1 });
  });
});
