import { validateIp } from '@fleet/bootconfig';
import { FleetError, isFleetError } from '@fleet/core';
import {
  checkServiceAddressQuery,
  type FabricPools,
  findServiceAddresses,
  type Ipam,
  isIpamError,
  type ServiceAddressQuery,
} from '@fleet/ipam';

/** A bad network key in the config file: the same code and one-line shape as the server's ConfigError. */
class ConfigError extends FleetError {
  override name = 'ConfigError' as const;
  constructor(field: string, message: string) {
    super('CONFIG_INVALID', `config ${field}: ${message}`, { kind: 'invalid', details: { field } });
  }
}

/** Service addresses written into the nodes' files: listed in the config, or looked up in IPAM by function. */
export type ServiceAddresses = { addresses: string[] } | { ipam: ServiceAddressQuery };

/** Where a node's fabric addresses and its resolvers and time servers come from. */
export interface NetworkConfig {
  /** IPAM pools of the BGP fabric; the IPv6 ones make the nodes dual-stack. */
  fabricPools: FabricPools;
  /** Resolvers (1–3); null: the management gateway, as before these keys existed. */
  nameservers: ServiceAddresses | null;
  /** NTP servers (1–4); null: none rendered (the installer's defaults). */
  ntpServers: ServiceAddresses | null;
}

export const NETWORK_CONFIG_KEYS = ['fabricPools', 'nameservers', 'ntpServers'] as const;

const POOL_KEYS = ['loopback', 'transfer', 'loopbackV6', 'transferV6'] as const;
const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function parseFabricPools(value: unknown): FabricPools {
  const pools: FabricPools = { loopback: 'loopback', transfer: 'transfer' };
  if (value === undefined) return pools;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(
      'fabricPools',
      'must be an object of pool names: { "loopback", "transfer", "loopbackV6", "transferV6" }',
    );
  for (const [key, name] of Object.entries(value)) {
    if (!(POOL_KEYS as readonly string[]).includes(key))
      throw new ConfigError(`fabricPools.${key}`, `unknown key (known: ${POOL_KEYS.join(', ')})`);
    if (typeof name !== 'string' || !POOL_NAME.test(name))
      throw new ConfigError(`fabricPools.${key}`, `must be an IPAM pool name, got ${JSON.stringify(name)}`);
    pools[key as (typeof POOL_KEYS)[number]] = name;
  }
  if ((pools.loopbackV6 === undefined) !== (pools.transferV6 === undefined))
    throw new ConfigError(
      'fabricPools',
      'give both loopbackV6 and transferV6 (a dual-stack node needs both), or neither',
    );
  return pools;
}

/** Addresses first, IPv4 before IPv6: the kernel's `ip=` and d-i's first resolver must be reachable over IPv4. */
function v4First(addresses: string[]): string[] {
  return [...addresses.filter((a) => !a.includes(':')), ...addresses.filter((a) => a.includes(':'))];
}

function parseServiceAddresses(key: string, value: unknown, max: number): ServiceAddresses | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    if (value.length < 1 || value.length > max)
      throw new ConfigError(key, `must list 1–${max} addresses, got ${value.length}`);
    const addresses = value.map((a, i) => {
      try {
        return validateIp(a, `${key}[${i}]`).address;
      } catch (error) {
        if (!isFleetError(error)) throw error;
        throw new ConfigError(`${key}[${i}]`, `must be an IPv4 or IPv6 address, got ${JSON.stringify(a)}`);
      }
    });
    return { addresses: v4First(addresses) };
  }
  try {
    return { ipam: checkServiceAddressQuery(value, key) };
  } catch (error) {
    if (!isFleetError(error)) throw error;
    throw new ConfigError(
      key,
      `must be a list of addresses or { "pool": NAME, "function": NAME } (service addresses in IPAM), got ${JSON.stringify(value)}`,
    );
  }
}

/** The network keys of the config file, checked. */
export function parseNetworkConfig(fromFile: Partial<Record<string, unknown>>): NetworkConfig {
  return {
    fabricPools: parseFabricPools(fromFile.fabricPools),
    nameservers: parseServiceAddresses('nameservers', fromFile.nameservers, 3),
    ntpServers: parseServiceAddresses('ntpServers', fromFile.ntpServers, 4),
  };
}

/**
 * The addresses to render now: listed ones as given, IPAM ones looked up (IPv4 first, at most `max`).
 * Empty when IPAM holds none with that function yet.
 */
export async function serviceAddresses(ipam: Ipam, source: ServiceAddresses, max: number): Promise<string[]> {
  if ('addresses' in source) return source.addresses;
  return (await findServiceAddresses(ipam, source.ipam)).slice(0, max);
}

/**
 * Problems with the network keys that only the IPAM can show, one line each: a named pool missing.
 * The server logs them at start (an admin may be about to create the pools through the API).
 */
export async function networkConfigProblems(ipam: Ipam, config: NetworkConfig): Promise<string[]> {
  const problems: string[] = [];
  const pool = async (key: string, name: string) => {
    try {
      await ipam.getPool(name);
    } catch (error) {
      if (!isIpamError(error, 'IPAM_NOT_FOUND')) throw error;
      problems.push(`${key}: IPAM pool ${name} does not exist: create it (fleet ipam / POST /api/v1/ipam/pools)`);
    }
  };
  for (const key of POOL_KEYS) {
    const name = config.fabricPools[key];
    if (name !== undefined) await pool(`fabricPools.${key}`, name);
  }
  for (const key of ['nameservers', 'ntpServers'] as const) {
    const source = config[key];
    if (source && 'ipam' in source) {
      await pool(`${key}.pool`, source.ipam.pool);
      if (
        !problems.some((p) => p.startsWith(`${key}.`)) &&
        (await findServiceAddresses(ipam, source.ipam)).length === 0
      )
        problems.push(
          `${key}: pool ${source.ipam.pool} holds no address with function ${source.ipam.function}: nodes cannot be rendered until one is added`,
        );
    }
  }
  return problems;
}
