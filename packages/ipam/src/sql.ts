import { toHex } from './address.js';
import { PREFIX_COLUMNS, toSqlValue } from './rows.js';
import type { Dialect } from './schema.js';
import type { HistoryEntry, NewPrefixRow, PrefixRowPatch, PrefixSearch } from './types.js';

/** Placeholder numbering for one statement: `?` in SQLite, `$n` in PostgreSQL. */
export function placeholders(dialect: Dialect): () => string {
  let n = 0;
  return () => (dialect === 'sqlite' ? '?' : `$${++n}`);
}

export const PREFIX_ORDER = 'ORDER BY vrf, family, start_hex, length';

export function searchSql(dialect: Dialect, q: PrefixSearch): { sql: string; params: unknown[] } {
  const p = placeholders(dialect);
  const where: string[] = [];
  const params: unknown[] = [];
  const eq = (column: string, value: unknown) => {
    where.push(`${column} = ${p()}`);
    params.push(value);
  };
  if (q.vrf !== undefined) eq('vrf', q.vrf);
  if (q.family !== undefined) eq('family', q.family);
  if (q.kind !== undefined) eq('kind', q.kind);
  if (q.status !== undefined) eq('status', q.status);
  if (q.function !== undefined) eq('function', q.function);
  if (q.node !== undefined) eq('node', q.node);
  if (q.pool !== undefined) eq('pool', q.pool);
  if (q.tag !== undefined) {
    where.push(
      dialect === 'sqlite'
        ? `EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ${p()})`
        : `tags @> jsonb_build_array(${p()}::text)`,
    );
    params.push(q.tag);
  }
  if (q.description !== undefined) {
    // instr/strpos rather than LIKE, so % and _ in the search text are literal.
    where.push(
      dialect === 'sqlite'
        ? `instr(lower(description), lower(${p()})) > 0`
        : `strpos(lower(description), lower(${p()})) > 0`,
    );
    params.push(q.description);
  }
  if (q.expiresBefore !== undefined) {
    where.push(`expires_at IS NOT NULL AND expires_at < ${p()}`);
    params.push(q.expiresBefore);
  }
  const limit = q.limit ?? 1000;
  const sql = `SELECT * FROM ipam_prefixes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${PREFIX_ORDER} LIMIT ${p()}`;
  params.push(limit);
  return { sql, params };
}

export function insertPrefixSql(dialect: Dialect): string {
  const p = placeholders(dialect);
  const values = PREFIX_COLUMNS.map(() => p()).join(', ');
  return `INSERT INTO ipam_prefixes (${PREFIX_COLUMNS.join(', ')}) VALUES (${values})${dialect === 'postgres' ? ' RETURNING id' : ''}`;
}

export function insertPrefixParams(row: NewPrefixRow): unknown[] {
  const byColumn = new Map<string, unknown>();
  for (const [field, value] of Object.entries(row)) {
    const [column, v] = toSqlValue(field, value);
    byColumn.set(column, v);
  }
  return PREFIX_COLUMNS.map((c) => byColumn.get(c) ?? null);
}

export function updatePrefixSql(dialect: Dialect, patch: PrefixRowPatch): { sql: string; params: unknown[] } {
  const p = placeholders(dialect);
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const [column, v] = toSqlValue(field, value);
    sets.push(`${column} = ${p()}`);
    params.push(v);
  }
  return { sql: `UPDATE ipam_prefixes SET ${sets.join(', ')} WHERE id = ${p()}`, params };
}

export function insertHistorySql(dialect: Dialect): string {
  const p = placeholders(dialect);
  return `INSERT INTO ipam_history (at, actor, action, vrf, subject, before, after) VALUES (${Array.from({ length: 7 }, p).join(', ')})`;
}

export function insertHistoryParams(e: Omit<HistoryEntry, 'id'>): unknown[] {
  const json = (v: unknown): string | null => (v === null ? null : JSON.stringify(v));
  return [e.at, e.actor, e.action, e.vrf, e.subject, json(e.before), json(e.after)];
}

/** History newest first, filtered by VRF and/or subject. */
export function listHistorySql(
  dialect: Dialect,
  q: { vrf?: string; subject?: string; limit: number },
): { sql: string; params: unknown[] } {
  const p = placeholders(dialect);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.vrf !== undefined) {
    where.push(`vrf = ${p()}`);
    params.push(q.vrf);
  }
  if (q.subject !== undefined) {
    where.push(`subject = ${p()}`);
    params.push(q.subject);
  }
  const sql = `SELECT * FROM ipam_history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p()}`;
  params.push(q.limit);
  return { sql, params };
}

export { toHex };
