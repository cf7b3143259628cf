import type { HistoryEntry, Inventory } from '@fleet/machinedb-contract';
import { StoreConflictError } from '../errors.js';
import type { NewHistoryEntry, NodeFilter, NodeRecord, TokenRecord, UserRecord } from './types.js';

// SQL shared by the SQLite and PostgreSQL stores. Nodes are stored as a JSON document plus the columns
// that lists filter on; both dialects use TEXT for JSON so the code paths stay identical.

export type Dialect = 'sqlite' | 'postgres';

/** The node's serial number inside its stored document, as an indexable expression. */
export const SERIAL_EXPR: Record<Dialect, string> = {
  sqlite: "json_extract(data, '$.serial')",
  postgres: "((data::jsonb) ->> 'serial')",
};

/** Versioned migrations: append only, never edit a released one. */
export function migrations(dialect: Dialect): { version: number; sql: string[] }[] {
  const seq = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const HOSTNAME_SQL = dialect === 'sqlite' ? "json_extract(data, '$.hostname')" : "(data::jsonb ->> 'hostname')";
  return [
    {
      version: 1,
      sql: [
        `CREATE TABLE nodes (
          id TEXT PRIMARY KEY,
          identity_key TEXT NOT NULL UNIQUE,
          state TEXT NOT NULL,
          site TEXT,
          rack TEXT,
          cluster TEXT,
          labels TEXT NOT NULL,
          search TEXT NOT NULL,
          state_since TEXT NOT NULL,
          version INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          data TEXT NOT NULL,
          inventory TEXT
        )`,
        'CREATE INDEX nodes_state ON nodes (state, id)',
        'CREATE INDEX nodes_rack ON nodes (rack, id)',
        `CREATE TABLE node_macs (
          mac TEXT NOT NULL,
          node_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
          PRIMARY KEY (mac, node_id)
        )`,
        'CREATE INDEX node_macs_node ON node_macs (node_id)',
        `CREATE TABLE history (
          seq ${seq},
          node_id TEXT NOT NULL,
          at TEXT NOT NULL,
          actor_kind TEXT NOT NULL,
          actor_name TEXT NOT NULL,
          action TEXT NOT NULL,
          reason TEXT,
          before TEXT NOT NULL,
          after TEXT NOT NULL
        )`,
        'CREATE INDEX history_node ON history (node_id, seq)',
        `CREATE TABLE users (
          username TEXT PRIMARY KEY,
          role TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          created_at TEXT NOT NULL
        )`,
        `CREATE TABLE tokens (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          username TEXT NOT NULL,
          source TEXT NOT NULL,
          hash TEXT NOT NULL,
          created_at TEXT NOT NULL,
          expires_at TEXT
        )`,
        'CREATE INDEX tokens_kind ON tokens (kind, id)',
      ],
    },
    {
      version: 2,
      // nodesMark() reads COUNT(*) and SUM(version) from this index instead of scanning the wide rows.
      sql: ['CREATE INDEX nodes_version ON nodes (version)'],
    },
    {
      version: 3,
      // One live node per host name, enforced by the database so two concurrent renames cannot both win.
      // `active_hostname` is the host name while the node is not decommissioned, NULL otherwise: a
      // decommissioned node keeps its name in its record and history but frees it for a replacement.
      // Duplicates stored before this migration: the oldest node (lowest id) keeps the name; the others
      // get NULL here and answer 409 CONFLICT on their next change until an admin renames them.
      sql: [
        'ALTER TABLE nodes ADD COLUMN active_hostname TEXT',
        `UPDATE nodes SET active_hostname = ${HOSTNAME_SQL}
         WHERE state <> 'decommissioned' AND NOT EXISTS (
           SELECT 1 FROM nodes o WHERE o.id < nodes.id AND o.state <> 'decommissioned'
             AND ${HOSTNAME_SQL.replaceAll('data', 'o.data')} = ${HOSTNAME_SQL.replaceAll('data', 'nodes.data')})`,
        'CREATE UNIQUE INDEX nodes_active_hostname ON nodes (active_hostname) WHERE active_hostname IS NOT NULL',
      ],
    },
    {
      version: 4,
      // Enrolment looks up each reported serial number (T2 in docs/security.md): an index on the serial
      // in the stored document, instead of a LIKE scan of every node per enrolment.
      sql: [`CREATE INDEX nodes_serial ON nodes (${SERIAL_EXPR[dialect]})`],
    },
  ];
}

type StoredNode = Omit<NodeRecord, 'id' | 'version'>;

export interface NodeRow {
  id: string;
  version: number | string;
  data: string;
}

export function nodeColumns(record: NodeRecord): unknown[] {
  const { id, version, ...rest } = record;
  const labels = [
    ...record.groups.map((g) => `g:${g}`),
    ...record.roles.map((r) => `r:${r}`),
    ...record.tags.map((t) => `t:${t}`),
  ];
  const search = [id, record.hostname, record.fqdn, record.serial, record.systemUuid, ...record.macs]
    .filter((v): v is string => typeof v === 'string')
    .join(' ')
    .toLowerCase();
  return [
    id,
    record.identityKey,
    record.state,
    record.location?.site ?? null,
    record.location?.rack ?? null,
    record.cluster,
    ` ${labels.join(' ')} `,
    search,
    record.stateSince,
    version,
    record.updatedAt,
    JSON.stringify(rest satisfies StoredNode),
    record.state === 'decommissioned' ? null : record.hostname,
  ];
}

