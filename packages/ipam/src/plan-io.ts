import { formatPrefix, parsePrefix, type Range } from './address.js';
import { type ImportRowError, IpamError, IpamImportError, isIpamError } from './errors.js';
import {
  checkKeepFree,
  checkKind,
  checkLength,
  checkName,
  checkNode,
  checkStatus,
  checkTags,
  checkText,
  checkTime,
} from './fields.js';
import { DEFAULT_VRF, toPrefix } from './rows.js';
import { call, type StoreProgram } from './store.js';
import { addRange, type Ctx, checkPoolMember, type PrefixMeta, record } from './tree.js';
import type { KeepFree, PrefixKind, PrefixRow } from './types.js';

/** One prefix in an import/export: a spreadsheet row or an element of the JSON `prefixes` list. */
export interface PlanPrefix {
  vrf?: string;
  prefix: string;
  kind: PrefixKind;
  status?: string;
  description?: string;
  function?: string;
  tags?: string[];
  node?: string | null;
  expiresAt?: string | null;
  pool?: string | null;
}

export interface PlanVrf {
  name: string;
  rd?: string | null;
  description?: string;
}

export interface PlanPool {
  name: string;
  vrf?: string;
  description?: string;
  defaultLength?: { v4?: number | null; v6?: number | null };
  keepFree?: Partial<KeepFree>;
}

/** The whole address plan as JSON. CSV carries only `prefixes` (VRFs named by rows are created). */
export interface PlanDocument {
  format: 'fleet-ipam';
  version: 1;
  vrfs: PlanVrf[];
  pools: PlanPool[];
  prefixes: PlanPrefix[];
}

export interface ImportOptions {
  format: 'json' | 'csv';
  /** What a row naming an existing prefix does: `error` (default) or `update` its metadata. */
  onExisting?: 'error' | 'update';
}

export interface ImportResult {
  added: number;
  updated: number;
  vrfsAdded: number;
  poolsAdded: number;
}

export const CSV_COLUMNS = [
  'vrf',
  'prefix',
  'kind',
  'status',
  'description',
  'function',
  'tags',
  'node',
  'expires_at',
  'pool',
] as const;

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines. Returns rows with their line numbers. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
    i++;
  }
  if (quoted)
    throw new IpamImportError([{ row: rowLine, code: 'IPAM_IMPORT_INVALID', message: 'unterminated quoted field' }]);
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Parses JSON or CSV text into a plan document; structural problems become IPAM_IMPORT_INVALID. */
export function parsePlan(text: string, format: 'json' | 'csv'): PlanDocument {
  if (typeof text !== 'string')
    throw new IpamError('IPAM_INVALID_INPUT', 'import input must be text or a plan document');
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new IpamImportError([
        { row: 0, code: 'IPAM_IMPORT_INVALID', message: `not JSON: ${(error as Error).message}` },
      ]);
    }
    return value as PlanDocument;
  }
  if (format !== 'csv')
    throw new IpamError('IPAM_INVALID_INPUT', `format ${JSON.stringify(format)} must be json or csv`);
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header)
    throw new IpamImportError([{ row: 1, code: 'IPAM_IMPORT_INVALID', message: 'empty CSV: a header row is needed' }]);
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  const missing = ['prefix', 'kind'].filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      ...(unknown.length ? [`unknown columns ${unknown.join(', ')}`] : []),
      ...(missing.length ? [`missing columns ${missing.join(', ')}`] : []),
    ];
    throw new IpamImportError([
      {
        row: header.line,
        code: 'IPAM_IMPORT_INVALID',
        message: `${parts.join('; ')} (allowed: ${CSV_COLUMNS.join(', ')})`,
      },
    ]);
  }
  const prefixes: (PlanPrefix & { line: number })[] = rows.map(({ line, cells }) => {
    const get = (name: string) => {
      const idx = columns.indexOf(name);
      return idx < 0 ? '' : (cells[idx] ?? '').trim();
    };
    const opt = (name: string) => (get(name) === '' ? null : get(name));
    const out: PlanPrefix & { line: number } = { line, prefix: get('prefix'), kind: get('kind') as PrefixKind };
    if (get('vrf')) out.vrf = get('vrf');
    if (get('status')) out.status = get('status');
    if (columns.includes('description')) out.description = get('description');
    if (columns.includes('function')) out.function = get('function');
    if (columns.includes('tags'))
      out.tags =
        get('tags') === ''
          ? []
          : get('tags')
              .split(/[;\s]+/)
              .filter(Boolean);
    if (columns.includes('node')) out.node = opt('node');
    if (columns.includes('expires_at')) out.expiresAt = opt('expires_at');
    if (columns.includes('pool')) out.pool = opt('pool');
    return out;
  });
  return { format: 'fleet-ipam', version: 1, vrfs: [], pools: [], prefixes };
}

