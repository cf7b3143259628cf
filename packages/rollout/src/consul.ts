import { isFleetError, ValidationError } from '@fleet/core';
import {
  type ConsulClient,
  clearHalt,
  deleteKey,
  parseHalt,
  readJson,
  readKey,
  readPrefix,
  watchKey,
  writeJson,
  acquireLock,
  setHalt,
} from '@fleet/consul';
import { RolloutError, RolloutLockedError } from './errors.js';
import type { HaltInfo, HealthSource, HealthStatus, RolloutCoordinator } from './options.js';
import type { NodeProgress, RolloutRecord } from './progress.js';
import type { ProgressStore } from './store.js';

/** Consul KV layout of a cluster's rollout: `<prefix>/<cluster>/{halt,lock,progress/…}`. */
export interface ConsulRolloutKeys {
  halt: string;
  lock: string;
  progress: string;
}

const DEFAULT_PREFIX = 'fleet/rollout';

/** The keys of a cluster: the halt key is `fleet/rollout/<cluster>/halt` (the red button). */
export function rolloutKeys(cluster: string, prefix = DEFAULT_PREFIX): ConsulRolloutKeys {
  if (!/^[a-z][a-z0-9_-]{0,62}$/.test(cluster)) {
    throw new ValidationError('cluster', `cluster ${JSON.stringify(cluster)} must be an identifier ([a-z][a-z0-9_-]*)`);
  }
  const base = `${prefix.replace(/\/+$/, '')}/${cluster}`;
  return { halt: `${base}/halt`, lock: `${base}/lock`, progress: `${base}/progress/` };
}

export interface ConsulCoordinatorOptions {
  /** KV prefix. Default `fleet/rollout`. */
  prefix?: string;
  /** Lock session TTL. Default `15s`. */
  lockTtl?: string;
  dc?: string;
}

function haltInfoOf(value: string | null, reason: string): HaltInfo {
  try {
    const json = JSON.parse(value ?? '') as { by?: unknown; at?: unknown };
    return {
      reason,
      ...(typeof json.by === 'string' ? { by: json.by } : {}),
      ...(typeof json.at === 'string' ? { at: json.at } : {}),
    };
  } catch {
    return { reason };
  }
}

/**
 * One rollout per cluster through a Consul session lock, and the red button as a KV key watched with
 * blocking queries: a halt is seen as soon as Consul commits it.
 */
export function createConsulCoordinator(
  consul: ConsulClient,
  options: ConsulCoordinatorOptions = {},
): RolloutCoordinator {
  const keys = (cluster: string) => rolloutKeys(cluster, options.prefix);
  const dc = options.dc ? { dc: options.dc } : {};
  return {
    async lock(cluster, holder) {
      try {
        const lease = await acquireLock(consul, { key: keys(cluster).lock, holder, ttl: options.lockTtl ?? '15s' });
        return {
          release: () => lease.release(),
          onLost: (listener: (reason: string) => void) => lease.onLost(listener),
        };
      } catch (error) {
        if (isFleetError(error) && error.code === 'CONSUL_LOCK_HELD') {
          throw new RolloutLockedError(cluster, String(error.details.holder ?? 'unknown'), { cause: error });
        }
        throw error;
      }
    },
    async readHalt(cluster) {
      const key = keys(cluster).halt;
      const { entry } = await readKey(consul, key, dc);
      const halt = parseHalt(entry);
      return halt ? haltInfoOf(entry?.value ?? null, halt.reason) : undefined;
    },
    watchHalt(cluster, onHalt, onError) {
      const controller = new AbortController();
      let fired = false;
      void watchKey(consul, keys(cluster).halt, {
        signal: controller.signal,
        ...dc,
        ...(onError ? { onError } : {}),
        onChange(entry) {
          const halt = parseHalt(entry);
          if (!halt || fired) return;
          fired = true;
          onHalt(haltInfoOf(entry?.value ?? null, halt.reason));
        },
      });
      return { stop: () => controller.abort() };
    },
    async setHalt(cluster, info = {}) {
      await setHalt(consul, keys(cluster).halt, info.reason ?? 'halted', info.by);
    },
    async clearHalt(cluster) {
      await clearHalt(consul, keys(cluster).halt);
    },
  };
}

