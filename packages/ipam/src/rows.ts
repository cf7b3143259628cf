import { type Family, formatPrefix, fromHex, toHex } from './address.js';
import type { HistoryEntry, KeepFree, Pool, Prefix, PrefixRow, PrefixSearch, Vrf } from './types.js';

export const DEFAULT_VRF = 'default';

export function toPrefix(row: PrefixRow): Prefix {
  return {
    id: row.id,
    vrf: row.vrf,
    prefix: formatPrefix(row),
    family: row.family,
    length: row.length,
    kind: row.kind,
    parentId: row.parentId === 0 ? null : row.parentId,
    description: row.description,
    function: row.function,
    status: row.status,
    tags: [...row.tags],
    node: row.node,
    expiresAt: row.expiresAt,
    pool: row.pool,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

export function matchesSearch(row: PrefixRow, q: PrefixSearch): boolean {
  if (q.vrf !== undefined && row.vrf !== q.vrf) return false;
  if (q.family !== undefined && row.family !== q.family) return false;
  if (q.kind !== undefined && row.kind !== q.kind) return false;
  if (q.status !== undefined && row.status !== q.status) return false;
  if (q.tag !== undefined && !row.tags.includes(q.tag)) return false;
  if (q.function !== undefined && row.function !== q.function) return false;
  if (q.node !== undefined && row.node !== q.node) return false;
  if (q.pool !== undefined && row.pool !== q.pool) return false;
  if (q.description !== undefined && !row.description.toLowerCase().includes(q.description.toLowerCase())) return false;
  if (q.expiresBefore !== undefined && (row.expiresAt === null || !(row.expiresAt < q.expiresBefore))) return false;
  return true;
}

/** Column list shared by the SQL stores (same names in SQLite and PostgreSQL). */
export const PREFIX_COLUMNS = [
  'vrf',
  'family',
  'start_hex',
  'end_hex',
  'length',
  'kind',
  'parent_id',
  'description',
  'function',
  'status',
  'tags',
  'node',
  'expires_at',
  'pool',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'used_size',
  'child_count',
  'hint_from',
  'hint_to',
] as const;

export interface SqlPrefixRow {
  id: number | string;
  vrf: string;
  family: number;
  start_hex: string;
  end_hex: string;
  length: number;
  kind: string;
  parent_id: number | string;
  description: string;
  function: string;
  status: string;
  tags: string | string[];
  node: string | null;
  expires_at: string | null;
  pool: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  used_size: string;
  child_count: number | string;
  hint_from: string;
  hint_to: string;
}

export function fromSqlRow(r: SqlPrefixRow): PrefixRow {
  return {
    id: Number(r.id),
    vrf: r.vrf,
    family: r.family === 6 ? 6 : 4,
    start: fromHex(r.start_hex),
    end: fromHex(r.end_hex),
    length: Number(r.length),
    kind: r.kind as PrefixRow['kind'],
    parentId: Number(r.parent_id),
    description: r.description,
    function: r.function,
    status: r.status as PrefixRow['status'],
    tags: typeof r.tags === 'string' ? (JSON.parse(r.tags) as string[]) : r.tags,
    node: r.node,
    expiresAt: r.expires_at,
    pool: r.pool,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    usedSize: BigInt(r.used_size),
    childCount: Number(r.child_count),
    hintFrom: fromHex(r.hint_from),
    hintTo: fromHex(r.hint_to),
  };
}

/** Maps a PrefixRow field name to its column and SQL value (tags as JSON text, bigints as hex/decimal). */
export function toSqlValue(field: string, value: unknown): [string, unknown] {
  switch (field) {
    case 'start':
      return ['start_hex', toHex(value as bigint)];
    case 'end':
      return ['end_hex', toHex(value as bigint)];
    case 'hintFrom':
      return ['hint_from', toHex(value as bigint)];
    case 'hintTo':
      return ['hint_to', toHex(value as bigint)];
    case 'usedSize':
      return ['used_size', (value as bigint).toString()];
    case 'tags':
      return ['tags', JSON.stringify(value)];
    default:
      return [field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value];
  }
}

export interface SqlPool {
  name: string;
  vrf: string;
  description: string;
  default_length_v4: number | null;
  default_length_v6: number | null;
  keep_free: string | KeepFree;
  created_at: string;
  updated_at: string;
}

export function fromSqlPool(r: SqlPool): Pool {
  return {
    name: r.name,
    vrf: r.vrf,
    description: r.description,
    defaultLength: { v4: r.default_length_v4, v6: r.default_length_v6 },
    keepFree: typeof r.keep_free === 'string' ? (JSON.parse(r.keep_free) as KeepFree) : r.keep_free,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface SqlVrf {
  name: string;
  rd: string | null;
  description: string;
  created_at: string;
}

export function fromSqlVrf(r: SqlVrf): Vrf {
  return { name: r.name, rd: r.rd, description: r.description, createdAt: r.created_at };
}

export interface SqlHistory {
  id: number | string;
  at: string;
  actor: string;
  action: string;
  vrf: string | null;
  subject: string;
  before: string | Record<string, unknown> | null;
  after: string | Record<string, unknown> | null;
}

export function fromSqlHistory(r: SqlHistory): HistoryEntry {
  const parse = (v: string | Record<string, unknown> | null) =>
    typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : v;
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action as HistoryEntry['action'],
    vrf: r.vrf,
    subject: r.subject,
    before: parse(r.before),
    after: parse(r.after),
  };
}

export function familyOf(n: number): Family {
  return n === 6 ? 6 : 4;
}
