import { contains, type Family, formatAddress, parsePrefix } from './address.js';
import { IpamError } from './errors.js';
import type { Ipam } from './ipam.js';
import type { Prefix } from './types.js';

/**
 * Pools a node's BGP fabric addresses come from. The IPv6 pools are optional: without them the node is
 * IPv4-only, exactly as before dual stack existed.
 */
export interface FabricPools {
  /** Assignment pool of IPv4 loopbacks (one /32 per node). */
  loopback: string;
  /** Reservation pool of IPv4 transfer nets (one /31 per fabric link). */
  transfer: string;
  /** Assignment pool of IPv6 loopbacks (one /128 per node). */
  loopbackV6?: string;
  /** Reservation pool of IPv6 transfer nets (one /127 per fabric link). */
  transferV6?: string;
}

export interface NodeFabricInput {
  /** The node the addresses belong to (MachineDB id): allocations are found again by it. */
  node: string;
  /** Interfaces towards the top-of-rack switches, one transfer net each (in this order). */
  interfaces: readonly string[];
  pools: FabricPools;
  /** Written into each allocation's description (the host name, usually). */
  description?: string;
}

/** One point-to-point link: the node's end with prefix length (`10.254.0.1/31`), the switch's end bare. */
export interface NodeFabricLink {
  interface: string;
  ipv4: string;
  peerIpv4: string;
  ipv6?: string;
  peerIpv6?: string;
}

export interface NodeFabric {
  /** Loopback addresses without prefix length (announced as /32 and /128). */
  loopback: { ipv4: string; ipv6?: string };
  links: NodeFabricLink[];
}

/** IPAM `function` values of fabric allocations; v4 names are the ones fleet has always used. */
const LOOPBACK = { 4: 'loopback', 6: 'loopback6' } as const;
const TRANSFER = { 4: 'transfer:', 6: 'transfer6:' } as const;

/** True for a `function` written by {@link allocateNodeFabric}. */
function isFabricFunction(fn: string): boolean {
  return fn === LOOPBACK[4] || fn === LOOPBACK[6] || fn.startsWith(TRANSFER[4]) || fn.startsWith(TRANSFER[6]);
}

/** The two ends of a transfer net: the switch takes the lower (even) address, the node the upper one. */
function transferEnds(net: string): { node: string; peer: string } {
  const range = parsePrefix(net, 'transfer net');
  return { node: formatAddress(range.family, range.end), peer: formatAddress(range.family, range.start) };
}

/**
 * A node's loopbacks and one transfer net per fabric interface, IPv4 and (when the IPv6 pools are given)
 * IPv6. Drawn from IPAM once, tagged with the node and a function (`loopback`, `loopback6`,
 * `transfer:<if>`, `transfer6:<if>`), and found again by those on every later call, so re-rendering a
 * node never moves its addresses. {@link releaseNodeFabric} gives them back.
 */
export async function allocateNodeFabric(ipam: Ipam, input: NodeFabricInput): Promise<NodeFabric> {
  const label = input.description ?? input.node;
  const once = async (fn: string, make: () => Promise<string>): Promise<string> => {
    const found = await ipam.search({ node: input.node, function: fn });
    return found[0]?.prefix ?? (await make());
  };
  const loopbackFrom = async (family: Family, pool: string): Promise<string> => {
    const prefix = await once(
      LOOPBACK[family],
      async () =>
        (await ipam.allocateAddress({ pool, family, node: input.node, function: LOOPBACK[family], description: label }))
          .prefix,
    );
    return formatAddress(family, parsePrefix(prefix, 'loopback').start);
  };
  const transferFrom = async (family: Family, pool: string, nic: string) => {
    const fn = `${TRANSFER[family]}${nic}`;
    const net = await once(
      fn,
      async () =>
        (
          await ipam.allocateTransferNet({
            pool,
            family,
            node: input.node,
            function: fn,
            description: `${label} ${nic}`,
          })
        ).net.prefix,
    );
    const { node, peer } = transferEnds(net);
    return { address: `${node}/${parsePrefix(net, 'transfer net').length}`, peer };
  };
  const { pools } = input;
  const loopback: NodeFabric['loopback'] = { ipv4: await loopbackFrom(4, pools.loopback) };
  if (pools.loopbackV6 !== undefined) loopback.ipv6 = await loopbackFrom(6, pools.loopbackV6);
  const links: NodeFabricLink[] = [];
  for (const nic of input.interfaces) {
    const v4 = await transferFrom(4, pools.transfer, nic);
    const link: NodeFabricLink = { interface: nic, ipv4: v4.address, peerIpv4: v4.peer };
    if (pools.transferV6 !== undefined) {
      const v6 = await transferFrom(6, pools.transferV6, nic);
      link.ipv6 = v6.address;
      link.peerIpv6 = v6.peer;
    }
    links.push(link);
  }
  return { loopback, links };
}

/** Gives back every fabric address of a node (both families); returns what was released. */
export async function releaseNodeFabric(ipam: Ipam, node: string): Promise<Prefix[]> {
  const held = (await ipam.search({ node })).filter((p) => isFabricFunction(p.function));
  for (const prefix of held) await ipam.release(prefix.id);
  return held;
}

/** Which service addresses to look up: the addresses with `function` inside pool `pool`'s prefixes. */
export interface ServiceAddressQuery {
  pool: string;
  function: string;
}

/**
 * The service (anycast) addresses with a function inside a pool: e.g. the site's resolvers as the hosts
 * with function `dns` in pool `anycast`. Addresses only (no prefix length), IPv4 first, each family in
 * address order. Empty when there are none; IPAM_NOT_FOUND when the pool does not exist.
 */
export async function findServiceAddresses(ipam: Ipam, query: ServiceAddressQuery): Promise<string[]> {
  const pool = await ipam.getPool(query.pool);
  const members = (await ipam.search({ pool: pool.name })).map((p) => parsePrefix(p.prefix, 'pool prefix'));
  if (members.length === 0) return [];
  const hosts = (await ipam.search({ vrf: pool.vrf, function: query.function, kind: 'host' }))
    .map((p) => parsePrefix(p.prefix, 'service address'))
    .filter((range) => members.some((m) => contains(m, range)))
    .sort((a, b) => a.family - b.family || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return hosts.map((range) => formatAddress(range.family, range.start));
}

/** Checks a pool/function query's shape (for configuration files). */
export function checkServiceAddressQuery(value: unknown, field: string): ServiceAddressQuery {
  const v = value as Partial<Record<string, unknown>> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.pool !== 'string' ||
    v.pool === '' ||
    typeof v.function !== 'string' ||
    v.function === '' ||
    Object.keys(v).some((k) => k !== 'pool' && k !== 'function')
  ) {
    throw new IpamError('IPAM_INVALID_INPUT', `${field} must be { "pool": NAME, "function": NAME }`, {
      details: { field },
    });
  }
  return { pool: v.pool, function: v.function };
}