/** The unique index that keeps host names of live nodes apart (migration 3). */
export const ACTIVE_HOSTNAME_INDEX = 'nodes_active_hostname';

/**
 * The conflict a unique violation on a node write means: the host name when the database names the
 * host-name index or column (`what` = PostgreSQL's constraint name or SQLite's message), else the identity.
 */
export function nodeConflict(record: NodeRecord, what: string): StoreConflictError {
  if ((what.includes(ACTIVE_HOSTNAME_INDEX) || what.includes('active_hostname')) && record.hostname) {
    return new StoreConflictError('host name', record.hostname);
  }
  return new StoreConflictError('node identity', record.identityKey);
}

export const NODE_COLUMNS =
  'id, identity_key, state, site, rack, cluster, labels, search, state_since, version, updated_at, data, active_hostname';

export function rowToNode(row: NodeRow): NodeRecord {
  return { ...(JSON.parse(row.data) as StoredNode), id: row.id, version: Number(row.version) };
}

export function parseInventory(text: string | null | undefined): Inventory | null {
  return text ? (JSON.parse(text) as Inventory) : null;
}

export function historyColumns(entry: NewHistoryEntry): unknown[] {
  return [
    entry.nodeId,
    entry.at,
    entry.actor.kind,
    entry.actor.name,
    entry.action,
    entry.reason,
    JSON.stringify(entry.before),
    JSON.stringify(entry.after),
  ];
}

export interface HistoryRow {
  seq: number | string;
  node_id: string;
  at: string;
  actor_kind: string;
  actor_name: string;
  action: string;
  reason: string | null;
  before: string;
  after: string;
}

export function rowToHistory(row: HistoryRow): HistoryEntry {
  return {
    seq: Number(row.seq),
    nodeId: row.node_id,
    at: row.at,
    actor: { kind: row.actor_kind as HistoryEntry['actor']['kind'], name: row.actor_name },
    action: row.action,
    reason: row.reason,
    before: JSON.parse(row.before) as Record<string, unknown>,
    after: JSON.parse(row.after) as Record<string, unknown>,
  };
}

/** Escapes LIKE wildcards; both stores use `ESCAPE '\'`. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE clause for a node filter; `ph(n)` renders the n-th placeholder (1-based). */
export function nodeWhere(
  filter: NodeFilter,
  afterId: string | null,
  ph: (n: number) => string,
): {
  sql: string;
  params: unknown[];
} {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(ph(params.length)));
  };
  if (filter.state) add((p) => `state = ${p}`, filter.state);
  if (filter.states && filter.states.length > 0) {
    const marks = filter.states.map((s) => {
      params.push(s);
      return ph(params.length);
    });
    clauses.push(`state IN (${marks.join(', ')})`);
  }
  if (filter.site) add((p) => `site = ${p}`, filter.site);
  if (filter.rack) add((p) => `rack = ${p}`, filter.rack);
  if (filter.cluster) add((p) => `cluster = ${p}`, filter.cluster);
  if (filter.group) add((p) => `labels LIKE ${p} ESCAPE '\\'`, `% g:${likeEscape(filter.group)} %`);
  if (filter.role) add((p) => `labels LIKE ${p} ESCAPE '\\'`, `% r:${likeEscape(filter.role)} %`);
  if (filter.tag) add((p) => `labels LIKE ${p} ESCAPE '\\'`, `% t:${likeEscape(filter.tag)} %`);
  if (filter.mac) add((p) => `id IN (SELECT node_id FROM node_macs WHERE mac = ${p})`, filter.mac);
  if (filter.updatedSince) add((p) => `updated_at >= ${p}`, filter.updatedSince);
  if (filter.q) add((p) => `search LIKE ${p} ESCAPE '\\'`, `%${likeEscape(filter.q.toLowerCase())}%`);
  if (afterId !== null) add((p) => `id > ${p}`, afterId);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export interface UserRow {
  username: string;
  role: string;
  password_hash: string;
  created_at: string;
}
export function rowToUser(row: UserRow): UserRecord {
  return {
    username: row.username,
    role: row.role as UserRecord['role'],
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

export interface TokenRow {
  id: string;
  kind: string;
  name: string;
  role: string;
  username: string;
  source: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
}
export function rowToToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    kind: row.kind as TokenRecord['kind'],
    name: row.name,
    role: row.role as TokenRecord['role'],
    username: row.username,
    source: row.source as TokenRecord['source'],
    hash: row.hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
export function tokenColumns(t: TokenRecord): unknown[] {
  return [t.id, t.kind, t.name, t.role, t.username, t.source, t.hash, t.createdAt, t.expiresAt];
}
