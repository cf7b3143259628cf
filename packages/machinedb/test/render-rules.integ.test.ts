import { FleetError } from '@fleet/core';
import { openSqlite } from '@fleet/sqlite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMachineDb, createMachineDbApp, createSqliteStore, type MachineDb } from '../src/index.js';
import { SERVER_KEY, sampleInventory, storeFixtures, testAllocator } from './support.js';

// What reaches a rendered boot file is refused when it is set, by the renderers' own rules, so a stored
// node can always be rendered; host names are kept apart by the database, not only by a query.

const admin = { kind: 'user' as const, name: 'root' };

describe('NIC names at inventory: the renderers rule (validateInterfaceName), refused at the API', () => {
  it.each(['eth0;reboot', '$(id)', 'eth 0', 'éth0', 'Eth0', 'eth0123456789abc'])(
    'refuses %j with 400 naming the field',
    async (name) => {
      const server = await createMachineDbApp({
        store: createSqliteStore({ path: ':memory:' }),
        serverKey: SERVER_KEY,
        allocator: testAllocator(),
        sweepIntervalMs: 0,
      });
      try {
        const inv = sampleInventory(40);
        const body = { ...inv, nics: [inv.nics[0], { ...inv.nics[1], name }] };
        const res = await server.app.inject({ method: 'POST', url: '/api/v1/inventory', payload: body });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'nics.1.name' } });
        expect(res.json().message).toMatch(/not an interface name/);
        expect((await server.machineDb.listNodes({})).items).toEqual([]);
      } finally {
        await server.close();
      }
    },
  );

  it('accepts ordinary names (eno1, enp65s0f1np1, bond0.100)', async () => {
    const db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
    });
    try {
      const inv = sampleInventory(41);
      const nics = ['eno1', 'enp65s0f1np1', 'bond0.100'].map((name, i) => ({
        ...inv.nics[0],
        name,
        mac: `02:00:00:00:41:0${i}`,
      }));
      const { nodeId } = await db.submitInventory({ ...inv, nics }, { kind: 'enrol' });
      expect((await db.getNode(nodeId)).inventory?.nics.map((n) => n.name)).toEqual([
        'eno1',
        'enp65s0f1np1',
        'bond0.100',
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('location check hook (the server wires the site ASN scheme)', () => {
  let db: MachineDb | undefined;
  afterEach(async () => db?.close());

  it('refuses a rack the hook refuses with 400 VALIDATION_FAILED location.rack and its message; the node is unchanged', async () => {
    const seen: unknown[] = [];
    db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      checkLocation: (location, roles) => {
        seen.push({ location, roles });
        if (location.rack !== 'r1') {
          throw new FleetError('BOOTCONFIG_ASN_UNKNOWN_LOCATION', `rack ${location.rack} is not in the scheme: use r1`);
        }
      },
    });
    const { nodeId } = await db.submitInventory(sampleInventory(42), { kind: 'enrol' });
    await expect(
      db.updateNode(nodeId, { location: { site: 'dc1', rack: 'r9' }, roles: ['compute'] }, null, admin),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      message: 'rack r9 is not in the scheme: use r1',
      details: { field: 'location.rack', rack: 'r9', reason: 'BOOTCONFIG_ASN_UNKNOWN_LOCATION' },
    });
    expect((await db.getNode(nodeId)).location).toBeNull();
    const ok = await db.updateNode(nodeId, { location: { site: 'dc1', rack: 'r1' }, roles: ['compute'] }, null, admin);
    expect(ok.location).toMatchObject({ rack: 'r1' });
    // A role change is checked against the stored location too (a role may pin an ASN).
    await db.updateNode(nodeId, { roles: ['storage'] }, null, admin);
    expect(seen.at(-1)).toEqual({ location: { site: 'dc1', rack: 'r1' }, roles: ['storage'] });
  });
});

