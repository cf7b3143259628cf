import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFleetError } from '@fleet/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SqliteDatabase, defaultSqliteDriver, openSqlite } from '../src/index.js';

let dir: string;
const open: SqliteDatabase[] = [];
const db = (name = 'a.db', options = {}) => {
  const d = openSqlite(join(dir, name), options);
  open.push(d);
  return d;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-sqlite-'));
});
afterEach(() => {
  for (const d of open.splice(0)) d.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('defaultSqliteDriver', () => {
  it('uses node:sqlite from Node 24 on and better-sqlite3 before', () => {
    expect(defaultSqliteDriver('20.20.2')).toBe('better-sqlite3');
    expect(defaultSqliteDriver('22.12.0')).toBe('better-sqlite3');
    expect(defaultSqliteDriver('24.21.0')).toBe('node:sqlite');
    expect(defaultSqliteDriver('26.0.0')).toBe('node:sqlite');
  });

  it('is the driver a database opens with on this runtime', () => {
    expect(db().driver).toBe(defaultSqliteDriver());
  });
});

describe('openSqlite', () => {
  it('runs statements with positional and named parameters', () => {
    const d = db();
    d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
    const ins = d.prepare('INSERT INTO t (name) VALUES (?)');
    expect(ins.run('a')).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(ins.run('b').lastInsertRowid).toBe(2);
    d.prepare('INSERT INTO t (name) VALUES (@name)').run({ name: 'c' });
    expect(d.prepare<{ id: number; name: string }>('SELECT id, name FROM t WHERE name = ?').get('c')).toMatchObject({
      id: 3,
      name: 'c',
    });
    expect(d.prepare('SELECT * FROM t WHERE name = ?').get('zz')).toBeUndefined();
    expect(d.prepare<{ name: string }>('SELECT name FROM t ORDER BY id').all().map((r) => r.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(d.prepare('UPDATE t SET name = name || ?').run('!').changes).toBe(3);
  });

  it('reports constraint violations with better-sqlite3 codes on every driver', () => {
    const d = db();
    d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)');
    d.prepare('INSERT INTO t (id, name) VALUES (?, ?)').run(1, 'a');
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'no error';
    };
    expect(codeOf(() => d.prepare('INSERT INTO t (id, name) VALUES (?, ?)').run(2, 'a'))).toBe(
      'SQLITE_CONSTRAINT_UNIQUE',
    );
    expect(codeOf(() => d.prepare('INSERT INTO t (id, name) VALUES (?, ?)').run(1, 'b'))).toBe(
      'SQLITE_CONSTRAINT_PRIMARYKEY',
    );
    expect(codeOf(() => d.exec('SELEC 1'))).toBe('SQLITE_ERROR');
  });

  it('commits a transaction, rolls it back when it throws, and nests as savepoints', () => {
    const d = db();
    d.exec('CREATE TABLE t (v INTEGER)');
    const count = () => (d.prepare<{ n: number }>('SELECT count(*) AS n FROM t').get()?.n ?? -1);
    expect(d.transaction(() => d.prepare('INSERT INTO t VALUES (1)').run().changes)).toBe(1);
    expect(() =>
      d.transaction(() => {
        d.prepare('INSERT INTO t VALUES (2)').run();
        throw new Error('nope');
      }),
    ).toThrow('nope');
    expect(count()).toBe(1);
    d.transaction(() => {
      d.prepare('INSERT INTO t VALUES (3)').run();
      expect(() =>
        d.transaction(() => {
          d.prepare('INSERT INTO t VALUES (4)').run();
          throw new Error('inner');
        }),
      ).toThrow('inner');
      d.transaction(() => d.prepare('INSERT INTO t VALUES (5)').run());
    }, 'immediate');
    expect(d.prepare<{ v: number }>('SELECT v FROM t ORDER BY v').all().map((r) => r.v)).toEqual([1, 3, 5]);
  });

  it('refuses an async transaction function and rolls its writes back', async () => {
    const d = db();
    d.exec('CREATE TABLE t (v INTEGER)');
    expect(() =>
      d.transaction(async () => {
        d.prepare('INSERT INTO t VALUES (1)').run();
      }),
    ).toThrow(/must not be async/);
    expect(d.prepare<{ n: number }>('SELECT count(*) AS n FROM t').get()?.n).toBe(0);
  });

  it('makes a second connection wait on an immediate transaction and fail with SQLITE_BUSY after its timeout', () => {
    const a = db('shared.db');
    a.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)');
    const b = db('shared.db', { busyTimeoutMs: 50 });
    let code: string | undefined;
    a.transaction(() => {
      a.prepare('INSERT INTO t VALUES (1)').run();
      try {
        b.transaction(() => b.prepare('INSERT INTO t VALUES (2)').run(), 'immediate');
      } catch (error) {
        code = (error as { code?: string }).code;
      }
    }, 'immediate');
    expect(code).toBe('SQLITE_BUSY');
    expect(b.prepare<{ v: number }>('SELECT v FROM t').all().map((r) => r.v)).toEqual([1]);
  });

  it('opens read-only when asked', () => {
    db('ro.db').exec('CREATE TABLE t (v INTEGER)');
    const ro = db('ro.db', { readonly: true });
    expect(ro.prepare('SELECT count(*) AS n FROM t').get()).toMatchObject({ n: 0 });
    expect(() => ro.exec('INSERT INTO t VALUES (1)')).toThrow();
  });

  it('throws a typed error naming the file when it cannot open', () => {
    let caught: unknown;
    try {
      openSqlite(join(dir, 'missing', 'x.db'));
    } catch (error) {
      caught = error;
    }
    expect(isFleetError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'SQLITE_OPEN_FAILED' });
    expect((caught as Error).message).toContain(join(dir, 'missing', 'x.db'));
  });

  it('closes once and reports it', () => {
    const d = openSqlite(join(dir, 'c.db'));
    expect(d.open).toBe(true);
    d.close();
    d.close();
    expect(d.open).toBe(false);
  });
});
