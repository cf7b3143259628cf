import {
  type ConnectionFault,
  isDatabaseUnavailable,
  type Logger,
  toDatabaseUnavailable,
  runPostgresMigrations,
  watchConnections,
} from '@fleet/core';
import type { Inventory } from '@fleet/machinedb-contract';
import pg from 'pg';
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
import type { Store } from './types.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db`. */
  url: string;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Gets one `warn` line per connection the database drops (code only). */
  logger?: Logger;
  /** Called once per dropped connection: feed a metric from it. */
  onConnectionError?: (fault: ConnectionFault) => void;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505';
}

/** The channel every write announces its node on (delivered at commit, to every server listening). */
export const NODE_CHANGES_CHANNEL = 'fleet_node_changes';

/** A statement the server parses and plans once per connection (hot lookups and writes). */
interface Prepared {
  name: string;
  text: string;
}
const prepared = (name: string, text: string): Prepared => ({ name: `fleet_${name}`, text });

const GET_NODE = prepared('get_node', 'SELECT id, version, data FROM nodes WHERE id = $1');
const BY_IDENTITY = prepared('by_identity', 'SELECT id, version, data FROM nodes WHERE identity_key = $1');
const BY_MACS = prepared(
  'by_macs',
  `SELECT DISTINCT n.id, n.version, n.data FROM node_macs m JOIN nodes n ON n.id = m.node_id
   WHERE m.mac = ANY($1::text[]) ORDER BY n.id`,
);
const BY_SERIAL = prepared(
  'by_serial',
  `SELECT id, version, data FROM nodes WHERE ${SERIAL_EXPR.postgres} = $1 ORDER BY id`,
);
const BOOT_NODE = prepared(
  'boot_node',
  `SELECT n.id, n.version, n.data FROM node_macs m JOIN nodes n ON n.id = m.node_id WHERE m.mac = $1
   ORDER BY (n.state = 'decommissioned'), n.updated_at DESC, n.id DESC LIMIT 1`,
);

// Enrolment's three lookups in one round trip and one snapshot: k = identity, MAC or serial.
const IDENTITY_OWNERS = prepared(
  'identity_owners',
  `SELECT 'i' AS k, id, version, data FROM nodes WHERE identity_key = $1
   UNION ALL
   (SELECT DISTINCT 'm' AS k, n.id, n.version, n.data FROM node_macs m JOIN nodes n ON n.id = m.node_id
    WHERE m.mac = ANY($2::text[]))
   UNION ALL
   SELECT 's' AS k, id, version, data FROM nodes WHERE $3::text IS NOT NULL AND ${SERIAL_EXPR.postgres} = $3::text`,
);

// A node write as one statement: the row, its MACs, its history entry and the change notice (delivered at
// commit). Foreign keys are checked at the end of the statement, when the node row exists.
const INSERT_NODE = prepared(
  'insert_node',
  `WITH n AS (
    INSERT INTO nodes (${NODE_COLUMNS}, inventory) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING id),
  m AS (INSERT INTO node_macs (mac, node_id) SELECT mac, n.id FROM n, unnest($15::text[]) AS mac ON CONFLICT DO NOTHING),
  h AS (INSERT INTO history (node_id, at, actor_kind, actor_name, action, reason, before, after)
    SELECT $16::text, $17::text, $18::text, $19::text, $20::text, $21::text, $22::text, $23::text FROM n)
  SELECT pg_notify($24::text, $25::text) FROM n`,
);

// Replaces the node if its version is still $14; MACs it no longer reports are dropped, new ones added;
// the notice names the old MACs too (their cached boot answers change). No row back: the version moved on.
const UPDATE_NODE = prepared(
  'update_node',
  `WITH u AS (
    UPDATE nodes SET identity_key = $1, state = $2, site = $3, rack = $4, cluster = $5, labels = $6, search = $7,
      state_since = $8, version = $9, updated_at = $10, data = $11, active_hostname = $12,
      inventory = CASE WHEN $15::boolean THEN $16::text ELSE inventory END
    WHERE id = $13 AND version = $14
    RETURNING id),
  gone AS (DELETE FROM node_macs WHERE node_id IN (SELECT id FROM u) AND NOT (mac = ANY($17::text[])) RETURNING mac),
  m AS (INSERT INTO node_macs (mac, node_id) SELECT mac, u.id FROM u, unnest($17::text[]) AS mac ON CONFLICT DO NOTHING),
  h AS (INSERT INTO history (node_id, at, actor_kind, actor_name, action, reason, before, after)
    SELECT $18::text, $19::text, $20::text, $21::text, $22::text, $23::text, $24::text, $25::text FROM u)
  SELECT pg_notify($26::text, json_build_object('ids', json_build_array(u.id), 'macs',
    (SELECT COALESCE(json_agg(DISTINCT x), '[]'::json) FROM (SELECT unnest($17::text[]) UNION ALL SELECT mac FROM gone) s(x)))::text)
  FROM u`,
);

