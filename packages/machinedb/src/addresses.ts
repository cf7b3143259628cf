import type { AddressAssignment, Location } from '@fleet/machinedb-contract';
import { formatAddress, parseAddress } from '@fleet/ipam';
import { MachineDbServerError } from './errors.js';

export type AddressPurpose = AddressAssignment['purpose'];

export interface AddressRequest {
  nodeId: string;
  purpose: AddressPurpose;
  hostname: string | null;
  location: Location | null;
}

/**
 * Where node and BMC addresses come from. MachineDB calls it when a node becomes ready-for-bmc and when
 * it is decommissioned. Implementations must be idempotent per (nodeId, purpose): asking twice returns
 * the same address, so a retried request never leaks one.
 */
export interface AddressAllocator {
  allocate(request: AddressRequest): Promise<AddressAssignment>;
  release(nodeId: string, purpose: AddressPurpose): Promise<void>;
}

export interface MemoryPool {
  /** IPv4 CIDR, e.g. `10.10.0.0/24`. The network, broadcast and gateway addresses are never handed out. */
  cidr: string;
  gateway?: string;
}

/** A dotted-quad IPv4 address as a number, parsed by the IPAM's own address math. */
function ipv4Value(text: string, field: string): bigint {
  let parsed: ReturnType<typeof parseAddress> | undefined;
  try {
    parsed = parseAddress(text, field);
  } catch {
    parsed = undefined;
  }
  if (parsed?.family !== 4) {
    throw new MachineDbServerError('VALIDATION_FAILED', `${field} ${JSON.stringify(text)} is not an IPv4 address`, {
      details: { field },
    });
  }
  return parsed.value;
}

/**
 * An in-process allocator over IPv4 pools, one per purpose: for tests, demos and single-server setups
 * without IPAM. State lives in memory only, so production should use the IPAM adapter.
 */
export function createMemoryAllocator(pools: Partial<Record<AddressPurpose, MemoryPool>>): AddressAllocator {
  const state = new Map<
    AddressPurpose,
    { base: bigint; size: number; prefix: number; gateway: string | null; used: Map<string, number> }
  >();
  for (const [purpose, pool] of Object.entries(pools) as [AddressPurpose, MemoryPool][]) {
    const [net, prefixText] = pool.cidr.split('/');
    const prefix = Number(prefixText);
    if (!net || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
      throw new MachineDbServerError(
        'VALIDATION_FAILED',
        `pool ${purpose} cidr ${JSON.stringify(pool.cidr)} must be IPv4 a.b.c.d/8..30`,
        {
          details: { field: `pools.${purpose}.cidr` },
        },
      );
    }
    const size = 2 ** (32 - prefix);
    const network = ipv4Value(net, `pools.${purpose}.cidr`);
    const base = network - (network % BigInt(size));
    state.set(purpose, {
      base,
      size,
      prefix,
      gateway: pool.gateway ?? null,
      used: new Map(),
    });
  }
  return {
    async allocate(request) {
      const pool = state.get(request.purpose);
      if (!pool) {
        // 503 on the wire (the contract), but waiting does not configure a pool or free an address.
        throw new MachineDbServerError(
          'ADDRESS_ALLOCATION_FAILED',
          `no address pool is configured for ${request.purpose}`,
          {
            retryable: false,
            details: { purpose: request.purpose },
          },
        );
      }
      const gw = pool.gateway ? ipv4Value(pool.gateway, 'gateway') : null;
      let offset = pool.used.get(request.nodeId);
      if (offset === undefined) {
        const taken = new Set(pool.used.values());
        for (let i = 1; i < pool.size - 1; i++) {
          if (!taken.has(i) && pool.base + BigInt(i) !== gw) {
            offset = i;
            break;
          }
        }
        if (offset === undefined) {
          throw new MachineDbServerError(
            'ADDRESS_ALLOCATION_FAILED',
            `the ${request.purpose} pool is full: add a pool or free addresses`,
            {
              retryable: false,
              details: { purpose: request.purpose },
            },
          );
        }
        pool.used.set(request.nodeId, offset);
      }
      return {
        purpose: request.purpose,
        address: formatAddress(4, pool.base + BigInt(offset)),
        prefixLength: pool.prefix,
        gateway: pool.gateway ?? null,
        pool: `memory-${request.purpose}`,
      };
    },
    async release(nodeId, purpose) {
      state.get(purpose)?.used.delete(nodeId);
    },
  };
}
