import {
  type ConnectionFault,
  isDatabaseUnavailable,
  type Logger,
  toDatabaseUnavailable,
  runPostgresMigrations,
  watchConnections,
} from '@fleet/core';
import pg from 'pg';
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
import { driveAsync, type Store, type StoreOp, type StoreProgram } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/db`; used to create a pool when `pool` is not given. */
  connectionString?: string;
  /** An existing pool (not ended by close()). */
  pool?: pg.Pool;
  /** Size of the pool created from connectionString. Default 4. */
  maxConnections?: number;
  /** Gets one `warn` line per connection the database drops (code only). */
  logger?: Logger;
  /** Called once per dropped connection of the pool this store creates: feed a metric from it. */
  onConnectionError?: (fault: ConnectionFault) => void;
}

export interface ResolvedPostgresStoreOptions {
  connectionString: string | null;
  pool: pg.Pool | null;
  maxConnections: number;
  logger: Logger | undefined;
  onConnectionError: ((fault: ConnectionFault) => void) | undefined;
}

export function resolvePostgresStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  const hasUrl = typeof options?.connectionString === 'string' && options.connectionString.length > 0;
  if (!hasUrl && !options?.pool) {
    throw new IpamError('IPAM_INVALID_INPUT', 'give connectionString (postgres://…) or an existing pg pool', {
      details: { field: 'connectionString' },
    });
  }
  const max = options.maxConnections ?? 4;
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new IpamError('IPAM_INVALID_INPUT', `maxConnections ${max} must be an integer from 1 to 100`, {
      details: { field: 'maxConnections' },
    });
  }
  return {
    connectionString: hasUrl ? options.connectionString! : null,
    pool: options.pool ?? null,
    maxConnections: max,
    logger: options.logger,
    onConnectionError: options.onConnectionError,
  };
}

const HISTORY_INSERT = insertHistorySql('postgres');

// Advisory lock namespace: "IPAM" in ASCII, so our locks never collide with another application's keys.
const LOCK_NS = 0x4950414d;

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Several processes may start at once: the first migrates, the others wait and find nothing to do.
    await runPostgresMigrations(client, {
      table: 'ipam_schema_migrations',
      lock: [LOCK_NS, 0],
      migrations: migrationsFor('postgres'),
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The production store. A writer runs in one transaction and first takes a transaction-scoped advisory
 * lock on the VRF, so parallel allocations on separate connections queue instead of reading the same
 * free gap; the unique (vrf, parent, family, start) index is the last line of defence.
 */
/**
 * A name taken by a concurrent writer between our check and our insert (pools and VRFs are not under the
 * VRF lock): the unique key's refusal becomes the same IPAM_DUPLICATE the check answers with.
 */
function duplicateAs(what: 'pool' | 'vrf', name: string): (error: unknown) => never {
  return (error) => {
    if ((error as { code?: unknown }).code === '23505') {
      throw new IpamError('IPAM_DUPLICATE', `${what} ${name} already exists`, { details: { [what]: name } });
    }
    throw error;
  };
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const opts = resolvePostgresStoreOptions(options);
  const ownPool = opts.pool === null;
  const pool = opts.pool ?? new pg.Pool({ connectionString: opts.connectionString!, max: opts.maxConnections });
  // A pool we create is ours to guard: without these listeners a database restart kills the process.
  // A pool handed in belongs to the caller, who handles its 'error' events.
  if (ownPool)
    watchConnections(pool, { store: 'ipam', logger: opts.logger, onConnectionError: opts.onConnectionError });
  try {
    await migrate(pool);
  } catch (error) {
    if (ownPool) await pool.end().catch(() => undefined);
    throw new IpamError('IPAM_STORE_FAILED', `cannot prepare the PostgreSQL schema: ${(error as Error).message}`, {
      cause: error,
    });
  }

  async function exec(client: pg.PoolClient, op: StoreOp): Promise<unknown> {
    const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
      (await client.query<R>({ text, values })).rows;
    const one = async (text: string, values: unknown[]) => {
      const r = (await q<SqlPrefixRow>(text, values))[0];
      return r ? fromSqlRow(r) : null;
    };
    const many = async (text: string, values: unknown[] = []) => (await q<SqlPrefixRow>(text, values)).map(fromSqlRow);
    const CHILD = 'SELECT * FROM ipam_prefixes WHERE vrf = $1 AND parent_id = $2 AND family = $3';
    switch (op.op) {
      case 'lock':
        await q('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS, op.vrf]);
        return undefined;
      case 'getVrf': {
        const r = (await q<SqlVrf>('SELECT * FROM ipam_vrfs WHERE name = $1', [op.name]))[0];
        return r ? fromSqlVrf(r) : null;
      }
      case 'listVrfs':
        return (await q<SqlVrf>('SELECT * FROM ipam_vrfs ORDER BY name')).map(fromSqlVrf);
      case 'insertVrf':
        await q('INSERT INTO ipam_vrfs (name, rd, description, created_at) VALUES ($1, $2, $3, $4)', [
          op.vrf.name,
          op.vrf.rd,
          op.vrf.description,
          op.vrf.createdAt,
        ]).catch(duplicateAs('vrf', op.vrf.name));
        return undefined;
      case 'deleteVrf':
        await q('DELETE FROM ipam_vrfs WHERE name = $1', [op.name]);
        return undefined;
      case 'getPool': {
        const r = (await q<SqlPool>('SELECT * FROM ipam_pools WHERE name = $1', [op.name]))[0];
        return r ? fromSqlPool(r) : null;
      }
      case 'listPools':
        return (await q<SqlPool>('SELECT * FROM ipam_pools ORDER BY name')).map(fromSqlPool);
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
        await q(
          op.op === 'insertPool'
            ? 'INSERT INTO ipam_pools (vrf, description, default_length_v4, default_length_v6, keep_free, created_at, updated_at, name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)'
            : 'UPDATE ipam_pools SET vrf = $1, description = $2, default_length_v4 = $3, default_length_v6 = $4, keep_free = $5, created_at = $6, updated_at = $7 WHERE name = $8',
          params,
        ).catch(duplicateAs('pool', p.name));
        return undefined;
      }
      case 'deletePool':
        await q('DELETE FROM ipam_pools WHERE name = $1', [op.name]);
        return undefined;
      case 'getPrefix':
        return await one('SELECT * FROM ipam_prefixes WHERE id = $1', [op.id]);
      case 'findPrefix':
        return await one(
          'SELECT * FROM ipam_prefixes WHERE vrf = $1 AND family = $2 AND start_hex = $3 AND length = $4',
          [op.vrf, op.family, toHex(op.start), op.length],
        );
      case 'childAtOrBefore':
        return await one(`${CHILD} AND start_hex <= $4 ORDER BY start_hex DESC LIMIT 1`, [
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.at),
        ]);
      case 'childrenFrom':
        return await many(`${CHILD} AND start_hex >= $4 ORDER BY start_hex LIMIT $5`, [
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.from),
          op.limit,
        ]);
      case 'childrenWithin':
        return await many(`${CHILD} AND start_hex >= $4 AND start_hex <= $5 ORDER BY start_hex`, [
          op.vrf,
          op.parentId,
          op.family,
          toHex(op.start),
          toHex(op.end),
        ]);
      case 'insertPrefix': {
        const rows = await q<{ id: string }>(insertPrefixSql('postgres'), insertPrefixParams(op.row));
        return Number(rows[0]!.id);
      }
      case 'updatePrefix': {
        const { sql, params } = updatePrefixSql('postgres', op.patch);
        if (params.length === 0) return undefined;
        await q(sql, [...params, op.id]);
        return undefined;
      }
      case 'reparent':
        if (op.ids.length > 0)
          await q('UPDATE ipam_prefixes SET parent_id = $1 WHERE id = ANY($2::bigint[])', [op.parentId, op.ids]);
        return undefined;
      case 'deleteSubtree': {
        const row = await one('SELECT * FROM ipam_prefixes WHERE id = $1', [op.id]);
        if (!row) return 0;
        const result = await client.query(
          'DELETE FROM ipam_prefixes WHERE vrf = $1 AND family = $2 AND start_hex >= $3 AND start_hex <= $4 AND end_hex <= $4',
          [row.vrf, row.family, toHex(row.start), toHex(row.end)],
        );
        return result.rowCount ?? 0;
      }
      case 'search': {
        const { sql, params } = searchSql('postgres', op.query);
        return await many(sql, params);
      }
      case 'poolPrefixes':
        return op.family === null
          ? await many(`SELECT * FROM ipam_prefixes WHERE pool = $1 ${PREFIX_ORDER}`, [op.pool])
          : await many(`SELECT * FROM ipam_prefixes WHERE pool = $1 AND family = $2 ${PREFIX_ORDER}`, [
              op.pool,
              op.family,
            ]);
      case 'allPrefixes':
        return await many(`SELECT * FROM ipam_prefixes ${PREFIX_ORDER}`);
      case 'insertHistory':
        await q(HISTORY_INSERT, insertHistoryParams(op.entry));
        return undefined;
      case 'listHistory': {
        const { sql, params } = listHistorySql('postgres', op);
        return (await q<SqlHistory>(sql, params)).map(fromSqlHistory);
      }
    }
  }

  let closed = false;
  return {
    kind: 'postgres',
    async run<T>(program: () => StoreProgram<T>, runOptions: { write: boolean }): Promise<T> {
      if (closed) throw new IpamError('IPAM_STORE_FAILED', 'the PostgreSQL store is closed');
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toDatabaseUnavailable(error, 'ipam');
      }
      // Round trips are the cost while the VRF lock is held, so BEGIN rides along with the first
      // statement and writes whose result nobody reads (counter updates, history) ride along with the
      // next statement or the COMMIT, as one simple-protocol query with escaped literals.
      const pending: string[] = [runOptions.write ? 'BEGIN' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'];
      const literal = (v: unknown): string => {
        if (v === null || v === undefined) return 'NULL';
        if (typeof v === 'number' && Number.isFinite(v)) return String(v);
        if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
        return client.escapeLiteral(String(v));
      };
      const inline = (sql: string, params: unknown[]) =>
        sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
      const flush = async (last?: string) => {
        const batch = last === undefined ? [...pending] : [...pending, last];
        pending.length = 0;
        if (batch.length > 0) await client.query(batch.join(';\n'));
      };
      const run = async (op: StoreOp): Promise<unknown> => {
        if (op.op === 'updatePrefix') {
          const { sql, params } = updatePrefixSql('postgres', op.patch);
          if (params.length > 0) pending.push(inline(sql, [...params, op.id]));
          return undefined;
        }
        if (op.op === 'insertHistory') {
          pending.push(inline(HISTORY_INSERT, insertHistoryParams(op.entry)));
          return undefined;
        }
        if (op.op === 'lock') {
          await flush(inline('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS, op.vrf]));
          return undefined;
        }
        await flush();
        return await exec(client, op);
      };
      let committing = false;
      let failure: unknown;
      try {
        const result = await driveAsync(program(), run);
        committing = true;
        await flush('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => undefined);
        // A connection lost while COMMIT was in flight leaves the outcome unknown; before it, nothing was stored.
        throw toDatabaseUnavailable(error, 'ipam', committing && runOptions.write ? 'unknown' : 'not-applied');
      } finally {
        // A client whose connection broke is dropped from the pool, not handed to the next caller.
        client.release(failure instanceof Error && isDatabaseUnavailable(failure) ? failure : undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (ownPool) await pool.end();
    },
  };
}
