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

  /** The caller a node's own token authenticates as. */
  const asNode = async (token: string | null) => {
    const caller = await db.authenticate(`Bearer ${token}`);
    if (caller?.kind !== 'node') throw new Error('not a node token');
    return caller;
  };

  it('identifies a node by system UUID first: same UUID, new NICs → same node (with its token)', async () => {
    const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const inv = sampleInventory(1, { nics: [{ name: 'eth9', mac: '02:00:00:00:00:99' }] });
    const b = await db.submitInventory(inv, await asNode(a.token));
    expect(b).toMatchObject({ nodeId: a.nodeId, created: false, token: null });
    expect((await db.getNode(a.nodeId)).macs).toEqual(['02:00:00:00:00:99']);
  });

  it('never re-enrols a known UUID without its token, until an admin resets the identity', async () => {
    const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const before = await db.getNode(a.nodeId);
    const replay = sampleInventory(1, { nics: [{ name: 'evil0', mac: '02:00:00:00:00:66' }] });
    for (const caller of [
      { kind: 'enrol' as const },
      {
        kind: 'user' as const,
        principal: { name: 'root', role: 'admin' as const, source: 'local' as const, nodeId: null },
        actor: admin,
      },
    ]) {
      await expect(db.submitInventory(replay, caller)).rejects.toMatchObject({
        code: 'NODE_IDENTITY_CLAIMED',
        status: 409,
        details: { nodeId: a.nodeId },
      });
    }
    expect(await db.getNode(a.nodeId)).toEqual(before);
    // The real node's token still works.
    expect((await asNode(a.token)).nodeId).toBe(a.nodeId);

    await db.resetIdentity(a.nodeId, 'disk replaced', admin);
    await expect(asNode(a.token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const claimed = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    expect(claimed).toMatchObject({ nodeId: a.nodeId, created: false });
    expect((await asNode(claimed.token)).nodeId).toBe(a.nodeId);
    // Once: a second anonymous enrolment is refused again.
    await expect(db.submitInventory(sampleInventory(1), { kind: 'enrol' })).rejects.toMatchObject({
      code: 'NODE_IDENTITY_CLAIMED',
    });
    const actions = (await db.listHistory(a.nodeId, {})).items.map((h) => [h.action, h.actor.name, h.reason]);
    expect(actions.slice(0, 2)).toEqual([
      ['inventory', a.nodeId, 'enrolled again after an identity reset'],
      ['identity-reset', 'root', 'disk replaced'],
    ]);
  });

  it('boards with a placeholder UUID are told apart by MAC, and found again by MAC', async () => {
    const placeholder = '03000200-0400-0500-0006-000700080009';
    const x = await db.submitInventory(sampleInventory(1, { systemUuid: placeholder }), { kind: 'enrol' });
    const y = await db.submitInventory(sampleInventory(2, { systemUuid: placeholder }), { kind: 'enrol' });
    expect(y.nodeId).not.toBe(x.nodeId);
    // Same board, a NIC added that sorts first: the identity key changes but a known MAC finds it.
    const inv = sampleInventory(1, { systemUuid: placeholder });
    inv.nics.push({ name: 'eth0', mac: '00:00:00:00:00:01' });
    const again = await db.submitInventory(inv, await asNode(x.token));
    expect(again.nodeId).toBe(x.nodeId);
  });

  it('a new UUID with the MAC or serial of an active node is refused; a decommissioned node gives them up', async () => {
    const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const byMac = sampleInventory(2, { nics: sampleInventory(1).nics });
    await expect(db.submitInventory(byMac, { kind: 'enrol' })).rejects.toMatchObject({
      code: 'NODE_IDENTITY_CLAIMED',
      details: { nodeId: a.nodeId },
    });
    const bySerial = sampleInventory(3, { serial: sampleInventory(1).serial });
    await expect(db.submitInventory(bySerial, { kind: 'enrol' })).rejects.toMatchObject({
      code: 'NODE_IDENTITY_CLAIMED',
    });
    // Not even a node's own token takes another node's MAC.
    const c = await db.submitInventory(sampleInventory(4), { kind: 'enrol' });
    const stolen = sampleInventory(4, { nics: [...sampleInventory(4).nics, sampleInventory(1).nics[0]!] });
    await expect(db.submitInventory(stolen, await asNode(c.token))).rejects.toMatchObject({
      code: 'NODE_IDENTITY_CLAIMED',
    });
    // Placeholder serials identify nothing.
    const d = await db.submitInventory(sampleInventory(5, { serial: 'To be filled by O.E.M.' }), { kind: 'enrol' });
    const e = await db.submitInventory(sampleInventory(6, { serial: 'To be filled by O.E.M.' }), { kind: 'enrol' });
    expect(e.nodeId).not.toBe(d.nodeId);
    expect(await db.bootTarget(sampleInventory(1).nics[0]?.mac ?? '')).toMatchObject({ nodeId: a.nodeId });

    await db.transitionNode(a.nodeId, { to: 'decommissioned', reason: 'board swapped' }, null, admin);
    clock = new Date(clock.getTime() + 1000);
    const b = await db.submitInventory(byMac, { kind: 'enrol' });
    expect(b.nodeId).not.toBe(a.nodeId);
    expect((await db.bootTarget(sampleInventory(1).nics[0]?.mac ?? '')).nodeId).toBe(b.nodeId);
  });

  it('with requireAcceptance a new node waits in new until an admin accepts it', async () => {
    const strict = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      requireAcceptance: true,
      now: () => clock,
    });
    try {
      const n = await strict.submitInventory(sampleInventory(1), { kind: 'enrol' });
      expect(n.state).toBe('new');
      const shown = await strict.getNode(n.nodeId);
      const disk = { serial: shown.inventory?.disks[0]?.serial ?? '' };
      const placed = await strict.updateNode(
        n.nodeId,
        { location: { site: 's', rack: 'r' }, systemDisk: disk },
        null,
        admin,
      );
      expect(placed).toMatchObject({ state: 'new', bmc: null, addresses: [] });
      const caller = await strict.authenticate(`Bearer ${n.token}`);
      if (caller?.kind !== 'node') throw new Error('not a node');
      await strict.submitInventory(sampleInventory(1), caller);
      expect((await strict.getNodeConfig(n.nodeId)).state).toBe('new');
      await strict.transitionNode(n.nodeId, { to: 'inventoried', reason: 'accepted: rack 4 delivery' }, null, admin);
      const ready = await strict.transitionNode(n.nodeId, { to: 'ready-for-bmc', reason: 'go' }, null, admin);
      expect(ready.bmc?.passwordSet).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('concurrent first reports of one node create it once; the others are refused', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => db.submitInventory(sampleInventory(7), { kind: 'enrol' })),
    );
    const created = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(created).toHaveLength(1);
    expect(created[0]?.created).toBe(true);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'NODE_IDENTITY_CLAIMED' });
    }
    const node = await db.getNode(created[0]?.nodeId ?? '');
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
