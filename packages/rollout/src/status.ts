import type { NodeProgress, NodeState, RolloutRecord, RolloutState, StopReason } from './progress.js';
import type { ProgressStore } from './store.js';

/** What `fleet rollout status` shows: the rollout and every node in plan order. */
export interface RolloutStatus {
  cluster: string;
  id: string;
  holder: string;
  state: RolloutState;
  stopReason?: StopReason;
  createdAt: string;
  updatedAt: string;
  counts: Record<NodeState, number>;
  nodes: NodeProgress[];
}

export function emptyCounts(): Record<NodeState, number> {
  return { pending: 0, running: 0, interrupted: 0, done: 0, failed: 0 };
}

/** Builds the status from a record and node progress (missing nodes are pending). */
export function buildStatus(record: RolloutRecord, progress: Iterable<NodeProgress>): RolloutStatus {
  const byName = new Map<string, NodeProgress>();
  for (const p of progress) byName.set(p.node, p);
  const counts = emptyCounts();
  const nodes: NodeProgress[] = [];
  record.batches.forEach((batch, index) => {
    for (const node of batch) {
      const p = byName.get(node) ?? { node, batch: index, state: 'pending' as const, completedSteps: [], attempts: 0 };
      counts[p.state] += 1;
      nodes.push(p);
    }
  });
  return {
    cluster: record.cluster,
    id: record.id,
    holder: record.holder,
    state: record.state,
    ...(record.stopReason ? { stopReason: record.stopReason } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    counts,
    nodes,
  };
}

/**
 * Reads the stored status of a cluster's rollout, or undefined when none was ever started. A record
 * still `running` while no orchestrator holds the lock belongs to a crashed run: `resume` continues it.
 */
export async function readRolloutStatus(store: ProgressStore, cluster: string): Promise<RolloutStatus | undefined> {
  const record = await store.readRollout(cluster);
  if (!record) return undefined;
  return buildStatus(record, await store.readNodes(cluster));
}
