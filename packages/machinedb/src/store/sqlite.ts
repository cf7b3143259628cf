import { runSqliteMigrations } from '@fleet/core';
import type { HistoryEntry, Inventory } from '@fleet/machinedb-contract';
import { openSqlite } from '@fleet/sqlite';
import { StoreConflictError } from '../errors.js';
import {
  type HistoryRow,
  historyColumns,
  migrations,
  NODE_COLUMNS,
  type NodeRow,
  nodeColumns,
  nodeConflict,
  nodeWhere,
  parseInventory,
  rowToHistory,
  rowToNode,
  rowToToken,
  rowToUser,
  SERIAL_EXPR,
  type TokenRow,
  tokenColumns,
  type UserRow,
} from './sql.js';
import type { NewHistoryEntry, NodeFilter, NodeRecord, Store, TokenRecord, UserRecord } from './types.js';

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a throwaway store. */
  path: string;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

const NODE_PLACEHOLDERS = Array.from({ length: 13 }, () => '?').join(', ');

/**
 * The embedded store. WAL with `synchronous=FULL`: a write is on disk when its request is acknowledged,
 * so a killed server loses nothing it confirmed. Node writes that arrive together share one transaction
 * (group commit, see `commitGroup`): one fsync for many enrolments or transitions, each still atomic.
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const db = openSqlite(options.path, { busyTimeoutMs: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');

  let prepared: ReturnType<typeof prepare> | undefined;
  const byMacs = new Map<number, ReturnType<typeof db.prepare<NodeRow>>>();
  const stmts = () => {
    prepared ??= prepare();
    return prepared;
  };
  function prepare() {
    return {
      getNode: db.prepare<NodeRow>('SELECT id, version, data FROM nodes WHERE id = ?'),
      getInventory: db.prepare<{ inventory: string | null }>('SELECT inventory FROM nodes WHERE id = ?'),
      bySerial: db.prepare<NodeRow>(`SELECT id, version, data FROM nodes WHERE ${SERIAL_EXPR.sqlite} = ? ORDER BY id`),
      byIdentity: db.prepare<NodeRow>('SELECT id, version, data FROM nodes WHERE identity_key = ?'),
      bootNode: db.prepare<NodeRow>(
        `SELECT n.id, n.version, n.data FROM node_macs m JOIN nodes n ON n.id = m.node_id WHERE m.mac = ?
         ORDER BY (n.state = 'decommissioned'), n.updated_at DESC, n.id DESC LIMIT 1`,
      ),
      insertNode: db.prepare(`INSERT INTO nodes (${NODE_COLUMNS}, inventory) VALUES (${NODE_PLACEHOLDERS}, ?)`),
      updateNode: db.prepare(
        `UPDATE nodes SET identity_key = ?, state = ?, site = ?, rack = ?, cluster = ?, labels = ?, search = ?,
         state_since = ?, version = ?, updated_at = ?, data = ?, active_hostname = ? WHERE id = ? AND version = ?`,
      ),
      updateInventory: db.prepare('UPDATE nodes SET inventory = ? WHERE id = ?'),
      deleteMacs: db.prepare('DELETE FROM node_macs WHERE node_id = ?'),
      insertMac: db.prepare('INSERT OR IGNORE INTO node_macs (mac, node_id) VALUES (?, ?)'),
      insertHistory: db.prepare(
        'INSERT INTO history (node_id, at, actor_kind, actor_name, action, reason, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  const insertTx = (record: NodeRecord, inventory: Inventory | null, history: NewHistoryEntry) =>
    db.transaction(() => {
      const s = stmts();
      s.insertNode.run(...nodeColumns(record), inventory ? JSON.stringify(inventory) : null);
      for (const mac of record.macs) s.insertMac.run(mac, record.id);
      s.insertHistory.run(...historyColumns(history));
    }, 'immediate');

  const updateTx = (
    record: NodeRecord,
    expected: number,
    inventory: Inventory | undefined,
    history: NewHistoryEntry,
  ): boolean =>
    db.transaction(() => {
      const s = stmts();
      const [id, ...rest] = nodeColumns(record);
      const result = s.updateNode.run(...rest, id, expected);
      if (result.changes === 0) return false;
      if (inventory !== undefined) s.updateInventory.run(JSON.stringify(inventory), record.id);
      s.deleteMacs.run(record.id);
      for (const mac of record.macs) s.insertMac.run(mac, record.id);
      s.insertHistory.run(...historyColumns(history));
      return true;
    }, 'immediate');

  // Group commit. With synchronous=FULL every COMMIT waits for an fsync, and better-sqlite3 waits on the
  // event loop: one enrolment per fsync made 10,000 enrolments take ~30 s, nearly all of it in COMMIT.
  // Node writes are queued and run together on the next turn of the event loop inside one transaction,
  // each in its own savepoint (it stays atomic, and a failing one — a unique violation — rolls back only
  // itself); every caller's promise settles after the COMMIT, so nothing is acknowledged before it is on
  // disk. A failing COMMIT fails every write of the group, none of which is then stored.
  interface GroupedWrite {
    run: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  let group: GroupedWrite[] = [];
  const commitGroup = () => {
    const writes = group;
    group = [];
    if (writes.length === 0) return; // flushed by close()
    if (writes.length === 1) {
      // Alone: its own transaction, as before.
      const [write] = writes as [GroupedWrite];
      try {
        write.resolve(write.run());
      } catch (error) {
        write.reject(error);
      }
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const write of writes) {
          try {
            outcomes.push({ ok: true, value: write.run() }); // nested: a savepoint
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }, 'immediate');
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  };
  const grouped = <T>(run: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (group.length === 0) setImmediate(commitGroup);
      group.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });

  return {
    kind: 'sqlite',
    async migrate() {
      runSqliteMigrations(db, { table: 'schema_migrations', recordNames: false, migrations: migrations('sqlite') });
    },
    async getNode(id) {
      const row = stmts().getNode.get(id);
      return row ? rowToNode(row) : null;
    },
    async getInventory(id) {
      return parseInventory(stmts().getInventory.get(id)?.inventory);
    },
    async findByIdentityKey(key) {
      const row = stmts().byIdentity.get(key);
      return row ? rowToNode(row) : null;
    },
    async findByMacs(macs) {
      if (macs.length === 0) return [];
      // Prepared once per list length (enrolment asks on every report; preparing cost as much as the query).
      let statement = byMacs.get(macs.length);
      if (!statement) {
        statement = db.prepare<NodeRow>(
          `SELECT DISTINCT n.id, n.version, n.data FROM node_macs m JOIN nodes n ON n.id = m.node_id
           WHERE m.mac IN (${macs.map(() => '?').join(', ')}) ORDER BY n.id`,
        );
        if (macs.length <= 16) byMacs.set(macs.length, statement);
      }
      return statement.all(...macs).map(rowToNode);
    },
    async findBySerial(serial) {
      return stmts().bySerial.all(serial).map(rowToNode);
    },
    async findBootNode(mac) {
      const row = stmts().bootNode.get(mac);
      return row ? rowToNode(row) : null;
    },
    async insertNode(record, inventory, history) {
      try {
        await grouped(() => insertTx(record, inventory, history));
      } catch (error) {
        if (isUniqueViolation(error)) throw nodeConflict(record, String((error as Error).message));
        throw error;
      }
    },
    async updateNode(record, expected, inventory, history) {
      try {
        return await grouped(() => updateTx(record, expected, inventory, history));
      } catch (error) {
        if (isUniqueViolation(error)) throw nodeConflict(record, String((error as Error).message));
        throw error;
      }
    },
    async listNodes(filter: NodeFilter, afterId, limit) {
      const where = nodeWhere(filter, afterId, () => '?');
      return db
        .prepare<NodeRow>(`SELECT id, version, data FROM nodes ${where.sql} ORDER BY id LIMIT ?`)
        .all(...where.params, limit)
        .map(rowToNode);
    },
    async listHistory(nodeId, beforeSeq, limit): Promise<HistoryEntry[]> {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (nodeId !== null) {
        clauses.push('node_id = ?');
        params.push(nodeId);
      }
      if (beforeSeq !== null) {
        clauses.push('seq < ?');
        params.push(beforeSeq);
      }
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      return db
        .prepare<HistoryRow>(`SELECT * FROM history ${where} ORDER BY seq DESC LIMIT ?`)
        .all(...params, limit)
        .map(rowToHistory);
    },
    async nodesMark() {
      const row = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM nodes').get() as {
        n: number;
        v: number;
      };
      return `${row.n}.${row.v}`;
    },
    async countNodesByState() {
      // One synchronous read: the mark and the counts come from the same state of the database.
      return db.transaction(() => {
        const mark = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM nodes').get() as {
          n: number;
          v: number;
        };
        const rows = db.prepare('SELECT state, COUNT(*) AS n FROM nodes GROUP BY state').all() as {
          state: string;
          n: number;
        }[];
        return { mark: `${mark.n}.${mark.v}`, counts: Object.fromEntries(rows.map((r) => [r.state, r.n])) };
      });
    },
    async countHistory(nodeId) {
      return (db.prepare('SELECT COUNT(*) AS n FROM history WHERE node_id = ?').get(nodeId) as { n: number }).n;
    },
    async createUser(user: UserRecord) {
      try {
        db.prepare('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
          user.username,
          user.role,
          user.passwordHash,
          user.createdAt,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreConflictError('user', user.username);
        throw error;
      }
    },
    async getUser(username) {
      const row = db.prepare<UserRow>('SELECT * FROM users WHERE username = ?').get(username);
      return row ? rowToUser(row) : null;
    },
    async listUsers(after, limit) {
      return db
        .prepare<UserRow>(`SELECT * FROM users WHERE username > ? ORDER BY username LIMIT ?`)
        .all(after ?? '', limit)
        .map(rowToUser);
    },
    async deleteUser(username) {
      return db.transaction(() => {
        db.prepare("DELETE FROM tokens WHERE kind = 'session' AND username = ?").run(username);
        return db.prepare('DELETE FROM users WHERE username = ?').run(username).changes > 0;
      }, 'immediate');
    },
    async createToken(token: TokenRecord) {
      db.prepare(
        'INSERT INTO tokens (id, kind, name, role, username, source, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(...tokenColumns(token));
    },
    async getToken(id) {
      const row = db.prepare<TokenRow>('SELECT * FROM tokens WHERE id = ?').get(id);
      return row ? rowToToken(row) : null;
    },
    async listTokens(kind, after, limit) {
      return db
        .prepare<TokenRow>('SELECT * FROM tokens WHERE kind = ? AND id > ? ORDER BY id LIMIT ?')
        .all(kind, after ?? '', limit)
        .map(rowToToken);
    },
    async deleteToken(id) {
      return db.prepare('DELETE FROM tokens WHERE id = ?').run(id).changes > 0;
    },
    async close() {
      if (group.length > 0 && db.open) commitGroup(); // writes already asked for are stored, not dropped
      if (db.open) db.close();
    },
  };
}