describe('system disk chosen by serial or WWN gets its by-id path from the inventory', () => {
  let db: MachineDb | undefined;
  afterEach(async () => db?.close());

  it('serial → the by-id link carrying the serial; WWN → the wwn- link; no by-id name → 400 saying so', async () => {
    db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
    });
    const inv = sampleInventory(43);
    const [ssd] = inv.disks;
    const { nodeId } = await db.submitInventory(inv, { kind: 'enrol' });
    const bySerial = await db.updateNode(nodeId, { systemDisk: { serial: ssd?.serial ?? '' } }, null, admin);
    expect(bySerial.systemDisk).toEqual({
      serial: ssd?.serial,
      byId: `/dev/disk/by-id/ata-SSDSC2KB480G8_${ssd?.serial}`,
    });
    const byWwn = await db.updateNode(nodeId, { systemDisk: { wwn: ssd?.wwn ?? '' } }, null, admin);
    expect(byWwn.systemDisk).toEqual({ wwn: ssd?.wwn, byId: `/dev/disk/by-id/wwn-${ssd?.wwn}` });

    const bare = sampleInventory(44);
    const noLinks = { ...bare, disks: bare.disks.map((d) => ({ ...d, byId: [] })) };
    const other = await db.submitInventory(noLinks, { kind: 'enrol' });
    await expect(
      db.updateNode(other.nodeId, { systemDisk: { serial: bare.disks[1]?.serial ?? '' } }, null, admin),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: { field: 'systemDisk', disk: 'sdb' },
      message: expect.stringMatching(/no \/dev\/disk\/by-id name in its inventory/),
    });
    expect((await db.getNode(other.nodeId)).systemDisk).toBeNull();
  });
});

describe.each(storeFixtures)('unique host names of live nodes ($name, real database)', (fixture) => {
  it.skipIf(!fixture.available())(
    'two servers renaming two nodes to one name at once: exactly one wins, the other 409',
    async () => {
      const { store, location, cleanup } = await fixture.create();
      // Two MachineDb instances on two connections/pools: what two servers behind a load balancer do.
      const first = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator() });
      const secondStore = fixture.open(location);
      const second = await createMachineDb({ store: secondStore, serverKey: SERVER_KEY, allocator: testAllocator() });
      try {
        for (let round = 0; round < 5; round++) {
          const a = await first.submitInventory(sampleInventory(100 + round * 2), { kind: 'enrol' });
          const b = await first.submitInventory(sampleInventory(101 + round * 2), { kind: 'enrol' });
          const name = `race-${round}`;
          const results = await Promise.allSettled([
            first.updateNode(a.nodeId, { hostname: name }, null, admin),
            second.updateNode(b.nodeId, { hostname: name }, null, admin),
          ]);
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const refused = results.find((r) => r.status === 'rejected');
          expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
            code: 'CONFLICT',
            status: 409,
            details: { field: 'hostname' },
          });
          const holders = (await first.listNodes({ q: name })).items.filter((n) => n.hostname === name);
          expect(holders).toHaveLength(1);
        }
      } finally {
        await second.close();
        await cleanup(); // closes the first store
      }
    },
  );

  it.skipIf(!fixture.available())(
    'the index itself refuses a second live holder; decommissioning frees the name',
    async () => {
      const { store, cleanup } = await fixture.create();
      const db = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator() });
      try {
        const a = await db.submitInventory(sampleInventory(120), { kind: 'enrol' });
        const b = await db.submitInventory(sampleInventory(121), { kind: 'enrol' });
        await db.updateNode(a.nodeId, { hostname: 'web-01' }, null, admin);
        // Straight at the store (no service pre-check): the database is the guard.
        const current = await store.getNode(b.nodeId);
        if (!current) throw new Error('node b missing');
        const history = {
          nodeId: b.nodeId,
          at: current.updatedAt,
          actor: admin,
          action: 'update',
          reason: null,
          before: {},
          after: {},
        };
        await expect(
          store.updateNode(
            { ...current, hostname: 'web-01', version: current.version + 1 },
            current.version,
            undefined,
            history,
          ),
        ).rejects.toMatchObject({
          code: 'CONFLICT',
          details: { what: 'host name', key: 'web-01' },
        });
        await db.transitionNode(a.nodeId, { to: 'decommissioned', reason: 'replaced' }, null, admin);
        const renamed = await db.updateNode(b.nodeId, { hostname: 'web-01' }, null, admin);
        expect(renamed.hostname).toBe('web-01');
        // The decommissioned node keeps its name on record; bringing it back while the name is taken is a 409.
        expect((await db.getNode(a.nodeId)).hostname).toBe('web-01');
        await expect(
          db.transitionNode(a.nodeId, { to: 'inventoried', reason: 'back' }, null, admin),
        ).rejects.toMatchObject({
          code: 'CONFLICT',
          status: 409,
        });
      } finally {
        await cleanup(); // closes the store
      }
    },
  );
});

