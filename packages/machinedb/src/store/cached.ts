import type { Inventory } from '@fleet/machinedb-contract';
import type { NodeRecord, Store, TokenRecord, UserRecord } from './types.js';

/**
 * What changed: node ids and every MAC involved (a MAC can move from one node to another); users deleted
 * (with their sessions) and tokens revoked, so no server keeps accepting them.
 */
export interface NodeChange {
  ids: readonly string[];
  macs: readonly string[];
  users?: readonly string[] | undefined;
  tokens?: readonly string[] | undefined;
}

/**
 * Tells every server sharing the database that nodes changed. `live` is false while the feed cannot
 * promise delivery (its connection is down): caches must not serve then. `reset` means "anything may have
 * changed" (after a reconnect, notifications may have been missed).
 */
export interface NodeChangeFeed {
  readonly live: boolean;
  subscribe(listener: (change: NodeChange | 'reset') => void): () => void;
  close(): Promise<void>;
}

/** The feed for a store no other process writes to (SQLite): the cache's own writes are all there is. */
export function createLocalNodeChangeFeed(): NodeChangeFeed {
  return { live: true, subscribe: () => () => {}, close: async () => {} };
}

export interface CachedStoreOptions {
  /** Changes made by other servers; default: none (a store only this process writes). */
  feed?: NodeChangeFeed;
  /** Largest number of nodes (and of MACs) kept. Default 50,000. */
  maxEntries?: number;
}

export interface CachedStore extends Store {
  /** Hits and misses of node, inventory and boot-MAC reads since start. */
  readonly cacheStats: { hits: number; misses: number };
}

/**
 * A deep copy of what a store returns: plain objects, arrays and primitives are copied by a walk (about
 * 8× cheaper than `structuredClone` on a node record, which every boot and poll reads); anything else (a
 * custom store's `Date`, say) falls back to `structuredClone`, so the copy is never shallower than before.
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/**
 * Wraps a store so hot reads (a node by id, its inventory, the node a MAC boots as; the user or token an
 * authenticated request names) come from memory:
 * entries are dropped on every write through this store and on every change the feed reports from other
 * servers. A read that raced with a change is not cached (generation check), so a stale entry never
 * outlives the change that made it stale. Records are copied on the way out: callers may modify them.
 */