// Arbitrary constant: serialises migrations when several servers start against one database.
const MIGRATION_LOCK = 4_242_001;

const ph = (n: number) => `$${n}`;
const list = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/** The production store: several stateless servers can share one PostgreSQL database. */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // A client losing its connection must not crash the process, nor go unnoticed: log + metric, and the
  // pool drops it so the next query reconnects.
  watchConnections(pool, { store: 'machinedb', logger: options.logger, onConnectionError: options.onConnectionError });
  let closed = false;

  async function tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toDatabaseUnavailable(error, 'machinedb');
    }
    let committing = false;
    let failure: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => {});
      // Lost while COMMIT was in flight: the write may have been stored. Before that: it was not.
      throw toDatabaseUnavailable(error, 'machinedb', committing ? 'unknown' : 'not-applied');
    } finally {
      client.release(failure instanceof Error && isDatabaseUnavailable(failure) ? failure : undefined);
    }
  }

  // One statement that commits on its own (a node write is one statement): one round trip instead of
  // BEGIN, statement, COMMIT. Not sent (no connection): not applied. Lost while it ran: it may have been
  // committed, so the outcome is unknown — as for a transaction that lost its connection during COMMIT.
  async function writeOnce<R extends pg.QueryResultRow>(statement: Prepared, values: unknown[]) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toDatabaseUnavailable(error, 'machinedb');
    }
    let failure: unknown;
    try {
      return await client.query<R>({ ...statement, values });
    } catch (error) {
      failure = error;
      throw toDatabaseUnavailable(error, 'machinedb', 'unknown');
    } finally {
      client.release(failure instanceof Error && isDatabaseUnavailable(failure) ? failure : undefined);
    }
  }

  // Several reads that must see one state of the database.
  async function readSnapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toDatabaseUnavailable(error, 'machinedb');
    }
    let failure: unknown;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => {});
      throw toDatabaseUnavailable(error, 'machinedb');
    } finally {
      client.release(failure instanceof Error && isDatabaseUnavailable(failure) ? failure : undefined);
    }
  }

  // Single statements outside a transaction; a lost database becomes DATABASE_UNAVAILABLE (HTTP 503).
  // A single-statement write commits on its own, so a connection lost under it leaves the outcome unknown.
  const query = async <R extends pg.QueryResultRow>(
    sql: string | Prepared,
    params: unknown[],
    write = false,
  ): Promise<pg.QueryResult<R>> => {
    try {
      return await pool.query<R>(sql, params);
    } catch (error) {
      throw toDatabaseUnavailable(error, 'machinedb', write ? 'unknown' : 'not-applied');
    }
  };

  const one = async <R extends pg.QueryResultRow>(sql: string | Prepared, params: unknown[]): Promise<R | undefined> =>
    (await query<R>(sql, params)).rows[0];

  return {
    kind: 'postgres',
    async migrate() {
      await tx((client) =>
        runPostgresMigrations(client, {
          table: 'schema_migrations',
          recordNames: false,
          lock: [MIGRATION_LOCK],
          migrations: migrations('postgres'),
        }),
      );
    },
    async getNode(id) {
      const row = await one<NodeRow>(GET_NODE, [id]);
      return row ? rowToNode(row) : null;
    },
    async getInventory(id): Promise<Inventory | null> {
      const row = await one<{ inventory: string | null }>('SELECT inventory FROM nodes WHERE id = $1', [id]);
      return parseInventory(row?.inventory);
    },
    async findByIdentityKey(key) {
      const row = await one<NodeRow>(BY_IDENTITY, [key]);
      return row ? rowToNode(row) : null;
    },
    async findByMacs(macs) {
      if (macs.length === 0) return [];
      const { rows } = await query<NodeRow>(BY_MACS, [macs]);
      return rows.map(rowToNode);
    },
    async findBySerial(serial) {
      const { rows } = await query<NodeRow>(BY_SERIAL, [serial]);
      return rows.map(rowToNode);
    },
    async findIdentityOwners(identityKey, macs, serial) {
      const { rows } = await query<NodeRow & { k: string }>(IDENTITY_OWNERS, [identityKey, [...macs], serial]);
      const of = (k: string) =>
        rows
          .filter((r) => r.k === k)
          .map(rowToNode)
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { byIdentity: of('i')[0] ?? null, byMacs: of('m'), bySerial: of('s') };
    },
    async findBootNode(mac) {
      const row = await one<NodeRow>(BOOT_NODE, [mac]);
      return row ? rowToNode(row) : null;
    },
    async insertNode(record, inventory, history) {
      try {
        // One prepared statement (node, MACs, history entry, change notice), atomic on its own: one round
        // trip instead of six.
        await writeOnce(INSERT_NODE, [
          ...nodeColumns(record),
          inventory ? JSON.stringify(inventory) : null,
          record.macs,
          ...historyColumns(history),
          NODE_CHANGES_CHANNEL,
          JSON.stringify({ ids: [record.id], macs: record.macs }),
        ]);
      } catch (error) {
        if (isUniqueViolation(error))
          throw nodeConflict(record, String((error as { constraint?: unknown }).constraint));
        throw error;
      }
    },
    async updateNode(record, expected, inventory, history) {
      try {
        const [id, ...rest] = nodeColumns(record);
        const { rows } = await writeOnce(UPDATE_NODE, [
          ...rest,
          id,
          expected,
          inventory !== undefined,
          inventory !== undefined ? JSON.stringify(inventory) : null,
          record.macs,
          ...historyColumns(history),
          NODE_CHANGES_CHANNEL,
        ]);
        return rows.length > 0;
      } catch (error) {
        if (isUniqueViolation(error))
          throw nodeConflict(record, String((error as { constraint?: unknown }).constraint));
        throw error;
      }
    },
    async listNodes(filter, afterId, limit) {
      const where = nodeWhere(filter, afterId, ph);
      const { rows } = await query<NodeRow>(
        `SELECT id, version, data FROM nodes ${where.sql} ORDER BY id LIMIT $${where.params.length + 1}`,
        [...where.params, limit],
      );
      return rows.map(rowToNode);
    },
    async listHistory(nodeId, beforeSeq, limit) {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (nodeId !== null) {
        params.push(nodeId);
        clauses.push(`node_id = $${params.length}`);
      }
      if (beforeSeq !== null) {
        params.push(beforeSeq);
        clauses.push(`seq < $${params.length}`);
      }
      params.push(limit);
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      const { rows } = await query<HistoryRow>(
        `SELECT * FROM history ${where} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(rowToHistory);
    },
    async nodesMark() {
      const row = await one<{ n: string; v: string }>(
        'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM nodes',
        [],
      );
      return `${row?.n ?? 0}.${row?.v ?? 0}`;
    },
    async countNodesByState() {
      // One snapshot for both, so the counts belong to the mark.
      return await readSnapshot(async (client) => {
        const mark = await client.query<{ n: string; v: string }>(
          'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v FROM nodes',
        );
        const { rows } = await client.query<{ state: string; n: string }>(
          'SELECT state, COUNT(*) AS n FROM nodes GROUP BY state',
        );
        return {
          mark: `${mark.rows[0]?.n ?? 0}.${mark.rows[0]?.v ?? 0}`,
          counts: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])),
        };
      });
    },
    async countHistory(nodeId) {
      const row = await one<{ n: string }>('SELECT COUNT(*) AS n FROM history WHERE node_id = $1', [nodeId]);
      return Number(row?.n ?? 0);
    },
    async createUser(user) {
      try {
        await query(
          'INSERT INTO users (username, role, password_hash, created_at) VALUES ($1, $2, $3, $4)',
          [user.username, user.role, user.passwordHash, user.createdAt],
          true,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreConflictError('user', user.username);
        throw error;
      }
    },
    async getUser(username) {
      const row = await one<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
      return row ? rowToUser(row) : null;
    },
    async listUsers(after, limit) {
      const { rows } = await query<UserRow>('SELECT * FROM users WHERE username > $1 ORDER BY username LIMIT $2', [
        after ?? '',
        limit,
      ]);
      return rows.map(rowToUser);
    },
    async deleteUser(username) {
      return await tx(async (client) => {
        await client.query("DELETE FROM tokens WHERE kind = 'session' AND username = $1", [username]);
        const result = await client.query('DELETE FROM users WHERE username = $1', [username]);
        // Every server drops the user and its sessions from its cache when this commits.
        await client.query('SELECT pg_notify($1, $2)', [
          NODE_CHANGES_CHANNEL,
          JSON.stringify({ ids: [], macs: [], users: [username] }),
        ]);
        return (result.rowCount ?? 0) > 0;
      });
    },
    async createToken(token) {
      await query(
        `INSERT INTO tokens (id, kind, name, role, username, source, hash, created_at, expires_at) VALUES (${list(1, 9)})`,
        tokenColumns(token),
        true,
      );
    },
    async getToken(id) {
      const row = await one<TokenRow>('SELECT * FROM tokens WHERE id = $1', [id]);
      return row ? rowToToken(row) : null;
    },
    async listTokens(kind, after, limit) {
      const { rows } = await query<TokenRow>('SELECT * FROM tokens WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3', [
        kind,
        after ?? '',
        limit,
      ]);
      return rows.map(rowToToken);
    },
    async deleteToken(id) {
      // The revocation and its notice commit together: no server keeps accepting the token from its cache.
      const { rows } = await query<{ deleted: number }>(
        `WITH gone AS (DELETE FROM tokens WHERE id = $1 RETURNING id)
         SELECT (SELECT count(*) FROM gone)::int AS deleted, pg_notify($2, $3)`,
        [id, NODE_CHANGES_CHANNEL, JSON.stringify({ ids: [], macs: [], tokens: [id] })],
        true,
      );
      return (rows[0]?.deleted ?? 0) > 0;
    },
    async close() {
      if (!closed) {
        closed = true;
        await pool.end();
      }
    },
  };
}
