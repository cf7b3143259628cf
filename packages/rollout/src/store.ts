import type { NodeProgress, RolloutRecord } from './progress.js';

/**
 * Where rollout progress survives a crash. Written after every node step; read at start to resume.
 * Implementations: SQLite file (embedded default), Consul KV, memory (tests, benches).
 */
export interface ProgressStore {
  readRollout(cluster: string): Promise<RolloutRecord | undefined>;
  writeRollout(record: RolloutRecord): Promise<void>;
  readNodes(cluster: string): Promise<NodeProgress[]>;
  writeNode(cluster: string, progress: NodeProgress): Promise<void>;
  /** Forgets a cluster's rollout (a fresh start). */
  clear(cluster: string): Promise<void>;
  close(): Promise<void>;
}

/** A store in process memory: for tests and benches, lost on exit. */
export function createMemoryProgressStore(): ProgressStore {
  const rollouts = new Map<string, RolloutRecord>();
  const nodes = new Map<string, Map<string, NodeProgress>>();
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    async readRollout(cluster) {
      const r = rollouts.get(cluster);
      return r && copy(r);
    },
    async writeRollout(record) {
      rollouts.set(record.cluster, copy(record));
    },
    async readNodes(cluster) {
      return [...(nodes.get(cluster)?.values() ?? [])].map(copy);
    },
    async writeNode(cluster, progress) {
      let m = nodes.get(cluster);
      if (!m) {
        m = new Map();
        nodes.set(cluster, m);
      }
      m.set(progress.node, copy(progress));
    },
    async clear(cluster) {
      rollouts.delete(cluster);
      nodes.delete(cluster);
    },
    async close() {},
  };
}
