import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpam, type Ipam, type IpamErrorCode, isIpamError, type Store } from '../src/index.js';

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

export async function expectCode(promise: Promise<unknown>, code: IpamErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (!isIpamError(error)) throw error;
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/**
 * The behaviour every Store must show through the Ipam service. Called once per implementation
 * (memory, SQLite, PostgreSQL) so the three cannot drift apart.
 */
export function runStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let ipam: Ipam;
    let clock = 0;
    beforeEach(async () => {
      fixture = await makeStore();
      clock = Date.parse('2026-01-01T00:00:00Z');
      const tick = () => {
        clock += 1000;
        return new Date(clock);
      };
      ipam = createIpam({ store: fixture.store, actor: 'tester', now: tick });
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    /** Everything observable about the plan, to prove a failed call wrote nothing. */
    const snapshot = async () => ({
      plan: await ipam.exportPlan({ format: 'json' }),
      history: (await ipam.history({ limit: 10_000 })).length,
    });

    it('opens with the default VRF and an empty plan', async () => {
      expect((await ipam.listVrfs()).map((v) => v.name)).toEqual(['default']);
      expect(await ipam.listChildren(null)).toEqual([]);
    });

    it('builds a tree, adopting prefixes a new one encloses', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/8', kind: 'reservation' });
      const a = await ipam.addPrefix({ prefix: '10.1.2.0/24', kind: 'assignment' });
      const b = await ipam.addPrefix({ prefix: '10.1.3.0/24', kind: 'assignment' });
      const mid = await ipam.addPrefix({ prefix: '10.1.0.0/16', kind: 'reservation', description: 'pod 1' });
      expect((await ipam.getPrefix(a.id)).parentId).toBe(mid.id);
      expect((await ipam.getPrefix(b.id)).parentId).toBe(mid.id);
      expect((await ipam.listChildren('10.0.0.0/8')).map((p) => p.prefix)).toEqual(['10.1.0.0/16']);
      expect((await ipam.listChildren('10.1.0.0/16')).map((p) => p.prefix)).toEqual(['10.1.2.0/24', '10.1.3.0/24']);
      const u = await ipam.usage('10.0.0.0/8');
      expect(u).toMatchObject({ used: '65536', children: 1 });
      expect((await ipam.usage('10.1.0.0/16')).used).toBe('512');
    });

    it('refuses bad input with typed codes and writes nothing', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/8', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
      await ipam.addPrefix({ prefix: '10.0.0.7/32', kind: 'host' });
      const before = await snapshot();
      await expectCode(ipam.addPrefix({ prefix: '10.0.0.0/33', kind: 'reservation' }), 'IPAM_INVALID_PREFIX');
      await expectCode(ipam.addPrefix({ prefix: 'ten/8', kind: 'reservation' }), 'IPAM_INVALID_PREFIX');
      const e = await expectCode(ipam.addPrefix({ prefix: '10.0.0.5/24', kind: 'assignment' }), 'IPAM_HOST_BITS_SET');
      expect(e.message).toContain('10.0.0.5/24');
      await expectCode(ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' }), 'IPAM_OVERLAP');
      await expectCode(ipam.addPrefix({ prefix: '10.0.0.0/25', kind: 'assignment' }), 'IPAM_KIND_MISMATCH');
      await expectCode(ipam.addPrefix({ prefix: '10.0.0.0/23', kind: 'assignment' }), 'IPAM_OVERLAP');
      await expectCode(ipam.addPrefix({ prefix: '192.168.0.1', kind: 'host' }), 'IPAM_PARENT_MISSING');
      await expectCode(
        ipam.addPrefix({ prefix: '2001:db8::/32', kind: 'reservation', parent: '10.0.0.0/8' }),
        'IPAM_FAMILY_MISMATCH',
      );
      await expectCode(ipam.addPrefix({ prefix: '10.9.0.0/16', kind: 'reservation', vrf: 'nope' }), 'IPAM_NOT_FOUND');
      await expectCode(
        ipam.addPrefix({ prefix: '10.9.0.0/16', kind: 'reservation', tags: ['bad tag'] }),
        'IPAM_INVALID_INPUT',
      );
      await expectCode(ipam.removePrefix('10.0.0.0/24'), 'IPAM_HAS_CHILDREN');
      await expectCode(ipam.getPrefix('10.5.0.0/16'), 'IPAM_NOT_FOUND');
      await expectCode(ipam.allocateAddress({ from: '10.0.0.0/8' }), 'IPAM_KIND_MISMATCH');
      await expectCode(ipam.allocatePrefix({ from: '10.0.0.0/8', length: 64 }), 'IPAM_INVALID_INPUT');
      expect(await snapshot()).toEqual(before);
    });

    it('keeps VRFs apart', async () => {
      await ipam.addVrf({ name: 'customer-a', rd: '65000:1' });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment', vrf: 'customer-a', description: 'a' });
      expect((await ipam.lookup('10.0.0.1', { vrf: 'customer-a' }))?.description).toBe('a');
      await expectCode(ipam.addVrf({ name: 'customer-a' }), 'IPAM_DUPLICATE');
      await expectCode(ipam.removeVrf('customer-a'), 'IPAM_HAS_CHILDREN');
      await ipam.removePrefix({ vrf: 'customer-a', prefix: '10.0.0.0/24' });
      await ipam.removeVrf('customer-a');
      expect((await ipam.listVrfs()).map((v) => v.name)).toEqual(['default']);
    });

    it('finds the longest prefix for an address in both families', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/8', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '10.1.0.0/16', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '10.1.1.0/24', kind: 'assignment' });
      await ipam.addPrefix({ prefix: '10.1.1.9', kind: 'host' });
      await ipam.addPrefix({ prefix: '2001:db8::/32', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '2001:db8:1::/48', kind: 'reservation' });
      expect((await ipam.lookup('10.1.1.9'))?.prefix).toBe('10.1.1.9/32');
      expect((await ipam.lookup('10.1.1.10'))?.prefix).toBe('10.1.1.0/24');
      expect((await ipam.lookup('10.1.2.1'))?.prefix).toBe('10.1.0.0/16');
      expect((await ipam.lookup('10.200.0.1'))?.prefix).toBe('10.0.0.0/8');
      expect(await ipam.lookup('192.0.2.1')).toBeNull();
      expect((await ipam.lookup('2001:db8:1:ffff::1'))?.prefix).toBe('2001:db8:1::/48');
      expect((await ipam.lookup('2001:db8:2::1'))?.prefix).toBe('2001:db8::/32');
      await expectCode(ipam.lookup('10.1'), 'IPAM_INVALID_ADDRESS');
    });

    it('searches by tag, function, description and node', async () => {
      await ipam.addPrefix({
        prefix: '10.0.0.0/24',
        kind: 'assignment',
        tags: ['dc1', 'svc'],
        description: 'Service VIPs',
      });
      await ipam.addPrefix({ prefix: '10.0.0.53', kind: 'host', function: 'anycast dns', tags: ['svc'] });
      await ipam.addPrefix({ prefix: '10.0.0.10', kind: 'host', function: 'rabbitmq vip', node: 'node-7' });
      await ipam.addPrefix({ prefix: '10.0.1.0/24', kind: 'assignment', description: '100%_literal' });
      expect((await ipam.search({ tag: 'svc' })).map((p) => p.prefix)).toEqual(['10.0.0.0/24', '10.0.0.53/32']);
      expect((await ipam.search({ function: 'anycast dns' })).map((p) => p.prefix)).toEqual(['10.0.0.53/32']);
      expect((await ipam.search({ description: 'service' })).map((p) => p.prefix)).toEqual(['10.0.0.0/24']);
      expect((await ipam.search({ description: '%_' })).map((p) => p.prefix)).toEqual(['10.0.1.0/24']);
      expect((await ipam.search({ node: 'node-7' })).map((p) => p.prefix)).toEqual(['10.0.0.10/32']);
      expect((await ipam.search({ kind: 'host', limit: 1 })).length).toBe(1);
    });

    it('edits metadata and records who changed what, before and after', async () => {
      const p = await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment', description: 'old' });
      const edited = await ipam
        .withActor('bob')
        .editPrefix(p.id, { description: 'new', status: 'deprecated', tags: ['x'] });
      expect(edited).toMatchObject({
        description: 'new',
        status: 'deprecated',
        tags: ['x'],
        updatedBy: 'bob',
        createdBy: 'tester',
      });
      const [last] = await ipam.history({ subject: '10.0.0.0/24' });
      expect(last).toMatchObject({ action: 'edit', actor: 'bob', subject: '10.0.0.0/24' });
      expect(last?.before).toMatchObject({ description: 'old', status: 'active' });
      expect(last?.after).toMatchObject({ description: 'new', status: 'deprecated' });
      expect(Date.parse(last!.at)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
      const all = await ipam.history({ subject: '10.0.0.0/24' });
      expect(all.map((h) => h.action)).toEqual(['edit', 'add']);
    });

    it('removes recursively only when asked', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/16', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '10.0.1.0/24', kind: 'assignment' });
      await ipam.allocateAddresses({ from: '10.0.1.0/24', count: 5 });
      await ipam.addPrefix({ prefix: '10.0.2.0/24', kind: 'assignment' });
      await expectCode(ipam.removePrefix('10.0.1.0/24'), 'IPAM_HAS_CHILDREN');
      expect(await ipam.removePrefix('10.0.1.0/24', { recursive: true })).toEqual({ removed: 6 });
      expect((await ipam.usage('10.0.0.0/16')).used).toBe('256');
      expect(await ipam.search({ kind: 'host' })).toEqual([]);
      expect((await ipam.listChildren('10.0.0.0/16')).map((p) => p.prefix)).toEqual(['10.0.2.0/24']);
    });

    it('allocates hosts first-fit, keeping network, broadcast and gateways free', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/29', kind: 'assignment' });
      const first = await ipam.allocateAddress({ from: '10.0.0.0/29', node: 'n1', description: 'bmc' });
      expect(first).toMatchObject({ prefix: '10.0.0.1/32', kind: 'host', node: 'n1', description: 'bmc' });
      const rest = await ipam.allocateAddresses({ from: '10.0.0.0/29', count: 5 });
      expect(rest.map((p) => p.prefix)).toEqual([
        '10.0.0.2/32',
        '10.0.0.3/32',
        '10.0.0.4/32',
        '10.0.0.5/32',
        '10.0.0.6/32',
      ]);
      const e = await expectCode(ipam.allocateAddress({ from: '10.0.0.0/29' }), 'IPAM_EXHAUSTED');
      expect(e.message).toContain('10.0.0.0/29');
      await ipam.release('10.0.0.3/32');
      expect((await ipam.allocateAddress({ from: '10.0.0.0/29' })).prefix).toBe('10.0.0.3/32');

      await ipam.addPrefix({ prefix: '10.0.1.0/28', kind: 'assignment' });
      const gw = await ipam.allocateAddress({ from: '10.0.1.0/28', keepFree: { gateways: 3 } });
      expect(gw.prefix).toBe('10.0.1.4/32');
      await ipam.addPrefix({ prefix: '10.0.2.0/31', kind: 'assignment' });
      expect((await ipam.allocateAddresses({ from: '10.0.2.0/31', count: 2 })).map((p) => p.prefix)).toEqual([
        '10.0.2.0/32',
        '10.0.2.1/32',
      ]);
      await ipam.addPrefix({ prefix: '2001:db8::/126', kind: 'assignment' });
      const v6 = await ipam.allocateAddresses({ from: '2001:db8::/126', count: 3 });
      expect(v6.map((p) => p.prefix)).toEqual(['2001:db8::1/128', '2001:db8::2/128', '2001:db8::3/128']);
    });

    it('allocates N all-or-nothing', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/29', kind: 'assignment' });
      const before = await snapshot();
      const e = await expectCode(ipam.allocateAddresses({ from: '10.0.0.0/29', count: 7 }), 'IPAM_EXHAUSTED');
      expect(e.message).toContain('found 6');
      expect(await snapshot()).toEqual(before);
    });

    it('allocates aligned prefixes first-fit around existing ones', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/16', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
      await ipam.addPrefix({ prefix: '10.0.2.0/23', kind: 'reservation' });
      expect((await ipam.allocatePrefix({ from: '10.0.0.0/16', length: 24 })).prefix).toBe('10.0.1.0/24');
      expect((await ipam.allocatePrefix({ from: '10.0.0.0/16', length: 22 })).prefix).toBe('10.0.4.0/22');
      expect((await ipam.allocatePrefix({ from: '10.0.0.0/16', length: 23, kind: 'reservation' })).kind).toBe(
        'reservation',
      );
      expect((await ipam.allocatePrefix({ from: '10.0.0.0/16', length: 26 })).prefix).toBe('10.0.10.0/26');
      expect((await ipam.allocatePrefix({ from: '10.0.0.0/16', length: 26 })).prefix).toBe('10.0.10.64/26');
      await ipam.addPrefix({ prefix: '2001:db8::/48', kind: 'reservation' });
      await ipam.addPrefix({ prefix: '2001:db8::/64', kind: 'assignment' });
      expect((await ipam.allocatePrefix({ from: '2001:db8::/48', length: 56 })).prefix).toBe('2001:db8:0:100::/56');
      await expectCode(ipam.allocatePrefix({ from: '2001:db8::/48', length: 40 }), 'IPAM_EXHAUSTED');
      await expectCode(ipam.allocatePrefix({ from: '10.0.0.0/16', length: 24, family: 6 }), 'IPAM_FAMILY_MISMATCH');
    });

    it('draws from pools, spilling into the next member, with default lengths', async () => {
      await ipam.addPool({ name: 'transfer', defaultLength: { v4: 31, v6: 127 } });
      await ipam.addPool({
        name: 'loopback',
        defaultLength: { v4: 32, v6: 128 },
        keepFree: { network: false, broadcast: false },
      });
      await ipam.addPrefix({ prefix: '10.255.0.0/30', kind: 'reservation', pool: 'transfer' });
      await ipam.addPrefix({ prefix: '10.255.1.0/30', kind: 'reservation', pool: 'transfer' });
      await ipam.addPrefix({ prefix: 'fd00:ff::/126', kind: 'reservation', pool: 'transfer' });
      await ipam.addPrefix({ prefix: '10.254.0.0/30', kind: 'assignment', pool: 'loopback' });
      await ipam.addPrefix({ prefix: 'fd00:fe::/64', kind: 'assignment', pool: 'loopback' });

      const nets = [];
      for (let i = 0; i < 4; i++)
        nets.push(await ipam.allocateTransferNet({ pool: 'transfer', description: `link ${i}` }));
      expect(nets.map((n) => [n.net.prefix, n.a, n.b])).toEqual([
        ['10.255.0.0/31', '10.255.0.0', '10.255.0.1'],
        ['10.255.0.2/31', '10.255.0.2', '10.255.0.3'],
        ['10.255.1.0/31', '10.255.1.0', '10.255.1.1'],
        ['10.255.1.2/31', '10.255.1.2', '10.255.1.3'],
      ]);
      await expectCode(ipam.allocateTransferNet({ pool: 'transfer' }), 'IPAM_EXHAUSTED');
      const v6 = await ipam.allocateTransferNet({ pool: 'transfer', family: 6 });
      expect([v6.net.prefix, v6.a, v6.b]).toEqual(['fd00:ff::/127', 'fd00:ff::', 'fd00:ff::1']);
      expect((await ipam.allocatePrefix({ pool: 'transfer', family: 6 })).prefix).toBe('fd00:ff::2/127');

      const lo = await ipam.allocateAddresses({ pool: 'loopback', count: 4, node: 'n1' });
      expect(lo.map((p) => p.prefix)).toEqual(['10.254.0.0/32', '10.254.0.1/32', '10.254.0.2/32', '10.254.0.3/32']);
      expect((await ipam.allocateAddress({ pool: 'loopback', family: 6 })).prefix).toBe('fd00:fe::/128');

      const usage = await ipam.poolUsage('transfer');
      expect(usage.v4).toEqual({ total: '8', used: '8', free: '0', prefixes: 2 });
      expect(usage.v6).toEqual({ total: '4', used: '4', free: '0', prefixes: 1 });
      await expectCode(ipam.allocateAddress({ pool: 'transfer' }), 'IPAM_EXHAUSTED');
      await expectCode(ipam.allocateAddress({ pool: 'nope' }), 'IPAM_NOT_FOUND');
      await expectCode(ipam.addPrefix({ prefix: '10.9.0.0/24', kind: 'assignment', pool: 'nope' }), 'IPAM_NOT_FOUND');

      await ipam.removePool('loopback');
      expect((await ipam.getPrefix('10.254.0.0/30')).pool).toBeNull();
      expect((await ipam.listPools()).map((p) => p.name)).toEqual(['transfer']);
    });

    it('counts usage of an IPv6 /48 without enumerating it', async () => {
      await ipam.addPrefix({ prefix: '2001:db8:abcd::/48', kind: 'reservation' });
      await ipam.allocatePrefixes({ from: '2001:db8:abcd::/48', length: 64, count: 3 });
      await ipam.allocatePrefix({ from: '2001:db8:abcd::/48', length: 56 });
      const u = await ipam.usage('2001:db8:abcd::/48');
      const total = 2n ** 80n;
      const used = 3n * 2n ** 64n + 2n ** 72n;
      expect(u).toMatchObject({
        total: total.toString(),
        used: used.toString(),
        free: (total - used).toString(),
        children: 4,
      });
    });

    it('imports JSON and CSV all-or-nothing, and round-trips an export', async () => {
      const csv = [
        'prefix,kind,description,tags,function,node',
        '10.0.0.0/16,reservation,"dc1, hall 2",dc1;core,,',
        '10.0.1.0/24,assignment,servers,,,',
        '10.0.1.10,host,"db ""primary""",,postgres vip,node-1',
        '2001:db8::/48,reservation,,,,',
      ].join('\r\n');
      expect(await ipam.importPlan(csv, { format: 'csv' })).toMatchObject({ added: 4 });
      expect((await ipam.getPrefix('10.0.1.10/32')).description).toBe('db "primary"');
      expect((await ipam.getPrefix('10.0.0.0/16')).tags).toEqual(['dc1', 'core']);
      expect((await ipam.history({ limit: 1 }))[0]?.action).toBe('import');

      const before = await snapshot();
      const bad = [
        'prefix,kind',
        '10.2.0.0/24,assignment',
        '10.3.0.5/24,assignment',
        '10.0.1.0/24,assignment',
        '10.9.9.9,host',
        'x,y',
      ].join('\n');
      const e = await expectCode(ipam.importPlan(bad, { format: 'csv' }), 'IPAM_IMPORT_INVALID');
      const rows = (e as Error & { rows: { row: number; code: string }[] }).rows;
      expect(rows.map((r) => [r.row, r.code])).toEqual([
        [3, 'IPAM_HOST_BITS_SET'],
        [6, 'IPAM_INVALID_INPUT'],
      ]);
      const bad2 = ['prefix,kind', '10.2.0.0/24,assignment', '10.0.1.0/24,assignment', '10.9.9.9,host'].join('\n');
      const e2 = await expectCode(ipam.importPlan(bad2, { format: 'csv' }), 'IPAM_IMPORT_INVALID');
      expect((e2 as Error & { rows: { row: number; code: string }[] }).rows.map((r) => [r.row, r.code])).toEqual([
        [3, 'IPAM_OVERLAP'],
        [4, 'IPAM_PARENT_MISSING'],
      ]);
      await expectCode(ipam.importPlan('prefix,kind,colour\n', { format: 'csv' }), 'IPAM_IMPORT_INVALID');
      expect(await snapshot()).toEqual(before);

      await ipam.addPool({ name: 'p', defaultLength: { v4: 28 } });
      await ipam.editPrefix('10.0.0.0/16', { pool: 'p' });
      await ipam.addVrf({ name: 'blue' });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment', vrf: 'blue' });
      const json = await ipam.exportPlan({ format: 'json' });
      const csvOut = await ipam.exportPlan({ format: 'csv' });

      const other = createIpam({ store: fixture.store });
      // Importing into the same store must collide on every row; updating must succeed.
      const collide = await expectCode(other.importPlan(json, { format: 'json' }), 'IPAM_IMPORT_INVALID');
      expect((collide as Error & { rows: unknown[] }).rows).toHaveLength(5);
      expect(await other.importPlan(json, { format: 'json', onExisting: 'update' })).toMatchObject({
        updated: 5,
        added: 0,
      });
      expect(await other.exportPlan({ format: 'csv' })).toBe(csvOut);
    });

    it('releases expired temporary reservations', async () => {
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment' });
      await ipam.addPrefix({ prefix: '10.0.0.5', kind: 'host', expiresAt: '2026-01-01T00:00:00Z' });
      await ipam.addPrefix({ prefix: '10.0.0.6', kind: 'host', expiresAt: '2030-01-01T00:00:00Z' });
      const gone = await ipam.releaseExpired({ now: new Date('2027-01-01T00:00:00Z') });
      expect(gone.map((p) => p.prefix)).toEqual(['10.0.0.5/32']);
      expect((await ipam.listChildren('10.0.0.0/24')).map((p) => p.prefix)).toEqual(['10.0.0.6/32']);
    });

    it('peeks at the next free address: the allocation after it gets exactly that one', async () => {
      /** Peeks, then allocates the same way, and checks both agree; returns the address (or null when full). */
      const peekThenTake = async (input: {
        from?: string;
        pool?: string;
        family?: 4 | 6;
        keepFree?: { gateways: number };
      }) => {
        const peeked = await ipam.nextFreeAddress(input);
        if (peeked === null) {
          await expectCode(ipam.allocateAddress(input), 'IPAM_EXHAUSTED');
          return null;
        }
        const before = await snapshot();
        expect(await ipam.nextFreeAddress(input)).toEqual(peeked);
        expect(await snapshot()).toEqual(before); // a peek writes nothing, not even history or hints
        const got = await ipam.allocateAddress(input);
        expect(got.prefix).toBe(peeked.prefix);
        expect(got.parentId).toBe(peeked.parent.id);
        expect(`${peeked.address}/${got.length}`).toBe(got.prefix);
        return peeked.address;
      };
      // A pool of two subnets with two gateway addresses kept free, and a reserved address by hand in the first.
      await ipam.addPool({
        name: 'mgmt',
        defaultLength: { v4: 32 },
        keepFree: { network: true, broadcast: true, gateways: 2 },
      });
      await ipam.addPrefix({ prefix: '10.9.0.0/29', kind: 'assignment', pool: 'mgmt' });
      await ipam.addPrefix({ prefix: '10.9.1.0/29', kind: 'assignment', pool: 'mgmt' });
      await ipam.addPrefix({ prefix: '10.9.0.4', kind: 'host', status: 'reserved', description: 'vrrp' });
      const pool = { pool: 'mgmt' };
      const seen: (string | null)[] = [];
      for (let i = 0; i < 7; i++) seen.push(await peekThenTake(pool));
      // .0 network, .1-.2 gateways, .4 reserved, .7 broadcast; then the second member.
      expect(seen).toEqual(['10.9.0.3', '10.9.0.5', '10.9.0.6', '10.9.1.3', '10.9.1.4', '10.9.1.5', '10.9.1.6']);
      expect(await peekThenTake(pool)).toBeNull();
      // After releases, the lowest freed address comes back first, in the first member before the second.
      await ipam.release('10.9.1.4/32');
      await ipam.release('10.9.0.5/32');
      expect(await peekThenTake(pool)).toBe('10.9.0.5');
      expect(await peekThenTake(pool)).toBe('10.9.1.4');
      expect(await peekThenTake(pool)).toBeNull();
      // Releasing the hand-made reservation frees .4 for allocation.
      await ipam.release('10.9.0.4/32');
      expect(await peekThenTake(pool)).toBe('10.9.0.4');

      // From a prefix: the Ipam's own keep-free rules, or a per-call override, as allocateAddress.
      await ipam.addPrefix({ prefix: '10.8.0.0/28', kind: 'assignment' });
      expect(await peekThenTake({ from: '10.8.0.0/28' })).toBe('10.8.0.1');
      expect(await peekThenTake({ from: '10.8.0.0/28', keepFree: { gateways: 5 } })).toBe('10.8.0.6');
      expect(await peekThenTake({ from: '10.8.0.0/28' })).toBe('10.8.0.2');
      await ipam.addPrefix({ prefix: '2001:db8:9::/126', kind: 'assignment' });
      expect(await peekThenTake({ from: '2001:db8:9::/126' })).toBe('2001:db8:9::1');

      // Bad input is refused as allocateAddress refuses it; a pool with nothing to draw from is null.
      await expectCode(ipam.nextFreeAddress({ pool: 'nope' }), 'IPAM_NOT_FOUND');
      await expectCode(ipam.nextFreeAddress({ from: '10.7.0.0/24' }), 'IPAM_NOT_FOUND');
      await expectCode(ipam.nextFreeAddress({}), 'IPAM_INVALID_INPUT');
      await ipam.addPrefix({ prefix: '10.6.0.0/16', kind: 'reservation' });
      await expectCode(ipam.nextFreeAddress({ from: '10.6.0.0/16' }), 'IPAM_KIND_MISMATCH');
      await expectCode(ipam.nextFreeAddress({ from: '10.8.0.0/28', family: 6 }), 'IPAM_FAMILY_MISMATCH');
      expect(await ipam.nextFreeAddress({ pool: 'mgmt', family: 6 })).toBeNull();
    });

    it('peeks at the next free prefix: the allocation after it gets exactly that block', async () => {
      await ipam.addPool({ name: 'nets', defaultLength: { v4: 26 } });
      await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'reservation', pool: 'nets' });
      await ipam.addPrefix({ prefix: '10.0.1.0/24', kind: 'reservation', pool: 'nets' });
      await ipam.addPrefix({ prefix: '10.0.0.64/26', kind: 'reservation', status: 'reserved' });
      const got: string[] = [];
      for (;;) {
        const peeked = await ipam.nextFreePrefix({ pool: 'nets' });
        if (!peeked) break;
        const p = await ipam.allocatePrefix({ pool: 'nets' });
        expect(p.prefix).toBe(peeked.prefix);
        expect(p.parentId).toBe(peeked.parent.id);
        got.push(p.prefix);
      }
      expect(got).toEqual([
        '10.0.0.0/26',
        '10.0.0.128/26',
        '10.0.0.192/26',
        '10.0.1.0/26',
        '10.0.1.64/26',
        '10.0.1.128/26',
        '10.0.1.192/26',
      ]);
      await expectCode(ipam.allocatePrefix({ pool: 'nets' }), 'IPAM_EXHAUSTED');
      await ipam.release('10.0.1.64/26');
      expect((await ipam.nextFreePrefix({ pool: 'nets' }))?.prefix).toBe('10.0.1.64/26');
      expect(await ipam.nextFreePrefix({ pool: 'nets', length: 25 })).toBeNull();
      expect((await ipam.nextFreePrefix({ pool: 'nets', length: 27 }))?.prefix).toBe('10.0.1.64/27');
      expect((await ipam.allocatePrefix({ pool: 'nets', length: 27 })).prefix).toBe('10.0.1.64/27');
      await expectCode(ipam.nextFreePrefix({ from: '10.0.0.0/24', length: 32 }), 'IPAM_INVALID_INPUT');
    });

    it('matches a brute-force first fit under random allocate/release', async () => {
      // Deterministic LCG so a failure replays.
      let seed = 12345;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      await ipam.addPrefix({ prefix: '10.0.0.0/22', kind: 'reservation' });
      const taken = new Map<number, { start: number; size: number }>();
      const naive = (size: number): number | null => {
        for (let at = 0; at + size <= 1024; at += size) {
          let free = true;
          for (const t of taken.values()) if (t.start < at + size && at < t.start + t.size) free = false;
          if (free) return at;
        }
        return null;
      };
      for (let step = 0; step < 120; step++) {
        if (taken.size > 0 && rand(3) === 0) {
          const ids = [...taken.keys()];
          const id = ids[rand(ids.length)]!;
          await ipam.release(id);
          taken.delete(id);
          continue;
        }
        const length = 26 + rand(5);
        const size = 2 ** (32 - length);
        const expected = naive(size);
        const peeked = await ipam.nextFreePrefix({ from: '10.0.0.0/22', length });
        if (expected === null) {
          expect(peeked).toBeNull();
          await expectCode(ipam.allocatePrefix({ from: '10.0.0.0/22', length }), 'IPAM_EXHAUSTED');
          continue;
        }
        const p = await ipam.allocatePrefix({ from: '10.0.0.0/22', length });
        expect(p.prefix).toBe(peeked?.prefix);
        const octets = p.prefix.split('/')[0]!.split('.').map(Number);
        expect((octets[2]! - 0) * 256 + octets[3]!).toBe(expected);
        taken.set(p.id, { start: expected, size });
      }
      let used = 0;
      for (const t of taken.values()) used += t.size;
      expect((await ipam.usage('10.0.0.0/22')).used).toBe(String(used));
    });
  });
}
