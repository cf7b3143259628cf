import { isDatabaseUnavailable } from '@fleet/core';
import type { Ipam } from '@fleet/ipam';
import { formatAddress, parsePrefix } from '@fleet/ipam';
import type { AddressAllocator, AddressPurpose } from './addresses.js';
import { MachineDbServerError } from './errors.js';

export interface IpamAllocatorOptions {
  ipam: Ipam;
  /** IPAM pool to draw each purpose from, e.g. `{ bmc: 'bmc-fra1', primary: 'prod-fra1' }`. */
  pools: Partial<Record<AddressPurpose, string>>;
  /**
   * Gateway per purpose: an address, `null` for none, or `first` (default) for the first address of the
   * subnet the allocation landed in (the usual router address; keep it free in IPAM with `keepFree.gateways`).
   */
  gateways?: Partial<Record<AddressPurpose, string | null | 'first'>>;
}

const FUNCTION_PREFIX = 'machinedb';

/**
 * AddressAllocator on @fleet/ipam: each address is a /32 (or /128) allocated from a pool and tagged with
 * the node id and `machinedb:<purpose>`, which is what makes a repeated allocate return the same address.
 */
export function createIpamAllocator(options: IpamAllocatorOptions): AddressAllocator {
  const ipam = options.ipam.withActor('machinedb');
  const find = async (nodeId: string, purpose: AddressPurpose) =>
    await ipam.search({ node: nodeId, function: `${FUNCTION_PREFIX}:${purpose}` });
  return {
    async allocate(request) {
      const pool = options.pools[request.purpose];
      if (!pool) {
        throw new MachineDbServerError(
          'ADDRESS_ALLOCATION_FAILED',
          `no IPAM pool is configured for ${request.purpose} addresses`,
          {
            retryable: false,
            details: { purpose: request.purpose },
          },
        );
      }
      let prefix = (await find(request.nodeId, request.purpose))[0];
      try {
        prefix ??= await ipam.allocateAddress({
          pool,
          node: request.nodeId,
          function: `${FUNCTION_PREFIX}:${request.purpose}`,
          description: request.hostname ?? request.nodeId,
        });
      } catch (cause) {
        // The database being away is not the pool's fault: keep the stable code (503 + Retry-After).
        if (isDatabaseUnavailable(cause)) throw cause;
        throw new MachineDbServerError(
          'ADDRESS_ALLOCATION_FAILED',
          `IPAM could not allocate a ${request.purpose} address from pool ${pool}: ${(cause as Error).message}`,
          { cause, retryable: false, details: { purpose: request.purpose, pool } },
        );
      }
      const parent = prefix.parentId === null ? null : await ipam.getPrefix(prefix.parentId);
      const address = prefix.prefix.split('/')[0] ?? prefix.prefix;
      const setting = options.gateways?.[request.purpose] ?? 'first';
      let gateway: string | null = setting === 'first' ? null : setting;
      if (setting === 'first' && parent) {
        const range = parsePrefix(parent.prefix);
        gateway = formatAddress(range.family, range.start + 1n);
      }
      return {
        purpose: request.purpose,
        address,
        prefixLength: parent?.length ?? prefix.length,
        gateway,
        pool,
      };
    },
    async release(nodeId, purpose) {
      for (const prefix of await find(nodeId, purpose)) await ipam.release(prefix.id);
    },
  };
}
