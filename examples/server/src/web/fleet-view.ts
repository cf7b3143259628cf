import { type MachineDbApp, nodeView, timeoutReason } from '@fleet/machinedb';
import type { Inventory, Node, NodeState } from '@fleet/machinedb-contract';
import { NODE_STATES } from '@fleet/machinedb-contract';

type MachineDb = MachineDbApp['machineDb'];
const collator = new Intl.Collator('en', { numeric: true });

export interface Hardware {
  cpus: number;
  cores: number;
  threads: number;
  memoryBytes: number;
  disks: number;
  diskBytes: number;
  cpuModel: string;
}

export function hardwareOf(inventory: Inventory | null): Hardware | null {
  if (!inventory) return null;
  return {
    cpus: inventory.cpus.length,
    cores: inventory.cpus.reduce((n, c) => n + c.cores, 0),
    threads: inventory.cpus.reduce((n, c) => n + c.threads, 0),
    memoryBytes: inventory.memory.totalBytes,
    disks: inventory.disks.length,
    diskBytes: inventory.disks.reduce((n, d) => n + d.sizeBytes, 0),
    cpuModel: inventory.cpus[0]?.model ?? '',
  };
}

/** Why a node is stuck: it overstayed its state's timeout (MachineDB's own rule), or null. */
export function stuckReason(machineDb: MachineDb, node: Node, now: Date): string | null {
  return timeoutReason(node.state, new Date(node.stateSince), now, machineDb.options.stateTimeouts);
}

export const rackOf = (n: Node): string => (n.location ? `${n.location.site}/${n.location.rack}` : '');

export const SORT_KEYS = [
  'hostname',
  'state',
  'since',
  'site',
  'rack',
  'roles',
  'address',
  'cpu',
  'memory',
  'disks',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface NodeQuery {
  state: NodeState | null;
  site: string | null;
  rack: string | null;
  role: string | null;
  q: string | null;
  sort: SortKey;
  dir: 'asc' | 'desc';
  page: number;
  per: number;
}

const text = (v: unknown, max = 100): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.slice(0, max);
};

