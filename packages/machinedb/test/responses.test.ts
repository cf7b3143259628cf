import { type OperationId, type OperationSpec, operations } from '@fleet/machinedb-contract';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachineDbApp, createSqliteStore, type MachineDbApp } from '../src/index.js';
import { SERVER_KEY, sampleInventory, sampleRequests, testAllocator } from './support.js';

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));

describe('every success response matches its schema in the contract', () => {
  let server: MachineDbApp;
  let admin = '';
  let nodeToken = '';
  let nodeId = '';

  beforeAll(async () => {
    server = await createMachineDbApp({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      sweepIntervalMs: 0,
    });
    await server.machineDb.ensureUser({ username: 'root', password: 'root-password-1', role: 'admin' });
    admin = (await server.machineDb.login('root', 'root-password-1')).token;
    const enrolled = await server.machineDb.submitInventory(sampleInventory(1), { kind: 'enrol' });
    nodeId = enrolled.nodeId;
    nodeToken = enrolled.token ?? '';
    const inv = sampleInventory(1);
    // ready-for-bmc, so the config poll carries BMC settings too.
    await server.machineDb.updateNode(
      nodeId,
      { hostname: 'web1', location: { site: 's1', rack: 'r1' }, systemDisk: { serial: inv.disks[0]?.serial ?? '' } },
      null,
      { kind: 'user', name: 'root' },
    );
  });
  afterAll(async () => server?.close());

  it('checks all operations', async () => {
    const inventory = sampleInventory(1);
    const requests = sampleRequests({ nodeId, mac: inventory.nics[0]?.mac ?? '', inventory, unique: 'x1' });
    // Node-facing calls first (the transition below would change what they return).
    const order = (Object.keys(operations) as OperationId[]).sort(
      (a, b) => Number(operations[b].auth === 'node') - Number(operations[a].auth === 'node'),
    );
    for (const id of order) {
      const op = operations[id] as OperationSpec;
      const req = requests[id];
      const token = op.auth === 'node' || id === 'submitInventory' ? nodeToken : admin;
      const res = await server.app.inject({
        method: req.method as 'GET',
        url: req.path,
        headers: { authorization: `Bearer ${token}`, ...req.headers },
        ...(req.body !== undefined ? { payload: req.body as object } : {}),
      });
      expect(res.statusCode, `${id}: ${res.body}`).toBe(op.status);
      const body = res.json() as unknown;
      const errors = [...Value.Errors(op.response, body)].slice(0, 3).map((e) => `${e.path} ${e.message}`);
      expect(errors, id).toEqual([]);
      if (id === 'getNodeConfig') expect((body as { bmc: unknown }).bmc).not.toBeNull();
      if (id === 'resetNodeIdentity') {
        // The reset revoked the node's token: the node enrols again without one and gets a new token.
        nodeToken = (await server.machineDb.submitInventory(inventory, { kind: 'enrol' })).token ?? '';
      }
    }
  });
});