export function createCachedStore(inner: Store, options: CachedStoreOptions = {}): CachedStore {
  const feed = options.feed ?? createLocalNodeChangeFeed();
  const max = options.maxEntries ?? 50_000;
  const nodes = new Map<string, NodeRecord | null>();
  const inventories = new Map<string, Inventory | null>();
  const bootMacs = new Map<string, string | null>();
  const macsOfNode = new Map<string, Set<string>>();
  // Users and tokens as authentication reads them on every request. Only found ones are kept (a name or id
  // that did not exist may be created by another server at any time); a delete drops them everywhere.
  const users = new Map<string, UserRecord | null>();
  const tokens = new Map<string, TokenRecord | null>();
  const dropUser = (username: string) => {
    users.delete(username);
    for (const [id, token] of tokens) if (token?.username === username && token.kind === 'session') tokens.delete(id);
  };
  const stats = { hits: 0, misses: 0 };
  // Bumped by every invalidation: a read started before it must not fill the cache with what it read.
  let generation = 0;

  const dropNode = (id: string) => {
    nodes.delete(id);
    inventories.delete(id);
    for (const mac of macsOfNode.get(id) ?? []) bootMacs.delete(mac);
    macsOfNode.delete(id);
  };
  const invalidate = (change: NodeChange | 'reset') => {
    generation += 1;
    if (change === 'reset') {
      nodes.clear();
      inventories.clear();
      bootMacs.clear();
      macsOfNode.clear();
      users.clear();
      tokens.clear();
      return;
    }
    for (const id of change.ids) dropNode(id);
    for (const mac of change.macs) bootMacs.delete(mac);
    for (const username of change.users ?? []) dropUser(username);
    for (const id of change.tokens ?? []) tokens.delete(id);
  };
  /**
   * A read through the cache: a hit is a copy of what is kept; a miss reads `inner` and keeps what it read
   * if the feed is live and no change raced it (generation check). `keepMissing: false` keeps only what
   * was found (users and tokens: a name that did not exist may be created by another server at any time).
   */
  const readThrough = async <T>(
    map: Map<string, T | null>,
    key: string,
    read: () => Promise<T | null>,
    keepMissing: boolean,
  ): Promise<T | null> => {
    if (feed.live && map.has(key)) {
      stats.hits += 1;
      const hit = map.get(key) ?? null;
      return hit ? copy(hit) : null;
    }
    stats.misses += 1;
    const gen = generation;
    const found = await read();
    if (feed.live && gen === generation && (found || keepMissing)) {
      room(map);
      map.set(key, found ? copy(found) : null);
    }
    return found;
  };
  const unsubscribe = feed.subscribe(invalidate);
  const room = <K, V>(map: Map<K, V>) => {
    if (map.size >= max) map.clear();
  };
  const changed = (record: NodeRecord, before?: NodeRecord | null) =>
    invalidate({ ids: [record.id], macs: [...record.macs, ...(before?.macs ?? [])] });

  const cachedNode = (id: string) => readThrough(nodes, id, () => inner.getNode(id), true);

  return {
    kind: inner.kind,
    cacheStats: stats,
    migrate: () => inner.migrate(),
    getNode: cachedNode,
    getInventory: (id) => readThrough(inventories, id, () => inner.getInventory(id), true),
    async findBootNode(mac) {
      if (feed.live && bootMacs.has(mac)) {
        const id = bootMacs.get(mac) ?? null;
        if (id === null) {
          stats.hits += 1;
          return null;
        }
        const record = await cachedNode(id);
        if (record?.macs.includes(mac)) return record;
      }
      stats.misses += 1;
      const gen = generation;
      const record = await inner.findBootNode(mac);
      if (feed.live && gen === generation) {
        room(bootMacs);
        bootMacs.set(mac, record?.id ?? null);
        if (record) {
          const macs = macsOfNode.get(record.id) ?? new Set<string>();
          macsOfNode.set(record.id, macs);
          macs.add(mac);
          room(nodes);
          nodes.set(record.id, copy(record));
        }
      }
      return record;
    },
    async insertNode(record, inventory, history) {
      try {
        await inner.insertNode(record, inventory, history);
      } finally {
        changed(record);
      }
    },
    async updateNode(record, expected, inventory, history) {
      const before = nodes.get(record.id);
      try {
        return await inner.updateNode(record, expected, inventory, history);
      } finally {
        changed(record, before);
      }
    },
    findByIdentityKey: (key) => inner.findByIdentityKey(key),
    findByMacs: (macs) => inner.findByMacs(macs),
    listNodes: (filter, after, limit) => inner.listNodes(filter, after, limit),
    listHistory: (nodeId, before, limit) => inner.listHistory(nodeId, before, limit),
    countHistory: (nodeId) => inner.countHistory(nodeId),
    nodesMark: () => inner.nodesMark(),
    ...(inner.findIdentityOwners
      ? {
          findIdentityOwners: (key: string, macs: readonly string[], serial: string | null) =>
            inner.findIdentityOwners!(key, macs, serial),
        }
      : {}),
    ...(inner.findBySerial ? { findBySerial: (serial: string) => inner.findBySerial!(serial) } : {}),
    ...(inner.countNodesByState ? { countNodesByState: () => inner.countNodesByState!() } : {}),
    createUser: (user) => inner.createUser(user),
    getUser: (username) => readThrough(users, username, () => inner.getUser(username), false),
    listUsers: (after, limit) => inner.listUsers(after, limit),
    async deleteUser(username) {
      try {
        return await inner.deleteUser(username);
      } finally {
        invalidate({ ids: [], macs: [], users: [username] });
      }
    },
    createToken: (token) => inner.createToken(token),
    getToken: (id) => readThrough(tokens, id, () => inner.getToken(id), false),
    listTokens: (kind, after, limit) => inner.listTokens(kind, after, limit),
    async deleteToken(id) {
      try {
        return await inner.deleteToken(id);
      } finally {
        invalidate({ ids: [], macs: [], tokens: [id] });
      }
    },
    async close() {
      unsubscribe();
      await feed.close();
      await inner.close();
    },
  };
}
