import { BootconfigError } from './errors.js';
import type { AsnSchemeInput } from './input.js';
import { checkIdentifier, checkInteger, checkObject } from './validate.js';

/** The private-use ASN ranges of RFC 6996: 16-bit and 32-bit. */
export const PRIVATE_ASN_RANGES = [
  { from: 64_512, to: 65_534 },
  { from: 4_200_000_000, to: 4_294_967_294 },
] as const;

export function isPrivateAsn(asn: number): boolean {
  return Number.isInteger(asn) && PRIVATE_ASN_RANGES.some((r) => asn >= r.from && asn <= r.to);
}

/** Who owns an ASN under the scheme. */
export type AsnAssignment =
  | { kind: 'node'; asn: number; site: string; rack: string }
  | { kind: 'tor'; asn: number; site: string; rack: string }
  | { kind: 'role'; asn: number; role: string };

export interface AsnLocation {
  site: string;
  rack: string;
  role?: string;
}

/** The single place that decides ASNs; netcheck checks nodes against the same policy. */
export interface AsnPolicy {
  /** The ASN a node announces from: its role's pinned ASN, else its rack's node ASN. */
  nodeAsn(location: AsnLocation): number;
  /** The ASN of the rack's top-of-rack switches, when the scheme numbers them. */
  torAsn(location: AsnLocation): number | undefined;
  /** Who owns `asn`, or undefined. */
  owner(asn: number): AsnAssignment | undefined;
  /** Every assignment, sorted by ASN. */
  assignments(): readonly AsnAssignment[];
}

function describeOwner(a: AsnAssignment): string {
  return a.kind === 'role' ? `role ${a.role}` : `${a.kind === 'tor' ? 'ToR of ' : ''}${a.site}/${a.rack}`;
}

/**
 * Builds the ASN policy from a scheme:
 *
 * - every rack of a site gets `nodeBase + rackIndex` for its nodes (all nodes of a rack share it, so
 *   they never accept each other's routes through the ToR) and, when `torBase` is set,
 *   `torBase + rackIndex` for its two ToR switches;
 * - a role listed in `roles` gets that fixed ASN wherever its nodes are;
 * - every resulting ASN must be private (64512–65534 or 4200000000–4294967294) and unique.
 *
 * Throws BOOTCONFIG_ASN_OUT_OF_RANGE or BOOTCONFIG_ASN_COLLISION naming both owners.
 */
export function createAsnPolicy(scheme: AsnSchemeInput): AsnPolicy {
  const root = checkObject(scheme, 'asnScheme');
  const sites = checkObject(root.sites, 'asnScheme.sites');
  const byAsn = new Map<number, AsnAssignment>();
  // site → rack → ASN (two lookups, no joined key string per node).
  const nodeByLocation = new Map<string, Map<string, number>>();
  const torByLocation = new Map<string, Map<string, number>>();
  const setAt = (map: Map<string, Map<string, number>>, site: string, rack: string, asn: number): void => {
    let racks = map.get(site);
    if (racks === undefined) {
      racks = new Map();
      map.set(site, racks);
    }
    racks.set(rack, asn);
  };
  const byRole = new Map<string, number>();

  const add = (assignment: AsnAssignment, field: string): void => {
    if (!isPrivateAsn(assignment.asn)) {
      throw new BootconfigError(
        'BOOTCONFIG_ASN_OUT_OF_RANGE',
        `${field}: ASN ${assignment.asn} for ${describeOwner(assignment)} is outside the private ranges 64512–65534 and 4200000000–4294967294; lower the base or use 32-bit ASNs`,
        { details: { field, asn: assignment.asn } },
      );
    }
    const other = byAsn.get(assignment.asn);
    if (other) {
      throw new BootconfigError(
        'BOOTCONFIG_ASN_COLLISION',
        `${field}: ASN ${assignment.asn} is given to both ${describeOwner(other)} and ${describeOwner(assignment)}; move one base so the ranges do not overlap`,
        { details: { field, asn: assignment.asn } },
      );
    }
    byAsn.set(assignment.asn, assignment);
  };

  for (const [siteName, rawSite] of Object.entries(sites)) {
    const field = `asnScheme.sites.${siteName}`;
    const site = checkIdentifier(siteName, field);
    const entry = checkObject(rawSite, field);
    const nodeBase = checkInteger(entry.nodeBase, `${field}.nodeBase`, 1, 4_294_967_294);
    const torBase =
      entry.torBase === undefined ? undefined : checkInteger(entry.torBase, `${field}.torBase`, 1, 4_294_967_294);
    const racks = checkObject(entry.racks, `${field}.racks`);
    for (const [rackName, rawIndex] of Object.entries(racks)) {
      const rackField = `${field}.racks.${rackName}`;
      const rack = checkIdentifier(rackName, rackField);
      const index = checkInteger(rawIndex, rackField, 0, 1_000_000);
      add({ kind: 'node', asn: nodeBase + index, site, rack }, rackField);
      setAt(nodeByLocation, site, rack, nodeBase + index);
      if (torBase !== undefined) {
        add({ kind: 'tor', asn: torBase + index, site, rack }, rackField);
        setAt(torByLocation, site, rack, torBase + index);
      }
    }
  }
  if (root.roles !== undefined) {
    for (const [roleName, rawAsn] of Object.entries(checkObject(root.roles, 'asnScheme.roles'))) {
      const field = `asnScheme.roles.${roleName}`;
      const role = checkIdentifier(roleName, field);
      const asn = checkInteger(rawAsn, field, 1, 4_294_967_294);
      add({ kind: 'role', asn, role }, field);
      byRole.set(role, asn);
    }
  }
  const sorted = [...byAsn.values()].sort((a, b) => a.asn - b.asn);

  return {
    nodeAsn(location) {
      if (location.role !== undefined) {
        const pinned = byRole.get(location.role);
        if (pinned !== undefined) return pinned;
      }
      const asn = nodeByLocation.get(location.site)?.get(location.rack);
      if (asn === undefined) {
        throw new BootconfigError(
          'BOOTCONFIG_ASN_UNKNOWN_LOCATION',
          `no ASN for rack ${JSON.stringify(location.rack)} in site ${JSON.stringify(location.site)}: add the rack to asnScheme.sites.${location.site}.racks`,
          { details: { site: location.site, rack: location.rack } },
        );
      }
      return asn;
    },
    torAsn(location) {
      return torByLocation.get(location.site)?.get(location.rack);
    },
    owner(asn) {
      return byAsn.get(asn);
    },
    assignments() {
      return sorted;
    },
  };
}
