import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMachineDb, createSqliteStore, type MachineDb, type Store } from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

const admin = { kind: 'user' as const, name: 'root' };

/** A store that counts the calls that walk the nodes or recount them. */
function counted(store: Store) {
  const calls = { listNodes: 0, countNodesByState: 0, nodesMark: 0 };
  const wrapped: Store = Object.create(store);
  wrapped.listNodes = async (...args) => {
    calls.listNodes += 1;
    return await store.listNodes(...args);
  };
  wrapped.countNodesByState = async () => {
    calls.countNodesByState += 1;
    return await store.countNodesByState!();
  };
  wrapped.nodesMark = async () => {
    calls.nodesMark += 1;
    return await store.nodesMark();
  };
  return { store: wrapped, calls };
}

describe('nodes per state for metrics', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function open(path: string): Promise<{ db: MachineDb; calls: ReturnType<typeof counted>['calls'] }> {
    const { store, calls } = counted(createSqliteStore({ path }));
    const db = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator() });
    cleanups.push(() => db.close());
    return { db, calls };
  }

  it('follows every change from counters, with one aggregate per read and no walk over the nodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-counts-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { db, calls } = await open(join(dir, 'm.sqlite'));
    expect(await db.nodeCountsByState()).toEqual({});
    const enrolled = [];
    for (let i = 1; i <= 5; i++) enrolled.push(await db.submitInventory(sampleInventory(i), { kind: 'enrol' }));
    const ids = enrolled.map((e) => e.nodeId);
    // The same inventory again, with the node's own token: an update of the same node, no new node.
    const node1 = await db.authenticate(`Bearer ${enrolled[0]?.token}`);
    if (!node1) throw new Error('node token not accepted');
    await db.submitInventory(sampleInventory(1), node1);
    await db.transitionNode(ids[0]!, { to: 'maintenance', reason: 'dead PSU' }, null, admin);
    await db.transitionNode(ids[1]!, { to: 'maintenance', reason: 'dead disk' }, null, admin);
    const recountsBefore = calls.countNodesByState;
    const walksBefore = calls.listNodes;
    expect(await db.nodeCountsByState()).toEqual({ maintenance: 2, inventoried: 3 });
    await db.transitionNode(ids[1]!, { to: 'inventoried', reason: 'disk replaced' }, null, admin);
    expect(await db.nodeCountsByState()).toEqual({ maintenance: 1, inventoried: 4 });
    // Served from the counters: neither recounted nor walked.
    expect(calls.countNodesByState).toBe(recountsBefore);
    expect(calls.listNodes).toBe(walksBefore);
  });

  it('sees a change made by another server on the same database at the next read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-counts-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'm.sqlite');
    const one = await open(path);
    const two = await open(path);
    const id = (await one.db.submitInventory(sampleInventory(1), { kind: 'enrol' })).nodeId;
    expect(await one.db.nodeCountsByState()).toEqual({ inventoried: 1 });
    await two.db.transitionNode(id, { to: 'maintenance', reason: 'seen from the other server' }, null, admin);
    await two.db.submitInventory(sampleInventory(2), { kind: 'enrol' });
    expect(await one.db.nodeCountsByState()).toEqual({ maintenance: 1, inventoried: 1 });
    expect(await two.db.nodeCountsByState()).toEqual({ maintenance: 1, inventoried: 1 });
  });
});