/** Presses the red button of a cluster: what `fleet rollout halt` does. Running rollouts stop within a second. */
export async function haltRollout(
  target: ConsulClient | RolloutCoordinator,
  cluster: string,
  info: HaltInfo = {},
): Promise<void> {
  const coordinator = isCoordinator(target) ? target : createConsulCoordinator(target);
  await coordinator.setHalt(cluster, {
    reason: info.reason ?? 'halted by an operator',
    ...(info.by ? { by: info.by } : {}),
  });
}

/** Releases the red button so the rollout can be resumed (`fleet rollout resume`). */
export async function clearRolloutHalt(target: ConsulClient | RolloutCoordinator, cluster: string): Promise<void> {
  const coordinator = isCoordinator(target) ? target : createConsulCoordinator(target);
  await coordinator.clearHalt(cluster);
}

function isCoordinator(value: ConsulClient | RolloutCoordinator): value is RolloutCoordinator {
  return (
    typeof (value as RolloutCoordinator).watchHalt === 'function' &&
    typeof (value as RolloutCoordinator).lock === 'function'
  );
}

/** Progress in Consul KV under `fleet/rollout/<cluster>/progress/`: visible to every operator's CLI. */
export function createConsulProgressStore(
  consul: ConsulClient,
  options: { prefix?: string; dc?: string } = {},
): ProgressStore {
  const keys = (cluster: string) => rolloutKeys(cluster, options.prefix);
  const dc = options.dc ? { dc: options.dc } : {};
  const wrap = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new RolloutError('ROLLOUT_STORE_FAILED', `cannot ${what} in Consul: check the agent and the ACL token`, {
        cause,
      });
    }
  };
  return {
    readRollout: (cluster) =>
      wrap(
        'read the rollout record',
        async () => (await readJson<RolloutRecord>(consul, `${keys(cluster).progress}rollout`, dc))?.value,
      ),
    writeRollout: (record) =>
      wrap('write the rollout record', async () => {
        await writeJson(consul, `${keys(record.cluster).progress}rollout`, record, dc);
      }),
    readNodes: (cluster) =>
      wrap('read node progress', async () => {
        const prefix = `${keys(cluster).progress}nodes/`;
        const { entries } = await readPrefix(consul, prefix, dc);
        return entries.filter((e) => e.value).map((e) => JSON.parse(e.value!) as NodeProgress);
      }),
    writeNode: (cluster, progress) =>
      wrap('write node progress', async () => {
        await writeJson(consul, `${keys(cluster).progress}nodes/${progress.node}`, progress, dc);
      }),
    clear: (cluster) =>
      wrap('clear the rollout record', async () => {
        await deleteKey(consul, keys(cluster).progress, { recurse: true, ...dc });
      }),
    async close() {},
  };
}

/**
 * Consul health as the worst check status per node (`/v1/health/state/any`). Maintenance counts as
 * warning: a node put in maintenance on purpose is not an anomaly.
 */
export function createConsulHealthSource(consul: ConsulClient, options: { dc?: string } = {}): HealthSource {
  const rank: Record<HealthStatus, number> = { passing: 0, warning: 1, critical: 2 };
  return {
    async read() {
      let checks: Array<{ Node: string; Status: string; CheckID: string }>;
      try {
        checks = (await consul.health.state({
          state: 'any',
          ...(options.dc ? { dc: options.dc } : {}),
        })) as typeof checks;
      } catch (cause) {
        throw new RolloutError('ROLLOUT_CHECK_FAILED', 'cannot read health from Consul: check the agent', { cause });
      }
      const out = new Map<string, HealthStatus>();
      for (const c of checks ?? []) {
        const status: HealthStatus =
          c.CheckID === '_node_maintenance' || c.Status === 'maintenance'
            ? 'warning'
            : c.Status === 'critical'
              ? 'critical'
              : c.Status === 'warning'
                ? 'warning'
                : 'passing';
        const prev = out.get(c.Node);
        if (!prev || rank[status] > rank[prev]) out.set(c.Node, status);
      }
      return out;
    },
  };
}
