import type { MachineDbApp } from '@fleet/machinedb';
import type { Node } from '@fleet/machinedb-contract';

/** Every node, page by page: for the overview, metrics and drift, which all need the whole fleet. */
export async function listAllNodes(machineDb: MachineDbApp['machineDb']): Promise<Node[]> {
  const nodes: Node[] = [];
  let cursor: string | undefined;
  do {
    const page = await machineDb.listNodes({ limit: 500, ...(cursor ? { cursor } : {}) });
    nodes.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return nodes;
}
