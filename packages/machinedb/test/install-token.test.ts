import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMachineDb, createSqliteStore, type MachineDb } from '../src/index.js';
import { SERVER_KEY, sampleInventory, testAllocator } from './support.js';

const admin = { kind: 'user' as const, name: 'root' };

describe('install tokens', () => {
  let db: MachineDb;
  beforeEach(async () => {
    db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
    });
  });
  afterEach(async () => db.close());

  async function readyNode(): Promise<string> {
    const { nodeId } = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
    const node = await db.getNode(nodeId);
    const disk = node.inventory?.disks[0]?.byId[0];
    await db.updateNode(
      nodeId,
      { location: { site: 'lab', rack: 'r01' }, systemDisk: disk ? { byId: disk } : { sizeBytes: 1 } },
      node.version,
      admin,
    );
    return nodeId;
  }

  it('lets the installer report while the node installs, and never otherwise', async () => {
    const nodeId = await readyNode();
    const token = await db.issueInstallToken(nodeId);
    expect(token.startsWith(`mdbi.${nodeId}.`)).toBe(true);
    // ready-for-bmc: the BMC password is still on offer, so the install token must not work yet.
    await expect(db.authenticate(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await db.reportEvent(nodeId, { type: 'bmc-configured' }, { kind: 'node', name: nodeId });
    const caller = await db.authenticate(`Bearer ${token}`);
    expect(caller).toMatchObject({ kind: 'node', nodeId });
    await db.reportEvent(nodeId, { type: 'install-started' }, { kind: 'node', name: nodeId });
    await db.reportEvent(nodeId, { type: 'install-finished' }, { kind: 'node', name: nodeId });
    await expect(db.authenticate(`Bearer ${token}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('is bound to its node and cannot be forged', async () => {
    const nodeId = await readyNode();
    await db.reportEvent(nodeId, { type: 'bmc-configured' }, { kind: 'node', name: nodeId });
    const token = await db.issueInstallToken(nodeId);
    const [prefix, , secret] = token.split('.');
    const { nodeId: other } = await db.submitInventory(sampleInventory(2), { kind: 'enrol' });
    await expect(db.authenticate(`Bearer ${prefix}.${other}.${secret}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(db.authenticate(`Bearer ${prefix}.${nodeId}.${secret}x`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
