import { validateMac } from '@fleet/core';
import type { MachineDbClient } from '@fleet/machinedb-client';
import type { Node } from '@fleet/machinedb-contract';
import { CliError } from './errors.js';

/** What a person may type for a node: its id, host name, FQDN, a MAC, the chassis serial or the system UUID. */
export const NODE_REF_HELP = 'id, hostname, MAC or serial';

function macOf(ref: string): string | undefined {
  try {
    return validateMac(ref);
  } catch {
    return undefined;
  }
}

/** How a node matched, for the ambiguity message. */
function matchedBy(node: Node, ref: string, mac: string | undefined): string | undefined {
  const lower = ref.toLowerCase();
  if (node.id === ref) return 'id';
  if (node.hostname === ref) return 'hostname';
  if (node.fqdn === ref) return 'fqdn';
  if (mac && node.macs.includes(mac)) return 'MAC';
  if (node.serial !== null && node.serial.toLowerCase() === lower) return 'serial';
  if (node.systemUuid.toLowerCase() === lower) return 'system uuid';
  return undefined;
}

/**
 * Finds the one node `ref` names. One server search (the list's free-text filter covers id, host name,
 * FQDN, serial, UUID and MACs), then exact matches only: `cmp-1` never picks `cmp-10`. No match is
 * NODE_NOT_FOUND (exit 3); several are NODE_AMBIGUOUS (exit 2) listing each with what matched.
 */
export async function resolveNode(client: MachineDbClient, ref: string): Promise<Node> {
  const mac = macOf(ref);
  const query = mac ? { mac } : { q: ref.toLowerCase() };
  const matches: Array<{ node: Node; by: string }> = [];
  for await (const node of client.iterateNodes({ ...query, limit: 500 })) {
    const by = matchedBy(node, ref, mac);
    if (by) matches.push({ node, by });
  }
  if (matches.length === 0)
    throw new CliError(
      'NODE_NOT_FOUND',
      `no node has the ${NODE_REF_HELP} ${JSON.stringify(ref)}: see fleet nodes list`,
      { kind: 'not-found' },
    );
  // An exact id is unambiguous even when another node's name happens to be the same text.
  const byId = matches.find((m) => m.by === 'id');
  if (byId) return byId.node;
  if (matches.length > 1) {
    const list = matches
      .sort((a, b) => (a.node.hostname ?? a.node.id).localeCompare(b.node.hostname ?? b.node.id))
      .map((m) => `${m.node.id} (${m.by}${m.node.hostname ? `, hostname ${m.node.hostname}` : ''}, ${m.node.state})`)
      .join('; ');
    throw new CliError(
      'NODE_AMBIGUOUS',
      `${JSON.stringify(ref)} matches ${matches.length} nodes: ${list}; name one by its id`,
      { input: 'usage', details: { matches: matches.map((m) => m.node.id) } },
    );
  }
  return (matches[0] as { node: Node }).node;
}

/** Sorts nodes for display: by host name (natural order, so cmp-2 before cmp-10), nameless ones last by id. */
export function byHostname(a: Node, b: Node): number {
  if (a.hostname && b.hostname)
    return a.hostname.localeCompare(b.hostname, 'en', { numeric: true }) || a.id.localeCompare(b.id);
  if (a.hostname) return -1;
  if (b.hostname) return 1;
  return a.id.localeCompare(b.id);
}
