import { ValidationError, validateInteger } from '@fleet/core';
import { RolloutError } from './errors.js';
import type { RolloutNode } from './targets.js';

/** A batch size: a node count or a percentage of all targets (`"20%"`), like Ansible's `serial`. */
export type BatchSize = number | `${number}%`;

export interface PlanOptions {
  /** Batch sizes, canary first; the last one repeats. Default `[1, 5, "20%"]`. */
  batches?: readonly BatchSize[];
  /** At most this many nodes of one rack in a batch (nodes without a rack are not limited). Default 1. */
  maxPerRack?: number;
  /**
   * Groups or tags whose members form a quorum (Galera, RabbitMQ, Consul servers …): at most one member
   * of each is in a batch. Tags starting with `quorumTagPrefix` (default `quorum:`) count as well.
   */
  quorumGroups?: readonly string[];
  quorumTagPrefix?: string;
}

export interface PlannedBatch {
  index: number;
  /** The size asked for; the batch is smaller when rack or quorum limits leave no other candidate. */
  size: number;
  nodes: string[];
}

export interface RolloutPlan {
  batches: PlannedBatch[];
  /** Every target in plan order. */
  order: string[];
  /** The quorum group names of each node that belongs to any. */
  quorum: Record<string, string[]>;
}

export const DEFAULT_BATCHES: readonly BatchSize[] = [1, 5, '20%'];

/** Turns `[1, 5, "20%"]` into node counts for `total` targets: percentages are floored, never below 1. */
export function resolveBatchSizes(batches: readonly BatchSize[], total: number): number[] {
  if (!Array.isArray(batches) || batches.length === 0) {
    throw new ValidationError('batches', 'batches must be a non-empty list such as [1, 5, "20%"]');
  }
  return batches.map((size, i) => {
    if (typeof size === 'number') return validateInteger(size, `batches[${i}]`, 1, 1_000_000);
    const match = typeof size === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(size) : null;
    const percent = match ? Number(match[1]) : Number.NaN;
    if (!(percent > 0 && percent <= 100)) {
      throw new ValidationError(
        `batches[${i}]`,
        `batches[${i}] ${JSON.stringify(size)} must be a count or "1%".."100%"`,
      );
    }
    return Math.max(1, Math.floor((total * percent) / 100));
  });
}

/** The quorum groups a node belongs to. */
export function quorumGroupsOf(
  node: RolloutNode,
  options: Pick<PlanOptions, 'quorumGroups' | 'quorumTagPrefix'>,
): string[] {
  const named = options.quorumGroups ?? [];
  const prefix = options.quorumTagPrefix ?? 'quorum:';
  const out = new Set<string>();
  for (const g of [...(node.groups ?? []), ...(node.tags ?? [])]) {
    if (named.includes(g)) out.add(g);
    else if (prefix && g.startsWith(prefix) && g.length > prefix.length) out.add(g.slice(prefix.length));
  }
  return [...out].sort();
}

/**
 * Plans the batches. Nodes keep their input order; a batch takes the next nodes that fit its rack and
 * quorum limits, and nodes that do not fit wait for the next batch. Batches run one after another, so
 * the limits hold at every moment of the rollout, not just on average.
 */
export function planRollout(targets: readonly RolloutNode[], options: PlanOptions = {}): RolloutPlan {
  if (targets.length === 0) {
    throw new RolloutError('ROLLOUT_NO_TARGETS', 'no nodes to update: check the target list or selector');
  }
  const seen = new Set<string>();
  for (const node of targets) {
    if (seen.has(node.name)) throw new ValidationError('targets', `node ${JSON.stringify(node.name)} is listed twice`);
    seen.add(node.name);
  }
  const maxPerRack = validateInteger(options.maxPerRack ?? 1, 'maxPerRack', 1, 1_000_000);
  const sizes = resolveBatchSizes(options.batches ?? DEFAULT_BATCHES, targets.length);
  const quorum: Record<string, string[]> = {};
  for (const node of targets) {
    const groups = quorumGroupsOf(node, options);
    if (groups.length > 0) quorum[node.name] = groups;
  }
  let queue = [...targets];
  const batches: PlannedBatch[] = [];
  while (queue.length > 0) {
    const size = sizes[Math.min(batches.length, sizes.length - 1)]!;
    const racks = new Map<string, number>();
    const groups = new Set<string>();
    const picked: string[] = [];
    const rest: RolloutNode[] = [];
    for (const node of queue) {
      const rackCount = node.rack === undefined ? 0 : (racks.get(node.rack) ?? 0);
      const q = quorum[node.name] ?? [];
      if (picked.length >= size || rackCount >= maxPerRack || q.some((g) => groups.has(g))) {
        rest.push(node);
        continue;
      }
      picked.push(node.name);
      if (node.rack !== undefined) racks.set(node.rack, rackCount + 1);
      for (const g of q) groups.add(g);
    }
    batches.push({ index: batches.length, size, nodes: picked });
    queue = rest;
  }
  return { batches, order: batches.flatMap((b) => b.nodes), quorum };
}
