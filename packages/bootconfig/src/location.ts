import { BootconfigError } from './errors.js';
import type { SiteInput } from './input.js';
import { type RenderOptions, resolveSite } from './resolve.js';
import { checkIdentifier } from './validate.js';

/** Where a node stands, as far as its boot files care: its rack and (optionally) its role. */
export interface NodeLocationInput {
  rack: string;
  role?: string;
}

/**
 * Refuses a location a node of `site` could not be rendered for, with the same rules the renderers
 * apply: the rack must be a valid name and the site's ASN scheme must give the node an ASN (its rack's,
 * or its role's pinned one). Call it where the location is set (MachineDB's `checkLocation` hook), so
 * the mistake is refused then, not found when the node netboots. Throws BOOTCONFIG_INVALID_INPUT or
 * BOOTCONFIG_ASN_UNKNOWN_LOCATION with the racks the scheme knows.
 */
export function checkNodeLocation(site: SiteInput, location: NodeLocationInput, options: RenderOptions = {}): void {
  const s = resolveSite(site, options);
  const rack = checkIdentifier(location.rack, 'location.rack');
  const role = location.role === undefined ? undefined : checkIdentifier(location.role, 'location.role');
  try {
    s.asnPolicy.nodeAsn({ site: s.name, rack, ...(role === undefined ? {} : { role }) });
  } catch (error) {
    const racks = s.asnPolicy
      .assignments()
      .flatMap((a) => (a.kind === 'node' && a.site === s.name ? [a.rack] : []))
      .sort();
    throw new BootconfigError(
      'BOOTCONFIG_ASN_UNKNOWN_LOCATION',
      `rack ${JSON.stringify(rack)} is not in site ${s.name}'s ASN scheme: use one of its racks (${racks.join(', ') || 'none'}) or add it to asnScheme.sites.${s.name}.racks in the server's site configuration`,
      { cause: error, details: { site: s.name, rack, knownRacks: racks } },
    );
  }
}