export function renderPlan(doc: PlanDocument, format: 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of doc.prefixes) {
    lines.push(
      [
        p.vrf ?? DEFAULT_VRF,
        p.prefix,
        p.kind,
        p.status ?? 'active',
        p.description ?? '',
        p.function ?? '',
        (p.tags ?? []).join(';'),
        p.node ?? '',
        p.expiresAt ?? '',
        p.pool ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function* exportPlanDocument(): StoreProgram<PlanDocument> {
  const vrfs = yield* call({ op: 'listVrfs' });
  const pools = yield* call({ op: 'listPools' });
  const rows = yield* call({ op: 'allPrefixes' });
  return {
    format: 'fleet-ipam',
    version: 1,
    vrfs: vrfs.map((v) => ({ name: v.name, rd: v.rd, description: v.description })),
    pools: pools.map((p) => ({
      name: p.name,
      vrf: p.vrf,
      description: p.description,
      defaultLength: { ...p.defaultLength },
      keepFree: { ...p.keepFree },
    })),
    prefixes: rows.map((r) => {
      const p = toPrefix(r);
      return {
        vrf: p.vrf,
        prefix: p.prefix,
        kind: p.kind,
        status: p.status,
        description: p.description,
        function: p.function,
        tags: p.tags,
        node: p.node,
        expiresAt: p.expiresAt,
        pool: p.pool,
      };
    }),
  };
}

interface CheckedRow {
  row: number;
  vrf: string;
  range: Range;
  kind: PrefixKind;
  meta: PrefixMeta;
}

function rowError(row: number, error: unknown): ImportRowError {
  if (isIpamError(error)) return { row, code: error.code, message: error.message };
  throw error;
}

/**
 * Validates every row first (syntax, then placement against the plan inside the same transaction) and
 * throws IPAM_IMPORT_INVALID listing all bad rows; the store then rolls back, so nothing is written.
 */
export function* importPlanProgram(
  ctx: Ctx,
  doc: PlanDocument,
  options: ImportOptions,
  keepFree: KeepFree,
): StoreProgram<ImportResult> {
  const errors: ImportRowError[] = [];
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.prefixes)) {
    throw new IpamImportError([{ row: 0, code: 'IPAM_IMPORT_INVALID', message: 'a plan needs a prefixes list' }]);
  }
  const vrfsIn = Array.isArray(doc.vrfs) ? doc.vrfs : [];
  const poolsIn = Array.isArray(doc.pools) ? doc.pools : [];
  const checked: CheckedRow[] = [];
  doc.prefixes.forEach((p, index) => {
    const row = (p as { line?: number }).line ?? index + 1;
    try {
      if (typeof p !== 'object' || p === null) throw new IpamError('IPAM_INVALID_INPUT', 'row is not an object');
      const kind = checkKind(p.kind);
      checked.push({
        row,
        vrf: checkName(p.vrf ?? DEFAULT_VRF, 'vrf'),
        range: parsePrefix(p.prefix, 'prefix', kind === 'host'),
        kind,
        meta: {
          description: checkText(p.description ?? '', 'description', 1000),
          function: checkText(p.function ?? '', 'function', 200),
          status: checkStatus(p.status ?? 'active'),
          tags: checkTags(p.tags ?? []),
          node: checkNode(p.node ?? null),
          expiresAt: checkTime(p.expiresAt ?? null),
          pool: p.pool === undefined || p.pool === null ? null : checkName(p.pool, 'pool'),
        },
      });
    } catch (error) {
      errors.push(rowError(row, error));
    }
  });
  if (errors.length > 0) throw new IpamImportError(errors);

  const result: ImportResult = { added: 0, updated: 0, vrfsAdded: 0, poolsAdded: 0 };
  const wantedVrfs = new Map<string, PlanVrf>();
  for (const v of vrfsIn) wantedVrfs.set(checkName(v.name, 'vrfs[].name'), v);
  for (const c of checked) if (!wantedVrfs.has(c.vrf)) wantedVrfs.set(c.vrf, { name: c.vrf });
  for (const p of poolsIn) {
    const vrf = checkName(p.vrf ?? DEFAULT_VRF, 'pools[].vrf');
    if (!wantedVrfs.has(vrf)) wantedVrfs.set(vrf, { name: vrf });
  }
  for (const [name, v] of wantedVrfs) {
    yield* call({ op: 'lock', vrf: name });
    if (yield* call({ op: 'getVrf', name })) continue;
    const vrf = {
      name,
      rd: v.rd === undefined || v.rd === null ? null : checkText(v.rd, 'rd', 64),
      description: checkText(v.description ?? '', 'description', 1000),
      createdAt: ctx.now,
    };
    yield* call({ op: 'insertVrf', vrf });
    yield* record(ctx, 'vrf.add', name, name, null, { ...vrf });
    result.vrfsAdded++;
  }
  for (const p of poolsIn) {
    const name = checkName(p.name, 'pools[].name');
    if (yield* call({ op: 'getPool', name })) continue;
    const pool = {
      name,
      vrf: checkName(p.vrf ?? DEFAULT_VRF, 'pools[].vrf'),
      description: checkText(p.description ?? '', 'description', 1000),
      defaultLength: {
        v4: p.defaultLength?.v4 == null ? null : checkLength(p.defaultLength.v4, 4, 'defaultLength.v4'),
        v6: p.defaultLength?.v6 == null ? null : checkLength(p.defaultLength.v6, 6, 'defaultLength.v6'),
      },
      keepFree: checkKeepFree(p.keepFree, keepFree),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    yield* call({ op: 'insertPool', pool });
    yield* record(ctx, 'pool.add', pool.vrf, name, null, { ...pool });
    result.poolsAdded++;
  }
  // Parents before children, so each row finds its enclosing prefix already in place.
  const ordered = [...checked].sort(
    (a, b) =>
      (a.vrf < b.vrf ? -1 : a.vrf > b.vrf ? 1 : 0) ||
      a.range.family - b.range.family ||
      (a.range.start < b.range.start ? -1 : a.range.start > b.range.start ? 1 : 0) ||
      a.range.length - b.range.length,
  );
  for (const c of ordered) {
    try {
      const existing = yield* call({
        op: 'findPrefix',
        vrf: c.vrf,
        family: c.range.family,
        start: c.range.start,
        length: c.range.length,
      });
      if (existing && options.onExisting === 'update') {
        if (existing.kind !== c.kind) {
          throw new IpamError(
            'IPAM_KIND_MISMATCH',
            `${formatPrefix(c.range)} exists as a ${existing.kind}, the row says ${c.kind}`,
          );
        }
        if (c.meta.pool !== null && c.meta.pool !== existing.pool)
          yield* checkPoolMember(c.vrf, c.kind, c.meta.pool, formatPrefix(c.range));
        const next: PrefixRow = { ...existing, ...c.meta, updatedAt: ctx.now, updatedBy: ctx.actor };
        yield* call({
          op: 'updatePrefix',
          id: existing.id,
          patch: { ...c.meta, updatedAt: ctx.now, updatedBy: ctx.actor },
        });
        yield* record(ctx, 'import', c.vrf, formatPrefix(c.range), { ...toPrefix(existing) }, { ...toPrefix(next) });
        result.updated++;
        continue;
      }
      yield* addRange(ctx, { vrf: c.vrf, range: c.range, kind: c.kind, meta: c.meta }, 'import');
      result.added++;
    } catch (error) {
      errors.push(rowError(c.row, error));
    }
  }
  if (errors.length > 0) throw new IpamImportError(errors.sort((a, b) => a.row - b.row));
  return result;
}
