import type { Family } from './address.js';
import { DEFAULT_VRF, matchesSearch } from './rows.js';
import { SortedChildren } from './sorted-children.js';
import { driveSync, type Store, type StoreOp, type StoreProgram } from './store.js';
import type { HistoryEntry, Pool, PrefixRow, PrefixSearch, Vrf } from './types.js';

const NO_TAGS = Object.freeze([]) as unknown as string[];

function copyRow(row: PrefixRow): PrefixRow {
  return { ...row, tags: [...row.tags] };
}

/**
 * An in-memory store for tests, demos and the CLI's dry runs. Programs run synchronously, so they are
 * atomic by construction; a throw replays an undo log so nothing a failed program wrote survives.
 */
export function createMemoryStore(): Store {
  const vrfs = new Map<string, Vrf>();
  const pools = new Map<string, Pool>();
  const prefixes = new Map<number, PrefixRow>();
  const children = new Map<string, SortedChildren<PrefixRow>>();
  // vrf/family/length → start → id; bigint keys compare by value, and a million rows need no key strings.
  const byRange = new Map<string, Map<bigint, number>>();
  const poolMembers = new Map<string, Set<number>>();
  const history: HistoryEntry[] = [];
  let nextId = 1;
  let closed = false;
  let undo: (() => void)[] = [];

  vrfs.set(DEFAULT_VRF, {
    name: DEFAULT_VRF,
    rd: null,
    description: 'default VRF',
    createdAt: new Date(0).toISOString(),
  });

  const childKey = (vrf: string, parentId: number, family: Family) => `${vrf}\u0000${parentId}\u0000${family}`;
  const rangeMap = (vrf: string, family: Family, length: number): Map<bigint, number> => {
    const key = `${vrf}\u0000${family}\u0000${length}`;
    let m = byRange.get(key);
    if (!m) {
      m = new Map();
      byRange.set(key, m);
    }
    return m;
  };
  const list = (vrf: string, parentId: number, family: Family): SortedChildren<PrefixRow> => {
    const key = childKey(vrf, parentId, family);
    let l = children.get(key);
    if (!l) {
      l = new SortedChildren<PrefixRow>();
      children.set(key, l);
    }
    return l;
  };
  const setPool = (row: PrefixRow, pool: string | null) => {
    if (row.pool) poolMembers.get(row.pool)?.delete(row.id);
    row.pool = pool;
    if (pool) {
      let s = poolMembers.get(pool);
      if (!s) {
        s = new Set();
        poolMembers.set(pool, s);
      }
      s.add(row.id);
    }
  };
  const attach = (row: PrefixRow) => {
    prefixes.set(row.id, row);
    list(row.vrf, row.parentId, row.family).insert(row);
    rangeMap(row.vrf, row.family, row.length).set(row.start, row.id);
    const pool = row.pool;
    row.pool = null;
    setPool(row, pool);
  };
  const detach = (row: PrefixRow) => {
    prefixes.delete(row.id);
    list(row.vrf, row.parentId, row.family).remove(row.start);
    rangeMap(row.vrf, row.family, row.length).delete(row.start);
    if (row.pool) poolMembers.get(row.pool)?.delete(row.id);
  };

  function exec(op: StoreOp): unknown {
    switch (op.op) {
      case 'lock':
        return undefined;
      case 'getVrf':
        return vrfs.get(op.name) ?? null;
      case 'listVrfs':
        return [...vrfs.values()].sort((a, b) => a.name.localeCompare(b.name));
      case 'insertVrf':
        vrfs.set(op.vrf.name, { ...op.vrf });
        undo.push(() => vrfs.delete(op.vrf.name));
        return undefined;
      case 'deleteVrf': {
        const old = vrfs.get(op.name);
        vrfs.delete(op.name);
        if (old) undo.push(() => vrfs.set(op.name, old));
        return undefined;
      }
      case 'getPool': {
        const p = pools.get(op.name);
        return p ? structuredClone(p) : null;
      }
      case 'listPools':
        return [...pools.values()].map((p) => structuredClone(p)).sort((a, b) => a.name.localeCompare(b.name));
      case 'insertPool':
        pools.set(op.pool.name, structuredClone(op.pool));
        undo.push(() => pools.delete(op.pool.name));
        return undefined;
      case 'updatePool': {
        const old = pools.get(op.pool.name);
        pools.set(op.pool.name, structuredClone(op.pool));
        if (old) undo.push(() => pools.set(op.pool.name, old));
        return undefined;
      }
      case 'deletePool': {
        const old = pools.get(op.name);
        pools.delete(op.name);
        if (old) undo.push(() => pools.set(op.name, old));
        return undefined;
      }
      case 'getPrefix': {
        const r = prefixes.get(op.id);
        return r ? copyRow(r) : null;
      }
      case 'findPrefix': {
        const id = rangeMap(op.vrf, op.family, op.length).get(op.start);
        const r = id === undefined ? undefined : prefixes.get(id);
        return r ? copyRow(r) : null;
      }
      case 'childAtOrBefore': {
        const r = children.get(childKey(op.vrf, op.parentId, op.family))?.atOrBefore(op.at);
        return r ? copyRow(r) : null;
      }
      case 'childrenFrom':
        return (children.get(childKey(op.vrf, op.parentId, op.family))?.from(op.from, op.limit) ?? []).map(copyRow);
      case 'childrenWithin':
        return (children.get(childKey(op.vrf, op.parentId, op.family))?.within(op.start, op.end) ?? []).map(copyRow);
      case 'insertPrefix': {
        // Empty tag lists share one frozen array: stored rows are never mutated in place.
        const tags = op.row.tags.length === 0 ? NO_TAGS : [...op.row.tags];
        const row: PrefixRow = { ...op.row, tags, id: nextId++ };
        const key = childKey(row.vrf, row.parentId, row.family);
        if (children.get(key)?.atOrBefore(row.start)?.start === row.start) {
          // The SQL stores have a unique index here; mirror it so a logic bug cannot double-assign.
          throw new Error(`duplicate child start ${row.start} under ${row.parentId}`);
        }
        attach(row);
        undo.push(() => detach(row));
        return row.id;
      }
      case 'updatePrefix': {
        const row = prefixes.get(op.id);
        if (!row) return undefined;
        const old = copyRow(row);
        const { pool, ...rest } = op.patch;
        Object.assign(row, rest);
        if (rest.tags) row.tags = [...rest.tags];
        if (pool !== undefined) setPool(row, pool);
        undo.push(() => {
          setPool(row, old.pool);
          Object.assign(row, old);
        });
        return undefined;
      }
      case 'reparent': {
        for (const id of op.ids) {
          const row = prefixes.get(id);
          if (!row) continue;
          const oldParent = row.parentId;
          list(row.vrf, oldParent, row.family).remove(row.start);
          row.parentId = op.parentId;
          list(row.vrf, row.parentId, row.family).insert(row);
          undo.push(() => {
            list(row.vrf, row.parentId, row.family).remove(row.start);
            row.parentId = oldParent;
            list(row.vrf, oldParent, row.family).insert(row);
          });
        }
        return undefined;
      }
      case 'deleteSubtree': {
        const root = prefixes.get(op.id);
        if (!root) return 0;
        const gone: PrefixRow[] = [];
        const stack = [root];
        while (stack.length) {
          const row = stack.pop()!;
          gone.push(row);
          const l = children.get(childKey(row.vrf, row.id, row.family));
          if (l) stack.push(...l);
        }
        // Children first, so undo re-attaches parents before their children.
        for (const row of gone.reverse()) detach(row);
        undo.push(() => {
          for (const row of [...gone].reverse()) attach(row);
        });
        return gone.length;
      }
      case 'search':
        return searchRows(op.query);
      case 'poolPrefixes': {
        const ids = poolMembers.get(op.pool) ?? new Set<number>();
        return [...ids]
          .map((id) => prefixes.get(id)!)
          .filter((r) => op.family === null || r.family === op.family)
          .sort(compareRows)
          .map(copyRow);
      }
      case 'allPrefixes':
        return [...prefixes.values()].sort(compareRows).map(copyRow);
      case 'insertHistory': {
        history.push({ ...op.entry, id: history.length + 1 });
        undo.push(() => history.pop());
        return undefined;
      }
      case 'listHistory': {
        const out: HistoryEntry[] = [];
        for (let i = history.length - 1; i >= 0 && out.length < op.limit; i--) {
          const h = history[i]!;
          if (op.vrf !== undefined && h.vrf !== op.vrf) continue;
          if (op.subject !== undefined && h.subject !== op.subject) continue;
          out.push(structuredClone(h));
        }
        return out;
      }
    }
  }

  function searchRows(query: PrefixSearch): PrefixRow[] {
    const limit = query.limit ?? 1000;
    let source: Iterable<PrefixRow> = prefixes.values();
    if (query.pool !== undefined) source = [...(poolMembers.get(query.pool) ?? [])].map((id) => prefixes.get(id)!);
    const out: PrefixRow[] = [];
    for (const row of source) if (matchesSearch(row, query)) out.push(row);
    return out.sort(compareRows).slice(0, limit).map(copyRow);
  }

  return {
    kind: 'memory',
    async run<T>(program: () => StoreProgram<T>): Promise<T> {
      if (closed) throw new Error('memory store is closed');
      undo = [];
      try {
        return driveSync(program(), exec);
      } catch (error) {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        throw error;
      } finally {
        undo = [];
      }
    },
    async close() {
      closed = true;
    },
  };
}

export function compareRows(a: PrefixRow, b: PrefixRow): number {
  if (a.vrf !== b.vrf) return a.vrf < b.vrf ? -1 : 1;
  if (a.family !== b.family) return a.family - b.family;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.length - b.length;
}
