import type { Node, NodeState } from '@fleet/machinedb-contract';
import { type CompareWithConsulOptions, type DriftReport, type ExpectedNode, compareWithConsul } from './drift.js';

/**
 * Anything that pages through the MachineDB's nodes: a `MachineDbClient` from `@fleet/machinedb-client` is
 * one. Typed by shape so that this package needs only the contract's types, not the client.
 */
export interface MachineDbNodeSource {
  iterateNodes(query: { limit?: number }): AsyncIterable<Node>;
}

export interface MachineDbDriftOptions {
  /** The inventory: a client (every node is paged through) or nodes already fetched. */
  source: MachineDbNodeSource | Iterable<Node> | AsyncIterable<Node>;
  datacenters: CompareWithConsulOptions['datacenters'];
  /** Which Consul datacenter a node belongs in. Default: its `cluster`, else its site. */
  datacenterOf?: (node: Node) => string | undefined;
  /** Which states must be in Consul. Default `deployed` and `maintenance`. */
  states?: readonly NodeState[];
  ignore?: CompareWithConsulOptions['ignore'];
}

function isNodeSource(source: MachineDbDriftOptions['source']): source is MachineDbNodeSource {
  return typeof (source as MachineDbNodeSource).iterateNodes === 'function';
}

/**
 * The MachineDB's view as compareWithConsul's expected list: node name = hostname (else id), addresses =
 * its primary addresses, datacenter from `datacenterOf`. Nodes without a datacenter are skipped.
 */
export function expectedFromNodes(
  nodes: Iterable<Node>,
  options: Pick<MachineDbDriftOptions, 'datacenterOf' | 'states'> = {},
): ExpectedNode[] {
  const states = new Set<NodeState>(options.states ?? ['deployed', 'maintenance']);
  const dcOf = options.datacenterOf ?? ((n: Node) => n.cluster ?? n.location?.site);
  const out: ExpectedNode[] = [];
  for (const node of nodes) {
    if (!states.has(node.state)) continue;
    const datacenter = dcOf(node);
    if (!datacenter) continue;
    out.push({
      name: node.hostname ?? node.id,
      datacenter,
      addresses: node.addresses.filter((a) => a.purpose === 'primary').map((a) => a.address),
    });
  }
  return out;
}

/** Drift between the MachineDB (what should be) and Consul (what is), across datacenters. */
export async function compareMachineDbWithConsul(options: MachineDbDriftOptions): Promise<DriftReport> {
  const nodes: Node[] = [];
  const source = options.source;
  if (isNodeSource(source)) {
    for await (const node of source.iterateNodes({ limit: 500 })) nodes.push(node);
  } else if (Symbol.asyncIterator in source) {
    for await (const node of source as AsyncIterable<Node>) nodes.push(node);
  } else {
    nodes.push(...(source as Iterable<Node>));
  }
  return await compareWithConsul({
    expected: expectedFromNodes(nodes, options),
    datacenters: options.datacenters,
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
}
