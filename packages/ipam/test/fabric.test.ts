import { describe, expect, it } from 'vitest';
import {
  allocateNodeFabric,
  checkServiceAddressQuery,
  createIpam,
  createMemoryStore,
  findServiceAddresses,
  type Ipam,
  isIpamError,
  releaseNodeFabric,
} from '../src/index.js';

async function fabricIpam(): Promise<Ipam> {
  const ipam = createIpam({ store: createMemoryStore() });
  const pools: [string, string, 'assignment' | 'reservation'][] = [
    ['loopback', '10.255.0.0/24', 'assignment'],
    ['transfer', '10.254.0.0/22', 'reservation'],
    ['loopback6', '2001:db8:ff::/64', 'assignment'],
    ['transfer6', '2001:db8:fe::/56', 'reservation'],
    ['anycast', '10.31.0.0/24', 'assignment'],
  ];
  for (const [name, prefix, kind] of pools) {
    await ipam.addPool({ name });
    await ipam.addPrefix({ prefix, kind, pool: name });
  }
  await ipam.addPrefix({ prefix: '2001:db8:31::/64', kind: 'assignment', pool: 'anycast' });
  return ipam;
}

const V4 = { loopback: 'loopback', transfer: 'transfer' };
const DUAL = { ...V4, loopbackV6: 'loopback6', transferV6: 'transfer6' };

describe('allocateNodeFabric', () => {
  it('gives a v4-only node a /32 loopback and a /31 per link, the node on the odd end', async () => {
    const ipam = await fabricIpam();
    const fabric = await allocateNodeFabric(ipam, { node: 'n1', interfaces: ['ens1f0', 'ens1f1'], pools: V4 });
    expect(fabric.loopback.ipv6).toBeUndefined();
    expect(fabric.loopback.ipv4).toMatch(/^10\.255\.0\.\d+$/);
    expect(fabric.links).toHaveLength(2);
    for (const link of fabric.links) {
      expect(link.ipv6).toBeUndefined();
      const [address, length] = link.ipv4.split('/');
      expect(length).toBe('31');
      const last = Number(address?.split('.')[3]);
      expect(last % 2).toBe(1);
      expect(link.peerIpv4).toBe(`${address?.split('.').slice(0, 3).join('.')}.${last - 1}`);
    }
    expect(fabric.links[0]?.ipv4).not.toBe(fabric.links[1]?.ipv4);
  });

  it('adds a /128 loopback and a /127 per link from the IPv6 pools; the switch takes the even end', async () => {
    const ipam = await fabricIpam();
    const fabric = await allocateNodeFabric(ipam, { node: 'n1', interfaces: ['ens1f0', 'ens1f1'], pools: DUAL });
    expect(fabric.loopback.ipv6).toMatch(/^2001:db8:ff::[0-9a-f]+$/);
    const ends = fabric.links.map((l) => [l.ipv6, l.peerIpv6]);
    expect(ends).toEqual([
      ['2001:db8:fe::1/127', '2001:db8:fe::'],
      ['2001:db8:fe::3/127', '2001:db8:fe::2'],
    ]);
    const held = await ipam.search({ node: 'n1' });
    expect(held.map((p) => p.function).sort()).toEqual([
      'loopback',
      'loopback6',
      'transfer6:ens1f0',
      'transfer6:ens1f1',
      'transfer:ens1f0',
      'transfer:ens1f1',
    ]);
    expect(held.find((p) => p.function === 'loopback6')?.length).toBe(128);
  });

  it('finds the same addresses again, and another node gets different ones', async () => {
    const ipam = await fabricIpam();
    const input = { node: 'n1', interfaces: ['a', 'b'], pools: DUAL };
    const first = await allocateNodeFabric(ipam, input);
    expect(await allocateNodeFabric(ipam, input)).toEqual(first);
    const other = await allocateNodeFabric(ipam, { ...input, node: 'n2' });
    const all = (f: typeof first) => [f.loopback.ipv4, f.loopback.ipv6, ...f.links.flatMap((l) => [l.ipv4, l.ipv6])];
    for (const a of all(other)) expect(all(first)).not.toContain(a);
  });

  it('a v4 node that later gets IPv6 pools keeps its IPv4 addresses', async () => {
    const ipam = await fabricIpam();
    const v4 = await allocateNodeFabric(ipam, { node: 'n1', interfaces: ['a'], pools: V4 });
    const dual = await allocateNodeFabric(ipam, { node: 'n1', interfaces: ['a'], pools: DUAL });
    expect(dual.loopback.ipv4).toBe(v4.loopback.ipv4);
    expect(dual.links[0]?.ipv4).toBe(v4.links[0]?.ipv4);
  });

  it('releaseNodeFabric gives back both families and nothing else of the node', async () => {
    const ipam = await fabricIpam();
    await allocateNodeFabric(ipam, { node: 'n1', interfaces: ['a', 'b'], pools: DUAL });
    const other = await ipam.allocateAddress({ pool: 'anycast', node: 'n1', function: 'machinedb:primary' });
    const released = await releaseNodeFabric(ipam, 'n1');
    expect(released).toHaveLength(6);
    expect((await ipam.search({ node: 'n1' })).map((p) => p.prefix)).toEqual([other.prefix]);
    expect(await releaseNodeFabric(ipam, 'n1')).toEqual([]);
  });

  it('a pool without an IPv6 prefix is an IPAM_EXHAUSTED error naming the pool', async () => {
    const ipam = await fabricIpam();
    const error = await allocateNodeFabric(ipam, {
      node: 'n1',
      interfaces: ['a'],
      pools: { ...V4, loopbackV6: 'loopback' },
    }).catch((e: unknown) => e);
    expect(isIpamError(error, 'IPAM_EXHAUSTED')).toBe(true);
    expect((error as Error).message).toContain('pool loopback has no IPv6');
  });
});