/** Reads the list's query string leniently: unknown values fall back to defaults, so every URL shows a page. */
export function parseNodeQuery(raw: Record<string, unknown>): NodeQuery {
  const state = text(raw.state);
  const sort = text(raw.sort);
  const page = Number(raw.page);
  const per = Number(raw.per);
  return {
    state: state && (NODE_STATES as readonly string[]).includes(state) ? (state as NodeState) : null,
    site: text(raw.site, 63),
    rack: text(raw.rack, 63),
    role: text(raw.role, 63),
    q: text(raw.q),
    sort: sort && (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'hostname',
    dir: raw.dir === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    per: [25, 50, 100, 200, 500].includes(per) ? per : 50,
  };
}

export function nodeQueryString(q: NodeQuery, change: Partial<NodeQuery> = {}): string {
  const merged = { ...q, ...change };
  const params = new URLSearchParams();
  for (const key of ['state', 'site', 'rack', 'role', 'q'] as const) {
    const v = merged[key];
    if (v) params.set(key, v);
  }
  if (merged.sort !== 'hostname') params.set('sort', merged.sort);
  if (merged.dir !== 'asc') params.set('dir', merged.dir);
  if (merged.page !== 1) params.set('page', String(merged.page));
  if (merged.per !== 50) params.set('per', String(merged.per));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function matchesText(n: Node, needle: string): boolean {
  const q = needle.toLowerCase();
  const macLike = q.replace(/-/g, ':');
  return (
    n.id.includes(q) ||
    (n.hostname ?? '').includes(q) ||
    (n.fqdn ?? '').includes(q) ||
    (n.serial ?? '').toLowerCase().includes(q) ||
    n.systemUuid.includes(q) ||
    n.macs.some((m) => m.includes(macLike)) ||
    n.addresses.some((a) => a.address.toLowerCase() === q) ||
    (n.bmc?.address ?? '') === q
  );
}

/**
 * The fleet as the console sees it: every node, cached until the MachineDB's nodes mark moves (any insert or
 * update moves it, so several servers on one database never show a stale list), and hardware summaries
 * cached per node version, read only for the rows shown (or all of them when sorting by hardware).
 */
export interface FleetView {
  nodes(): Promise<Node[]>;
  hardware(nodes: readonly Node[]): Promise<Map<string, Hardware | null>>;
  query(q: NodeQuery, now: Date): Promise<{ total: number; rows: Node[]; hardware: Map<string, Hardware | null> }>;
  /**
   * Fills the cache the first node list needs (every node, the first page's hardware) and runs the
   * list's filter and sort once, so the first page after a start costs what any later one does.
   */
  warm(): Promise<void>;
}

/**
 * Changes landing this long before the newest one we hold are fetched again (clocks and commits lag a little);
 * anything older that was missed shows as a count/version mismatch against the nodes mark, and forces a full read.
 */
const REFRESH_OVERLAP_MS = 2_000;

export function createFleetView(machineDb: MachineDb): FleetView {
  interface Snapshot {
    mark: string;
    byId: Map<string, Node>;
    list: Node[];
    newest: string;
  }
  let cached: { mark: string; snapshot: Promise<Snapshot> } | null = null;
  const hw = new Map<string, { version: number; value: Hardware | null }>();

  const build = (mark: string, nodes: Iterable<Node>): Snapshot => {
    const byId = new Map<string, Node>();
    let newest = '';
    for (const n of nodes) {
      byId.set(n.id, n);
      if (n.updatedAt > newest) newest = n.updatedAt;
    }
    const list = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { mark, byId, list, newest };
  };
  /** The store's mark is "<node count>.<sum of versions>": a copy that adds up to it has every change. */
  const consistent = (snapshot: Snapshot): boolean => {
    let versions = 0;
    for (const n of snapshot.list) versions += n.version;
    return snapshot.mark === `${snapshot.list.length}.${versions}`;
  };
  const loadAll = async (mark: string): Promise<Snapshot> => {
    const all: Node[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await machineDb.store.listNodes({}, after, 2000);
      for (const record of page) all.push(nodeView(record));
      if (page.length < 2000) break;
      after = page[page.length - 1]?.id ?? null;
    }
    return build(mark, all);
  };
  /** Reads only the nodes changed since the newest we hold; falls back to a full read if that misses any. */
  const refresh = async (previous: Snapshot, mark: string): Promise<Snapshot> => {
    // An empty fleet held (a start before the first node) has no newest change to count from.
    if (previous.newest === '') return await loadAll(mark);
    const since = new Date(Date.parse(previous.newest) - REFRESH_OVERLAP_MS).toISOString();
    const changed = await machineDb.store.listNodes({ updatedSince: since }, null, 5000);
    if (changed.length >= 5000) return await loadAll(mark);
    const merged = new Map(previous.byId);
    for (const record of changed) merged.set(record.id, nodeView(record));
    const next = build(mark, merged.values());
    return consistent(next) ? next : await loadAll(mark);
  };

  const view: FleetView = {
    async nodes() {
      const mark = await machineDb.store.nodesMark();
      if (!cached || cached.mark !== mark) {
        const previous = cached?.snapshot;
        const snapshot = previous
          ? previous.then(
              (p) => refresh(p, mark),
              () => loadAll(mark),
            )
          : loadAll(mark);
        const fresh = { mark, snapshot };
        cached = fresh;
        snapshot.catch(() => {
          if (cached === fresh) cached = null;
        });
      }
      return (await cached.snapshot).list;
    },
    async hardware(nodes) {
      const out = new Map<string, Hardware | null>();
      const missing = nodes.filter((n) => hw.get(n.id)?.version !== n.version);
      // A handful of reads at a time: enough to hide latency, few enough not to hog the pool.
      for (let i = 0; i < missing.length; i += 16) {
        await Promise.all(
          missing.slice(i, i + 16).map(async (n) => {
            hw.set(n.id, { version: n.version, value: hardwareOf(await machineDb.store.getInventory(n.id)) });
          }),
        );
      }
      for (const n of nodes) out.set(n.id, hw.get(n.id)?.value ?? null);
      return out;
    },
    async query(q, now) {
      let list = await view.nodes();
      if (q.state) list = list.filter((n) => n.state === q.state);
      if (q.site) list = list.filter((n) => n.location?.site === q.site);
      if (q.rack) list = list.filter((n) => n.location?.rack === q.rack);
      if (q.role) list = list.filter((n) => n.roles.includes(q.role ?? ''));
      if (q.q) {
        const needle = q.q;
        list = list.filter((n) => matchesText(n, needle));
      }
      const byHardware = q.sort === 'cpu' || q.sort === 'memory' || q.sort === 'disks';
      const hwAll = byHardware ? await view.hardware(list) : null;
      // Missing values sort last in either direction.
      const key = (n: Node): string | number | null => {
        switch (q.sort) {
          case 'hostname':
            return n.hostname;
          case 'state':
            return n.state;
          case 'since':
            return now.getTime() - Date.parse(n.stateSince);
          case 'site':
            return n.location?.site ?? null;
          case 'rack':
            return n.location
              ? `${n.location.site}/${n.location.rack}/${String(n.location.unit ?? 0).padStart(2, '0')}`
              : null;
          case 'roles':
            return n.roles.join(',') || null;
          case 'address':
            return n.addresses.find((a) => a.purpose === 'primary')?.address ?? null;
          case 'cpu':
            return hwAll?.get(n.id)?.threads ?? null;
          case 'memory':
            return hwAll?.get(n.id)?.memoryBytes ?? null;
          case 'disks':
            return hwAll?.get(n.id)?.diskBytes ?? null;
        }
      };
      const keyed = list.map((n) => ({ n, k: key(n) }));
      const sign = q.dir === 'asc' ? 1 : -1;
      keyed.sort((a, b) => {
        if (a.k === null || b.k === null) {
          if (a.k !== b.k) return a.k === null ? 1 : -1;
          return a.n.id < b.n.id ? -1 : 1;
        }
        const c =
          typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
        return c !== 0 ? c * sign : a.n.id < b.n.id ? -1 : 1;
      });
      const start = (q.page - 1) * q.per;
      const rows = keyed.slice(start, start + q.per).map((e) => e.n);
      return { total: keyed.length, rows, hardware: await view.hardware(rows) };
    },
    async warm() {
      await view.query(parseNodeQuery({}), new Date());
    },
  };
  return view;
}

export function stateCounts(nodes: readonly Node[]): Map<NodeState, number> {
  const counts = new Map<NodeState, number>();
  for (const s of NODE_STATES) counts.set(s, 0);
  for (const n of nodes) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
  return counts;
}
