import { createMemoryLogger } from '@fleet/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMachineDb, createSqliteStore, type MachineDb } from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

const admin = { kind: 'user' as const, name: 'root' };

describe('MachineDb service (SQLite in memory)', () => {
  let db: MachineDb;
  let clock = new Date('2026-03-01T00:00:00Z');
  const logger = createMemoryLogger();
  beforeEach(async () => {
    clock = new Date('2026-03-01T00:00:00Z');
    db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      stateTimeouts: { installing: 3600 },
      now: () => clock,
      logger,
    });
  });
  afterEach(async () => db.close());

  it('identifies a node by system UUID first: same UUID, new NICs → same node', async () => {
    const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const b = await db.submitInventory(sampleInventory(1, { nics: [{ name: 'eth9', mac: '02:00:00:00:00:99' }] }), {
      kind: 'enrol',
    });
    expect(b.nodeId).toBe(a.nodeId);
    expect(b.created).toBe(false);
    expect((await db.getNode(a.nodeId)).macs).toEqual(['02:00:00:00:00:99']);
  });

  it('boards with a placeholder UUID are told apart by MAC, and found again by MAC', async () => {
    const placeholder = '03000200-0400-0500-0006-000700080009';
    const x = await db.submitInventory(sampleInventory(1, { systemUuid: placeholder }), { kind: 'enrol' });
    const y = await db.submitInventory(sampleInventory(2, { systemUuid: placeholder }), { kind: 'enrol' });
    expect(y.nodeId).not.toBe(x.nodeId);
    // Same board, a NIC added that sorts first: the identity key changes but a known MAC finds it.
    const inv = sampleInventory(1, { systemUuid: placeholder });
    inv.nics.push({ name: 'eth0', mac: '00:00:00:00:00:01' });
    const again = await db.submitInventory(inv, { kind: 'enrol' });
    expect(again.nodeId).toBe(x.nodeId);
  });

  it('a different real UUID sharing a MAC is a different node', async () => {
    const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const shared = sampleInventory(2, { nics: sampleInventory(1).nics });
    clock = new Date(clock.getTime() + 1000);
    const b = await db.submitInventory(shared, { kind: 'enrol' });
    expect(b.nodeId).not.toBe(a.nodeId);
    // The boot lookup prefers the most recently changed node for a shared MAC.
    expect((await db.bootTarget(sampleInventory(1).nics[0]?.mac ?? '')).nodeId).toBe(b.nodeId);
  });

  it('concurrent first reports of one node create it once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => db.submitInventory(sampleInventory(7), { kind: 'enrol' })),
    );
    expect(new Set(results.map((r) => r.nodeId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const node = await db.getNode(results[0]?.nodeId ?? '');
    expect(node.version).toBe(await db.store.countHistory(node.id));
  });

  it('accepts only a system disk hint that picks exactly one disk', async () => {
    const { nodeId } = await db.submitInventory(sampleInventory(3), { kind: 'enrol' });
    const inv = sampleInventory(3);
    await expect(db.updateNode(nodeId, { systemDisk: { serial: 'NOPE' } }, null, admin)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'systemDisk' },
    });
    await expect(
      db.updateNode(nodeId, { systemDisk: { byId: inv.disks[1]?.byId[0] ?? '' } }, null, admin),
    ).resolves.toMatchObject({
      systemDisk: { byId: inv.disks[1]?.byId[0] },
      state: 'inventoried',
    });
    // Location completes the requirements: ready-for-bmc, with a BMC address allocated.
    const ready = await db.updateNode(nodeId, { location: { site: 'a', rack: 'b' } }, null, admin);
    expect(ready.state).toBe('ready-for-bmc');
    expect(ready.bmc?.address).toBe('10.20.0.2');
    // Clearing the location steps back; the allocated address stays with the node.
    const back = await db.updateNode(nodeId, { location: null }, null, admin);
    expect(back.state).toBe('inventoried');
  });

  it('ready-for-bmc by hand needs location and disk', async () => {
    const { nodeId } = await db.submitInventory(sampleInventory(4), { kind: 'enrol' });
    await expect(db.transitionNode(nodeId, { to: 'ready-for-bmc', reason: 'go' }, null, admin)).rejects.toMatchObject({
      code: 'NODE_NOT_READY',
      status: 409,
    });
  });

  it('the sweep fails nodes that overstay a state, once, with the reason', async () => {
    const { nodeId, token } = await db.submitInventory(sampleInventory(5), { kind: 'enrol' });
    expect(token).toBeTruthy();
    const inv = sampleInventory(5);
    await db.updateNode(
      nodeId,
      { location: { site: 'a', rack: 'b' }, systemDisk: { serial: inv.disks[0]?.serial ?? '' } },
      null,
      admin,
    );
    const node = { kind: 'node' as const, name: nodeId };
    await db.reportEvent(nodeId, { type: 'bmc-configured' }, node);
    await db.reportEvent(nodeId, { type: 'install-started' }, node);
    clock = new Date(clock.getTime() + 3000 * 1000);
    expect(await db.sweepTimeouts()).toEqual([]);
    clock = new Date(clock.getTime() + 601 * 1000);
    expect(await db.sweepTimeouts()).toEqual([nodeId]);
    expect(await db.sweepTimeouts()).toEqual([]);
    const failed = await db.getNode(nodeId);
    expect(failed.state).toBe('failed');
    expect(failed.stateReason).toMatch(/timed out: installing/);
    const history = await db.listHistory(nodeId, {});
    expect(history.items[0]).toMatchObject({ action: 'timeout', actor: { kind: 'system', name: 'timeout-sweep' } });
    expect(logger.entries.some((e) => e.message === 'node timed out')).toBe(true);
  });

  it('a failed event needs a reason; BMC passwords never reach the log', async () => {
    const { nodeId } = await db.submitInventory(sampleInventory(6), { kind: 'enrol' });
    await expect(db.reportEvent(nodeId, { type: 'failed' }, { kind: 'node', name: nodeId })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const inv = sampleInventory(6);
    await db.updateNode(
      nodeId,
      { location: { site: 'a', rack: 'b' }, systemDisk: { serial: inv.disks[0]?.serial ?? '' } },
      null,
      admin,
    );
    const password = (await db.getNodeConfig(nodeId)).bmc?.password ?? '';
    expect(password).not.toBe('');
    expect(JSON.stringify(logger.entries)).not.toContain(password);
  });

  it('unknown node ids are NODE_NOT_FOUND and bad cursors VALIDATION_FAILED', async () => {
    await expect(db.getNode('nope')).rejects.toMatchObject({ code: 'NODE_NOT_FOUND', status: 404 });
    await expect(db.listNodes({ cursor: Buffer.from('../x').toString('base64url') })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'cursor' },
    });
  });

  it('refuses a host name another node has (CONFLICT), so boot files and exports stay unambiguous', async () => {
    const a = await db.submitInventory(sampleInventory(21), { kind: 'enrol' });
    const b = await db.submitInventory(sampleInventory(22), { kind: 'enrol' });
    await db.updateNode(a.nodeId, { hostname: 'dup', groups: ['web'] }, null, admin);
    await expect(db.updateNode(b.nodeId, { hostname: 'dup', groups: ['web'] }, null, admin)).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
    // Setting a node's own name again is no conflict.
    await db.updateNode(a.nodeId, { hostname: 'dup' }, null, admin);
    await db.updateNode(b.nodeId, { groups: ['web'] }, null, admin);
    const doc = await db.exportAnsible();
    expect(Object.keys(doc._meta.hostvars).sort()).toEqual(['dup', b.nodeId].sort());
    expect(((doc.group_web as { hosts: string[] } | undefined)?.hosts ?? []).sort()).toEqual(['dup', b.nodeId].sort());
    expect(doc.all.children).toEqual(['ungrouped', 'group_web', 'state_inventoried']);
  });
});
