import { describe, expect, it } from 'vitest';
import {
  createCachedStore,
  createMachineDb,
  createSqliteStore,
  type NodeChange,
  type NodeChangeFeed,
  type Store,
} from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

/** A feed the test drives: what a PostgreSQL LISTEN connection would report. */
function testFeed() {
  const listeners = new Set<(change: NodeChange | 'reset') => void>();
  const feed: NodeChangeFeed & { emit(c: NodeChange | 'reset'): void; setLive(v: boolean): void } = {
    live: true,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {},
    emit(change) {
      for (const l of listeners) l(change);
    },
    setLive(v) {
      (feed as { live: boolean }).live = v;
    },
  };
  return feed;
}

async function setup() {
  const inner = createSqliteStore({ path: ':memory:' });
  const feed = testFeed();
  const store = createCachedStore(inner, { feed });
  const db = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator() });
  const { nodeId } = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
  return { inner, feed, store, db, nodeId, mac: sampleInventory(1).nics[0]!.mac };
}

describe('cached store', () => {
  it('serves repeated reads from memory and drops a node on a write through it', async () => {
    const { store, db, nodeId, mac } = await setup();
    const first = await store.findBootNode(mac);
    const misses = store.cacheStats.misses;
    expect((await store.findBootNode(mac))?.id).toBe(nodeId);
    expect((await store.getNode(nodeId))?.version).toBe(first?.version);
    expect(store.cacheStats.misses).toBe(misses);
    await db.transitionNode(nodeId, { to: 'maintenance', reason: 'test' }, null, { kind: 'user', name: 'root' });
    expect((await store.findBootNode(mac))?.state).toBe('maintenance');
    // A copy each time: a caller changing what it got does not change the cache.
    const copy = await store.getNode(nodeId);
    copy!.hostname = 'changed-by-caller';
    expect((await store.getNode(nodeId))?.hostname).not.toBe('changed-by-caller');
    await db.close();
  });

  it('drops what another server changed (the feed), and serves nothing while the feed is down', async () => {
    const { inner, feed, store, db, nodeId, mac } = await setup();
    await store.findBootNode(mac);
    // Another server writes straight to the database: the cache does not know until the feed says so.
    const record = (await inner.getNode(nodeId))!;
    const history = {
      nodeId,
      at: record.updatedAt,
      actor: { kind: 'user' as const, name: 'other' },
      action: 'update' as const,
      reason: null,
      before: {},
      after: {},
    };
    expect(
      await inner.updateNode(
        { ...record, hostname: 'from-b', version: record.version + 1 },
        record.version,
        undefined,
        history,
      ),
    ).toBe(true);
    expect((await store.getNode(nodeId))?.hostname).toBe(record.hostname);
    feed.emit({ ids: [nodeId], macs: [mac] });
    expect((await store.getNode(nodeId))?.hostname).toBe('from-b');
    // Feed down: reads go to the database.
    feed.setLive(false);
    const latest = (await inner.getNode(nodeId))!;
    await inner.updateNode(
      { ...latest, hostname: 'while-down', version: latest.version + 1 },
      latest.version,
      undefined,
      history,
    );
    expect((await store.getNode(nodeId))?.hostname).toBe('while-down');
    await db.close();
  });

  it('does not keep a read that raced with a change', async () => {
    const { inner, feed, db, nodeId } = await setup();
    // Hold the inner read until the change has been reported.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Store = Object.create(inner);
    slow.getNode = async (id) => {
      const record = await inner.getNode(id);
      await gate;
      return record;
    };
    const racing = createCachedStore(slow, { feed });
    const read = racing.getNode(nodeId);
    const record = (await inner.getNode(nodeId))!;
    const history = {
      nodeId,
      at: record.updatedAt,
      actor: { kind: 'user' as const, name: 'other' },
      action: 'update' as const,
      reason: null,
      before: {},
      after: {},
    };
    await inner.updateNode(
      { ...record, hostname: 'newer', version: record.version + 1 },
      record.version,
      undefined,
      history,
    );
    feed.emit({ ids: [nodeId], macs: [] });
    release();
    expect((await read)?.hostname).toBe(record.hostname); // the old value, read before the change
    expect((await racing.getNode(nodeId))?.hostname).toBe('newer'); // but not kept
    await db.close();
  });

  it('copies deeply: nested lists a caller changes stay as stored, and values that are not plain data keep their type', async () => {
    const { inner, store, db, nodeId, mac } = await setup();
    const stored = (await store.getNode(nodeId))!;
    await store.getInventory(nodeId);
    const node = (await store.getNode(nodeId))!;
    node.macs.push('02:00:00:00:00:99');
    node.roles.push('changed-by-caller');
    const inventory = (await store.getInventory(nodeId))!;
    inventory.nics[0]!.name = 'changed0';
    expect((await store.getNode(nodeId))?.macs).toEqual(stored.macs);
    expect(stored.macs).toContain(mac);
    expect((await store.getNode(nodeId))?.roles).not.toContain('changed-by-caller');
    expect((await store.getInventory(nodeId))?.nics[0]?.name).toBe(sampleInventory(1).nics[0]!.name);

    // A custom store may hand out a Date (not JSON): the copy is still a Date, and still a copy.
    const dated: Store = Object.create(inner);
    const seen = new Date('2026-01-02T03:04:05Z');
    dated.getNode = async (id) => {
      const record = await inner.getNode(id);
      return record && ({ ...record, seenAt: seen } as typeof record);
    };
    const cached = createCachedStore(dated);
    await cached.getNode(nodeId);
    const hit = (await cached.getNode(nodeId)) as unknown as { seenAt: Date };
    expect(hit.seenAt).toBeInstanceOf(Date);
    expect(hit.seenAt).not.toBe(seen);
    expect(hit.seenAt.getTime()).toBe(seen.getTime());
    await db.close();
  });

  it('keeps users and tokens for authentication, and forgets a revoked token or a deleted user everywhere', async () => {
    const { inner, feed, store, db } = await setup();
    const createdAt = new Date().toISOString();
    await store.createUser({ username: 'alice', role: 'operator', passwordHash: 'x', createdAt });
    const token = (id: string, kind: 'api' | 'session') => ({
      id,
      kind,
      name: `${kind}-${id}`,
      role: 'operator' as const,
      username: 'alice',
      source: 'local' as const,
      hash: 'h',
      createdAt,
      expiresAt: null,
    });
    await store.createToken(token('t1', 'api'));
    await store.createToken(token('t2', 'session'));
    await store.createToken(token('t3', 'api'));
    for (const id of ['t1', 't2', 't3']) await store.getToken(id);
    await store.getUser('alice');
    const misses = store.cacheStats.misses;
    expect((await store.getToken('t1'))?.name).toBe('api-t1');
    expect((await store.getUser('alice'))?.role).toBe('operator');
    expect(store.cacheStats.misses).toBe(misses); // served from memory

    // Revoked by another server: this one keeps it until the notice, then refuses it.
    expect(await inner.deleteToken('t1')).toBe(true);
    expect(await store.getToken('t1')).not.toBeNull();
    feed.emit({ ids: [], macs: [], tokens: ['t1'] });
    expect(await store.getToken('t1')).toBeNull();
    // A token never seen is not remembered as missing: created elsewhere later, it is found.
    await inner.createToken(token('t1', 'api'));
    expect(await store.getToken('t1')).not.toBeNull();

    // Revoked through this store: gone at once.
    expect(await store.deleteToken('t3')).toBe(true);
    expect(await store.getToken('t3')).toBeNull();

    // A user deleted by another server takes its sessions with it (its API tokens stay, as in the database).
    expect(await inner.deleteUser('alice')).toBe(true);
    feed.emit({ ids: [], macs: [], users: ['alice'] });
    expect(await store.getUser('alice')).toBeNull();
    expect(await store.getToken('t2')).toBeNull();
    expect(await store.getToken('t1')).not.toBeNull();
    await db.close();
  });
});
