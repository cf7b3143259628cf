import { runSqliteMigrations } from '@fleet/core';
import { type SqliteDatabase, type SqliteStatement, openSqlite } from '@fleet/sqlite';
import { toHex } from './address.js';
import { IpamError } from './errors.js';
import {
  fromSqlHistory,
  fromSqlPool,
  fromSqlRow,
  fromSqlVrf,
  type SqlHistory,
  type SqlPool,
  type SqlPrefixRow,
  type SqlVrf,
} from './rows.js';
import { migrationsFor } from './schema.js';
import {
  insertHistoryParams,
  insertHistorySql,
  insertPrefixParams,
  insertPrefixSql,
  listHistorySql,
  PREFIX_ORDER,
  searchSql,
  updatePrefixSql,
} from './sql.js';
import { driveSync, type Store, type StoreOp, type StoreProgram } from './store.js';

export interface SqliteStoreOptions {
  /** Database file, or `:memory:`. */
  path: string;
  /** How long a writer waits for another connection's write transaction. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export interface ResolvedSqliteStoreOptions {
  path: string;
  busyTimeoutMs: number;
}

export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  if (!options || typeof options.path !== 'string' || options.path.length === 0) {
    throw new IpamError('IPAM_INVALID_INPUT', 'path is required: a database file or ":memory:"', {
      details: { field: 'path' },
    });
  }
  const busy = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busy) || busy < 0) {
    throw new IpamError('IPAM_INVALID_INPUT', `busyTimeoutMs ${busy} must be a non-negative integer`, {
      details: { field: 'busyTimeoutMs' },
    });
  }
  return { path: options.path, busyTimeoutMs: busy };
}

/** Applies the versioned migrations this database lacks, inside one write transaction. */
function migrate(db: SqliteDatabase): void {
  runSqliteMigrations(db, { table: 'ipam_schema_migrations', migrations: migrationsFor('sqlite') });
}

/**
 * The embedded store (@fleet/sqlite: node:sqlite on Node 24, better-sqlite3 on Node 20). Each program runs synchronously inside one transaction —
 * BEGIN IMMEDIATE for writers — so other connections (other processes) wait on the busy timeout and
 * never see or interleave with a half-done allocation.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const opts = resolveSqliteStoreOptions(options);
  let db: SqliteDatabase;
  try {
    db = openSqlite(opts.path, { busyTimeoutMs: opts.busyTimeoutMs });
    if (opts.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
  } catch (error) {
    throw new IpamError('IPAM_STORE_FAILED', `cannot open SQLite database ${opts.path}: ${(error as Error).message}`, {
      cause: error,
      details: { path: opts.path },
    });
  }
  const cache = new Map<string, SqliteStatement>();
  const stmt = (sql: string): SqliteStatement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const one = (sql: string, ...params: unknown[]) => {
    const r = stmt(sql).get(...params) as SqlPrefixRow | undefined;
    return r ? fromSqlRow(r) : null;
  };
  const many = (sql: string, ...params: unknown[]) => (stmt(sql).all(...params) as SqlPrefixRow[]).map(fromSqlRow);
  const CHILD = 'SELECT * FROM ipam_prefixes WHERE vrf = ? AND parent_id = ? AND family = ?';

  function exec(op: StoreOp): unknown {
    switch (op.op) {
      case 'lock':
        return undefined;
      case 'getVrf': {
        const r = stmt('SELECT * FROM ipam_vrfs WHERE name = ?').get(op.name) as SqlVrf | undefined;
        return r ? fromSqlVrf(r) : null;
      }
      case 'listVrfs':
        return (stmt('SELECT * FROM ipam_vrfs ORDER BY name').all() as SqlVrf[]).map(fromSqlVrf);
      case 'insertVrf':
        stmt('INSERT INTO ipam_vrfs (name, rd, description, created_at) VALUES (?, ?, ?, ?)').run(
          op.vrf.name,
          op.vrf.rd,
          op.vrf.description,
          op.vrf.createdAt,
        );
        return undefined;
      case 'deleteVrf':
        stmt('DELETE FROM ipam_vrfs WHERE name = ?').run(op.name);
        return undefined;
      case 'getPool': {
        const r = stmt('SELECT * FROM ipam_pools WHERE name = ?').get(op.name) as SqlPool | undefined;
        return r ? fromSqlPool(r) : null;
      }
      case 'listPools':
        return (stmt('SELECT * FROM ipam_pools ORDER BY name').all() as SqlPool[]).map(fromSqlPool);
      case 'insertPool':
      case 'updatePool': {
        const p = op.pool;
        const params = [
          p.vrf,
          p.description,
          p.defaultLength.v4,
          p.defaultLength.v6,
          JSON.stringify(p.keepFree),
          p.createdAt,
          p.updatedAt,
          p.name,
        ];
        if (op.op === 'insertPool') {
          stmt(
            'INSERT INTO ipam_pools (vrf, description, default_length_v4, default_length_v6, keep_free, created_at, updated_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ).run(...params);
        } else {
          stmt(
            'UPDATE ipam_pools SET vrf = ?, description = ?, default_length_v4 = ?, default_length_v6 = ?, keep_free = ?, created_at = ?, updated_at = ? WHERE name = ?',
          ).run(...params);
        }
        return undefined;
      }
      case 'deletePool':
        stmt('DELETE FROM ipam_pools WHERE name = ?').run(op.name);
        return undefined;
      case 'getPrefix':
        return one('SELECT * FROM ipam_prefixes WHERE id = ?', op.id);
      case 'findPrefix':
        return one(
          'SELECT * FROM ipam_prefixes WHERE vrf = ? AND family = ? AND start_hex = ? AND length = ?',
          op.vrf,
          op.family,
          toHex(op.start),
          op.length,
        );
      case 'childAtOrBefore':
        return one(
          `${CHILD} AND start_hex <= ? ORDER BY start_hex DESC LIMIT 1`,
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.at),
        );
      case 'childrenFrom':
        return many(
          `${CHILD} AND start_hex >= ? ORDER BY start_hex LIMIT ?`,
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.from),
          op.limit,
        );
      case 'childrenWithin':
        return many(
          `${CHILD} AND start_hex >= ? AND start_hex <= ? ORDER BY start_hex`,
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.start),
          toHex(op.end),
        );
      case 'insertPrefix':
        return Number(stmt(insertPrefixSql('sqlite')).run(...insertPrefixParams(op.row)).lastInsertRowid);
      case 'updatePrefix': {
        const { sql, params } = updatePrefixSql('sqlite', op.patch);
        if (params.length === 0) return undefined;
        stmt(sql).run(...params, op.id);
        return undefined;
      }
      case 'reparent': {
        const update = stmt('UPDATE ipam_prefixes SET parent_id = ? WHERE id = ?');
        for (const id of op.ids) update.run(op.parentId, id);
        return undefined;
      }
      case 'deleteSubtree': {
        const row = one('SELECT * FROM ipam_prefixes WHERE id = ?', op.id);
        if (!row) return 0;
        // CIDR blocks nest or are disjoint: everything within the range is the prefix or below it.
        return stmt(
          'DELETE FROM ipam_prefixes WHERE vrf = ? AND family = ? AND start_hex >= ? AND start_hex <= ? AND end_hex <= ?',
        ).run(row.vrf, row.family, toHex(row.start), toHex(row.end), toHex(row.end)).changes;
      }
      case 'search': {
        const { sql, params } = searchSql('sqlite', op.query);
        return many(sql, ...params);
      }
      case 'poolPrefixes':
        return op.family === null
          ? many(`SELECT * FROM ipam_prefixes WHERE pool = ? ${PREFIX_ORDER}`, op.pool)
          : many(`SELECT * FROM ipam_prefixes WHERE pool = ? AND family = ? ${PREFIX_ORDER}`, op.pool, op.family);
      case 'allPrefixes':
        return many(`SELECT * FROM ipam_prefixes ${PREFIX_ORDER}`);
      case 'insertHistory':
        stmt(insertHistorySql('sqlite')).run(...insertHistoryParams(op.entry));
        return undefined;
      case 'listHistory': {
        const { sql, params } = listHistorySql('sqlite', op);
        return (stmt(sql).all(...params) as SqlHistory[]).map(fromSqlHistory);
      }
    }
  }

  let closed = false;
  return {
    kind: 'sqlite',
    async run<T>(program: () => StoreProgram<T>, runOptions: { write: boolean }): Promise<T> {
      if (closed) throw new IpamError('IPAM_STORE_FAILED', 'the SQLite store is closed');
      // Synchronous on purpose: the whole program runs between BEGIN and COMMIT without yielding, so
      // handles in the same thread never interleave, and other processes wait on the busy timeout.
      return db.transaction(() => driveSync(program(), exec), runOptions.write ? 'immediate' : 'deferred');
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
