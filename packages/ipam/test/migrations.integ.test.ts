import { type PostgresMigrationPlan, runPostgresMigrations, type SqlMigration } from '@fleet/core';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

// The PostgreSQL migration runner of @fleet/core (used by the IPAM and MachineDB stores) on real PostgreSQL.
const v1: SqlMigration = { version: 1, name: 'things', sql: ['CREATE TABLE things (id BIGSERIAL PRIMARY KEY, name TEXT)'] };
const v2: SqlMigration = { version: 2, name: 'colour', sql: ['ALTER TABLE things ADD COLUMN colour TEXT'] };
const plan = (migrations: SqlMigration[]): PostgresMigrationPlan => ({ table: 'app_migrations', lock: [4_242_777, 1], migrations });

async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

describe.skipIf(!hasService('postgres'))('runPostgresMigrations', () => {
  it('applies pending migrations once even when several servers start at the same time', async () => {
    const db = await createScratchDatabase('fleet_migrations');
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    try {
      const results = await Promise.all([1, 2, 3].map(() => inTransaction(pool, (c) => runPostgresMigrations(c, plan([v1, v2])))));
      expect(results.flat().sort()).toEqual([1, 2]);
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
      const { rows } = await pool.query('SELECT version, name FROM app_migrations ORDER BY version');
      expect(rows).toEqual([
        { version: 1, name: 'things' },
        { version: 2, name: 'colour' },
      ]);
      expect(await inTransaction(pool, (c) => runPostgresMigrations(c, plan([v1, v2])))).toEqual([]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('rolls a failing migration back whole and keeps the older table shape without names', async () => {
    const db = await createScratchDatabase('fleet_migrations');
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      const noNames = { table: 'schema_migrations', recordNames: false, lock: [4_242_778] as const };
      await inTransaction(pool, (c) => runPostgresMigrations(c, { ...noNames, migrations: [v1] }));
      const broken: SqlMigration = { version: 2, sql: ['CREATE TABLE half (id INTEGER)', 'THIS IS NOT SQL'] };
      await expect(inTransaction(pool, (c) => runPostgresMigrations(c, { ...noNames, migrations: [v1, broken] }))).rejects.toThrow(
        /syntax error/,
      );
      const half = await pool.query("SELECT to_regclass('half') AS t");
      expect(half.rows).toEqual([{ t: null }]);
      const { rows } = await pool.query('SELECT version FROM schema_migrations');
      expect(rows).toEqual([{ version: 1 }]);
      expect(await inTransaction(pool, (c) => runPostgresMigrations(c, { ...noNames, migrations: [v1, v2] }))).toEqual([2]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
