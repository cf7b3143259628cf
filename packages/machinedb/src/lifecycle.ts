import type { BootTarget, NodeEventType, NodeState } from '@fleet/machinedb-contract';
import { IllegalTransitionError } from './errors.js';

/**
 * The lifecycle, as data: for each state, the states it may move to. Node events, admin requests and the
 * timeout sweep all go through `assertTransition`, so there is one place that decides.
 */
export const TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>> = {
  new: ['inventoried', 'failed', 'maintenance', 'decommissioned'],
  inventoried: ['ready-for-bmc', 'failed', 'maintenance', 'decommissioned'],
  'ready-for-bmc': ['bmc-configured', 'inventoried', 'failed', 'maintenance', 'decommissioned'],
  'bmc-configured': ['installing', 'failed', 'maintenance', 'decommissioned'],
  installing: ['deployed', 'failed', 'maintenance', 'decommissioned'],
  // deployed → bmc-configured is "reinstall": the next PXE boot goes to the installer.
  deployed: ['bmc-configured', 'maintenance', 'failed', 'decommissioned'],
  maintenance: ['deployed', 'inventoried', 'bmc-configured', 'decommissioned'],
  failed: ['inventoried', 'bmc-configured', 'maintenance', 'decommissioned'],
  decommissioned: ['inventoried'],
};

export function allowedTransitions(from: NodeState): readonly NodeState[] {
  return TRANSITIONS[from];
}

export function canTransition(from: NodeState, to: NodeState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (HTTP 409) naming the current and the allowed states. */
export function assertTransition(nodeId: string, from: NodeState, to: NodeState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(nodeId, from, to, TRANSITIONS[from]);
}

const BOOT_TARGET: Readonly<Record<NodeState, BootTarget>> = {
  new: 'live',
  inventoried: 'live',
  'ready-for-bmc': 'live',
  // Once the BMC is set the next boot installs; a reboot during the install retries the install.
  'bmc-configured': 'install',
  installing: 'install',
  // A deployed node (or one in maintenance) never reinstalls just because it PXE-booted.
  deployed: 'local',
  maintenance: 'local',
  failed: 'live',
  decommissioned: 'live',
};

/** What a node in this state boots next. */
export function nextBootTarget(state: NodeState): BootTarget {
  return BOOT_TARGET[state];
}

/** The state each node event moves to, and the state it must come from (`failed` comes from any active state). */
export const EVENT_TRANSITIONS: Readonly<Record<NodeEventType, { to: NodeState; from: readonly NodeState[] }>> = {
  'bmc-configured': { to: 'bmc-configured', from: ['ready-for-bmc'] },
  'install-started': { to: 'installing', from: ['bmc-configured'] },
  'install-finished': { to: 'deployed', from: ['installing'] },
  failed: { to: 'failed', from: ['new', 'inventoried', 'ready-for-bmc', 'bmc-configured', 'installing', 'deployed'] },
};

/** How long a node may stay in a state before the sweep marks it failed. */
export type StateTimeouts = Partial<Record<NodeState, number>>;
export const DEFAULT_STATE_TIMEOUTS: StateTimeouts = {
  'ready-for-bmc': 2 * 3600,
  'bmc-configured': 2 * 3600,
  installing: 2 * 3600,
};

/** If a node in `state` since `since` has overstayed, the reason to fail it; else null. */
export function timeoutReason(state: NodeState, since: Date, now: Date, timeouts: StateTimeouts): string | null {
  const limit = timeouts[state];
  if (limit === undefined || !canTransition(state, 'failed')) return null;
  const elapsed = (now.getTime() - since.getTime()) / 1000;
  if (elapsed <= limit) return null;
  return `timed out: ${state} for ${Math.round(elapsed)} s (limit ${limit} s)`;
}