describe('findServiceAddresses', () => {
  it('lists the hosts with a function inside the pool, IPv4 first, in address order', async () => {
    const ipam = await fabricIpam();
    await ipam.addPrefix({ prefix: '2001:db8:31::53/128', kind: 'host', function: 'dns' });
    await ipam.addPrefix({ prefix: '10.31.0.54/32', kind: 'host', function: 'dns' });
    await ipam.addPrefix({ prefix: '10.31.0.53/32', kind: 'host', function: 'dns' });
    await ipam.addPrefix({ prefix: '10.31.0.123/32', kind: 'host', function: 'ntp' });
    // Same function outside the pool: not a site resolver.
    await ipam.addPrefix({ prefix: '10.255.0.53/32', kind: 'host', function: 'dns' });
    expect(await findServiceAddresses(ipam, { pool: 'anycast', function: 'dns' })).toEqual([
      '10.31.0.53',
      '10.31.0.54',
      '2001:db8:31::53',
    ]);
    expect(await findServiceAddresses(ipam, { pool: 'anycast', function: 'ntp' })).toEqual(['10.31.0.123']);
    expect(await findServiceAddresses(ipam, { pool: 'anycast', function: 'syslog' })).toEqual([]);
    const missing = await findServiceAddresses(ipam, { pool: 'nope', function: 'dns' }).catch((e: unknown) => e);
    expect(isIpamError(missing, 'IPAM_NOT_FOUND')).toBe(true);
  });

  it('checkServiceAddressQuery accepts { pool, function } and nothing else', () => {
    expect(checkServiceAddressQuery({ pool: 'anycast', function: 'dns' }, 'x')).toEqual({
      pool: 'anycast',
      function: 'dns',
    });
    for (const bad of [
      null,
      'anycast',
      { pool: 'anycast' },
      { pool: '', function: 'dns' },
      { pool: 'a', function: 'b', c: 1 },
    ]) {
      expect(() => checkServiceAddressQuery(bad, 'site.nameservers')).toThrow(/site\.nameservers must be/);
    }
  });
});