describe.each(storeFixtures)('migration 3 over duplicate host names stored before it ($name)', (fixture) => {
  it.skipIf(!fixture.available())('the oldest node keeps the name; the other answers 409 until renamed', async () => {
    const { store, location, cleanup } = await fixture.create();
    const db = await createMachineDb({ store, serverKey: SERVER_KEY, allocator: testAllocator() });
    try {
      const a = await db.submitInventory(sampleInventory(130), { kind: 'enrol' });
      const b = await db.submitInventory(sampleInventory(131), { kind: 'enrol' });
      // "Oldest" is the lowest id, as in migration 3. Two enrolments in the same millisecond get ids whose
      // order is random (time, then random bytes), so it is not always the first one enrolled.
      const [older = '', younger = ''] = [a.nodeId, b.nodeId].sort();
      await db.updateNode(older, { hostname: 'old-dup' }, null, admin);
      await db.updateNode(younger, { hostname: 'old-dup-b' }, null, admin);
      // Back to the schema before migration 3 (and 4, the serial index after it), with the duplicate the old
      // API let through.
      const statements = [
        'DROP INDEX nodes_active_hostname',
        'ALTER TABLE nodes DROP COLUMN active_hostname',
        'DROP INDEX nodes_serial',
        'DELETE FROM schema_migrations WHERE version >= 3',
      ];
      const setName = (id: string) =>
        fixture.name === 'sqlite'
          ? `UPDATE nodes SET data = json_set(data, '$.hostname', 'old-dup') WHERE id = '${id}'`
          : `UPDATE nodes SET data = jsonb_set(data::jsonb, '{hostname}', '"old-dup"')::text WHERE id = '${id}'`;
      if (fixture.name === 'sqlite') {
        const raw = openSqlite(location);
        for (const sql of [...statements, setName(younger)]) raw.exec(sql);
        raw.close();
      } else {
        const client = new pg.Client({ connectionString: location });
        await client.connect();
        for (const sql of [...statements, setName(younger)]) await client.query(sql);
        await client.end();
      }
      const reopened = await createMachineDb({
        store: fixture.open(location),
        serverKey: SERVER_KEY,
        allocator: testAllocator(),
      });
      try {
        expect((await reopened.getNode(younger)).hostname).toBe('old-dup');
        // The younger duplicate cannot change until it is renamed; the older one can.
        await expect(reopened.updateNode(younger, { tags: ['x'] }, null, admin)).rejects.toMatchObject({
          code: 'CONFLICT',
          status: 409,
          details: { field: 'hostname' },
        });
        await reopened.updateNode(older, { tags: ['x'] }, null, admin);
        const renamed = await reopened.updateNode(younger, { hostname: 'new-name', tags: ['x'] }, null, admin);
        expect(renamed.hostname).toBe('new-name');
      } finally {
        await reopened.close();
      }
    } finally {
      await cleanup();
    }
  });
});
