import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeRecord } from '../src/index.js';
import { type Store, StoreConflictError } from '../src/index.js';
import { sampleInventory, storeFixtures } from './support.js';

function record(id: string, overrides: Partial<NodeRecord> = {}): NodeRecord {
  const now = '2026-01-01T00:00:00.000Z';
  return {
    id,
    identityKey: `uuid-${id}`,
    systemUuid: `uuid-${id}`,
    serial: `S-${id}`,
    macs: [`52:54:00:00:00:${id.slice(-2)}`],
    hostname: null,
    fqdn: null,
    cluster: null,
    roles: [],
    groups: [],
    tags: [],
    asn: null,
    location: null,
    systemDisk: null,
    bmc: null,
    addresses: [],
    state: 'inventoried',
    stateReason: null,
    stateSince: now,
    createdAt: now,
    updatedAt: now,
    inventoriedAt: now,
    version: 1,
    nodeTokenHash: null,
    ...overrides,
  };
}

const entry = (nodeId: string, action = 'inventory') => ({
  nodeId,
  at: new Date().toISOString(),
  actor: { kind: 'system' as const, name: 'test' },
  action,
  reason: null,
  before: {},
  after: { x: 1 },
});

// One contract, run against every store: both must behave the same.
for (const fixture of storeFixtures) {
  describe.skipIf(!fixture.available())(`store contract: ${fixture.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      const created = await fixture.create();
      store = created.store;
      cleanup = created.cleanup;
      await store.migrate();
    });
    afterEach(async () => cleanup());

    it('migrations are idempotent', async () => {
      await store.migrate();
      await store.insertNode(record('n01'), null, entry('n01'));
      await store.migrate();
      expect(await store.getNode('n01')).not.toBeNull();
    });

    it('inserts, reads back and finds by identity and MAC', async () => {
      const inv = sampleInventory(1);
      await store.insertNode(record('n01', { macs: ['52:54:00:00:00:01', '52:54:00:00:00:02'] }), inv, entry('n01'));
      expect((await store.getNode('n01'))?.serial).toBe('S-n01');
      expect(await store.getInventory('n01')).toEqual(inv);
      expect((await store.findByIdentityKey('uuid-n01'))?.id).toBe('n01');
      expect((await store.findByMacs(['52:54:00:00:00:02', 'ff:ff:ff:ff:ff:ff'])).map((n) => n.id)).toEqual(['n01']);
      expect((await store.findBootNode('52:54:00:00:00:01'))?.id).toBe('n01');
      expect(await store.findBootNode('52:54:00:00:00:99')).toBeNull();
      expect(await store.getNode('nope')).toBeNull();
    });

    it('refuses a duplicate identity with StoreConflictError', async () => {
      await store.insertNode(record('n01'), null, entry('n01'));
      await expect(
        store.insertNode(record('n02', { identityKey: 'uuid-n01' }), null, entry('n02')),
      ).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getNode('n02')).toBeNull();
      expect(await store.countHistory('n02')).toBe(0);
    });

    it('stores concurrent writes each on its own: one refused write leaves the others of its batch stored', async () => {
      // SQLite commits writes that arrive together in one transaction; each must stay atomic and independent.
      await store.insertNode(record('n00'), null, entry('n00'));
      const results = await Promise.allSettled([
        ...['n01', 'n02', 'n03'].map((id) =>
          store.insertNode(record(id), sampleInventory(Number(id.slice(1))), entry(id)),
        ),
        // The refused one conflicts with a node stored before the batch: with a connection pool (PostgreSQL) two
        // writes of one batch run side by side, so a conflict between two of them has no defined winner.
        store.insertNode(record('n04', { identityKey: 'uuid-n00', macs: ['52:54:00:00:00:f4'] }), null, entry('n04')),
        store.updateNode(record('n00', { version: 2, hostname: 'a' }), 1, undefined, entry('n00', 'update')),
        store.updateNode(record('n00', { version: 2, hostname: 'b' }), 1, undefined, entry('n00', 'update')),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
      // Exactly one of the two updates from version 1 won.
      expect(
        results
          .slice(4)
          .map((r) => (r as PromiseFulfilledResult<boolean>).value)
          .sort(),
      ).toEqual([false, true]);
      for (const id of ['n01', 'n02', 'n03']) {
        expect((await store.getNode(id))?.version).toBe(1);
        expect(await store.countHistory(id)).toBe(1);
        expect(await store.getInventory(id)).not.toBeNull();
      }
      expect(await store.getNode('n04')).toBeNull();
      expect(await store.countHistory('n04')).toBe(0);
      expect(await store.findByMacs(['52:54:00:00:00:f4'])).toEqual([]);
      expect((await store.getNode('n00'))?.version).toBe(2);
      expect(await store.countHistory('n00')).toBe(2);
    });

    it('finds identity, MAC and serial owners in one read where the store offers it', async () => {
      if (!store.findIdentityOwners) return expect(fixture.name).not.toMatch(/postgres/i);
      await store.insertNode(
        record('n01', { serial: 'SER-1', macs: ['52:54:00:00:00:01', '52:54:00:00:00:02'] }),
        null,
        entry('n01'),
      );
      await store.insertNode(record('n02', { serial: 'SER-2', macs: ['52:54:00:00:00:03'] }), null, entry('n02'));
      const owners = await store.findIdentityOwners('uuid-n02', ['52:54:00:00:00:03', '52:54:00:00:00:02'], 'SER-1');
      expect(owners.byIdentity?.id).toBe('n02');
      expect(owners.byMacs.map((n) => n.id)).toEqual(['n01', 'n02']);
      expect(owners.bySerial.map((n) => n.id)).toEqual(['n01']);
      const none = await store.findIdentityOwners('uuid-x', ['52:54:00:00:00:ff'], null);
      expect(none).toEqual({ byIdentity: null, byMacs: [], bySerial: [] });
    });

    it('finds nodes by exact serial number', async () => {
      await store.insertNode(record('n01', { serial: 'ABC123' }), null, entry('n01'));
      await store.insertNode(record('n02', { serial: 'abc1234' }), null, entry('n02'));
      await store.insertNode(record('n03', { serial: null }), null, entry('n03'));
      expect((await store.findBySerial?.('ABC123'))?.map((n) => n.id)).toEqual(['n01']);
      expect(await store.findBySerial?.('ABC12')).toEqual([]);
      expect(await store.findBySerial?.('abc123')).toEqual([]);
      expect(store.findBySerial).toBeTypeOf('function');
    });

    it('updates only from the expected version, replacing MACs and appending history', async () => {
      await store.insertNode(record('n01'), null, entry('n01'));
      const next = record('n01', { version: 2, hostname: 'web1', macs: ['52:54:00:00:00:aa'] });
      expect(await store.updateNode(next, 1, undefined, entry('n01', 'update'))).toBe(true);
      expect(await store.updateNode({ ...next, version: 2 }, 1, undefined, entry('n01', 'update'))).toBe(false);
      const stored = await store.getNode('n01');
      expect(stored?.version).toBe(2);
      expect(stored?.hostname).toBe('web1');
      expect(await store.findBootNode('52:54:00:00:00:01')).toBeNull();
      expect((await store.findBootNode('52:54:00:00:00:aa'))?.id).toBe('n01');
      expect(await store.countHistory('n01')).toBe(2);
      expect(await store.getInventory('n01')).toBeNull();
    });

    it('moves the nodes mark on every insert and update, never back to an earlier value', async () => {
      const marks = [await store.nodesMark()];
      await store.insertNode(record('n01'), null, entry('n01'));
      marks.push(await store.nodesMark());
      await store.insertNode(record('n02'), null, entry('n02'));
      marks.push(await store.nodesMark());
      expect(await store.updateNode(record('n01', { version: 2, hostname: 'web1' }), 1, undefined, entry('n01'))).toBe(
        true,
      );
      marks.push(await store.nodesMark());
      // A refused update (stale version) changes nothing, so the mark stays.
      expect(await store.updateNode(record('n02', { version: 2 }), 5, undefined, entry('n02'))).toBe(false);
      marks.push(await store.nodesMark());
      expect(marks).toEqual(['0.0', '1.1', '2.2', '2.3', '2.3']);
    });

    it('counts nodes per state together with the mark of the same snapshot', async () => {
      expect(await store.countNodesByState?.()).toEqual({ mark: '0.0', counts: {} });
      await store.insertNode(record('n01'), null, entry('n01'));
      await store.insertNode(record('n02'), null, entry('n02'));
      await store.updateNode(record('n02', { version: 2, state: 'maintenance' }), 1, undefined, entry('n02'));
      expect(await store.countNodesByState?.()).toEqual({
        mark: await store.nodesMark(),
        counts: { [record('n01').state]: 1, maintenance: 1 },
      });
    });

    it('prefers a live node over a decommissioned one sharing a MAC', async () => {
      const mac = '52:54:00:00:00:77';
      await store.insertNode(
        record('n01', { macs: [mac], state: 'decommissioned', updatedAt: '2026-02-01T00:00:00.000Z' }),
        null,
        entry('n01'),
      );
      await store.insertNode(record('n02', { macs: [mac] }), null, entry('n02'));
      expect((await store.findBootNode(mac))?.id).toBe('n02');
    });

    it('lists with filters and id cursor', async () => {
      await store.insertNode(
        record('n01', {
          groups: ['web'],
          roles: ['k8s'],
          tags: ['gpu'],
          location: { site: 'fra1', rack: 'r01' },
          hostname: 'alpha',
        }),
        null,
        entry('n01'),
      );
      await store.insertNode(
        record('n02', { state: 'deployed', groups: ['web_x'], location: { site: 'fra1', rack: 'r02' } }),
        null,
        entry('n02'),
      );
      await store.insertNode(record('n03', { cluster: 'c1', groups: ['db'] }), null, entry('n03'));
      const ids = async (f: Parameters<Store['listNodes']>[0], after: string | null = null, limit = 10) =>
        (await store.listNodes(f, after, limit)).map((n) => n.id);
      expect(await ids({})).toEqual(['n01', 'n02', 'n03']);
      expect(await ids({}, 'n01', 1)).toEqual(['n02']);
      expect(await ids({ state: 'deployed' })).toEqual(['n02']);
      expect(await ids({ states: ['deployed', 'inventoried'] })).toEqual(['n01', 'n02', 'n03']);
      // `web` must not match `web_x`: LIKE wildcards are escaped.
      expect(await ids({ group: 'web' })).toEqual(['n01']);
      expect(await ids({ role: 'k8s' })).toEqual(['n01']);
      expect(await ids({ tag: 'gpu' })).toEqual(['n01']);
      expect(await ids({ rack: 'r02' })).toEqual(['n02']);
      expect(await ids({ site: 'fra1' })).toEqual(['n01', 'n02']);
      expect(await ids({ cluster: 'c1' })).toEqual(['n03']);
      expect(await ids({ q: 'ALPHA' })).toEqual(['n01']);
      expect(await ids({ q: '%' })).toEqual([]);
      expect(await ids({ mac: '52:54:00:00:00:03' })).toEqual(['n03']);
      // Changed since a time: only the node updated after it.
      await store.updateNode(
        record('n02', { state: 'deployed', version: 2, updatedAt: '2026-03-01T00:00:00.000Z' }),
        1,
        undefined,
        entry('n02'),
      );
      expect(await ids({ updatedSince: '2026-03-01T00:00:00.000Z' })).toEqual(['n02']);
      expect(await ids({ updatedSince: '2026-01-01T00:00:00.000Z' })).toEqual(['n01', 'n02', 'n03']);
      expect(await ids({ updatedSince: '2026-03-01T00:00:00.001Z' })).toEqual([]);
    });

    it('lists history newest first with a seq cursor', async () => {
      await store.insertNode(record('n01'), null, entry('n01', 'a'));
      await store.insertNode(record('n02'), null, entry('n02', 'b'));
      await store.updateNode(record('n01', { version: 2 }), 1, undefined, entry('n01', 'c'));
      const all = await store.listHistory(null, null, 10);
      expect(all.map((h) => h.action)).toEqual(['c', 'b', 'a']);
      expect(all[0]?.actor).toEqual({ kind: 'system', name: 'test' });
      expect(all[0]?.after).toEqual({ x: 1 });
      const n01 = await store.listHistory('n01', null, 10);
      expect(n01.map((h) => h.action)).toEqual(['c', 'a']);
      expect((await store.listHistory(null, all[0]?.seq ?? 0, 1)).map((h) => h.action)).toEqual(['b']);
    });

    it('keeps users and tokens', async () => {
      await store.createUser({ username: 'ann', role: 'admin', passwordHash: 'h', createdAt: 'now' });
      await expect(
        store.createUser({ username: 'ann', role: 'viewer', passwordHash: 'h', createdAt: 'now' }),
      ).rejects.toBeInstanceOf(StoreConflictError);
      await store.createUser({ username: 'bob', role: 'viewer', passwordHash: 'h', createdAt: 'now' });
      expect((await store.listUsers(null, 10)).map((u) => u.username)).toEqual(['ann', 'bob']);
      expect((await store.listUsers('ann', 10)).map((u) => u.username)).toEqual(['bob']);
      const token = {
        id: 'abc',
        kind: 'session' as const,
        name: 's',
        role: 'admin' as const,
        username: 'ann',
        source: 'local' as const,
        hash: 'x',
        createdAt: 'now',
        expiresAt: null,
      };
      await store.createToken(token);
      await store.createToken({ ...token, id: 'def', kind: 'api' });
      expect(await store.getToken('abc')).toEqual(token);
      expect((await store.listTokens('api', null, 10)).map((t) => t.id)).toEqual(['def']);
      expect(await store.deleteUser('ann')).toBe(true);
      expect(await store.getToken('abc')).toBeNull(); // sessions go with their user
      expect(await store.deleteUser('ann')).toBe(false);
      expect(await store.deleteToken('def')).toBe(true);
      expect(await store.deleteToken('def')).toBe(false);
    });
  });
}
