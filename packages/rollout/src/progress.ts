/** The steps of one node, in order. */
export const NODE_STEPS = ['precheck', 'drain', 'update', 'reboot', 'wait', 'postcheck', 'undrain'] as const;
export type NodeStep = (typeof NODE_STEPS)[number];

/**
 * `interrupted`: the rollout stopped (halt, budget, anomaly) while the node was between steps; it resumes
 * at its next step. A node still `running` in a stored record whose rollout is not running was cut off by
 * a crash and resumes at the step it was in.
 */
export type NodeState = 'pending' | 'running' | 'interrupted' | 'done' | 'failed';
export type RolloutState = 'running' | 'halted' | 'failed' | 'done';

export type StopKind =
  | 'halt-key'
  | 'halt-api'
  | 'signal'
  | 'canary'
  | 'error-budget'
  | 'anomaly'
  | 'post-check'
  | 'lock-lost';

/** Why a rollout stopped before its end. */
export interface StopReason {
  kind: StopKind;
  message: string;
  /** Who pressed the red button, when known. */
  by?: string;
  node?: string;
}

export interface NodeError {
  code: string;
  message: string;
}

/** What the store keeps per node; written after every step. */
export interface NodeProgress {
  node: string;
  batch: number;
  state: NodeState;
  /** The step running now, or the last one that ran. */
  step?: NodeStep;
  completedSteps: NodeStep[];
  /** Boot id read just before the reboot command, so a resumed rollout can tell the reboot happened. */
  bootIdBefore?: string;
  rebooted?: boolean;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  error?: NodeError;
}

/** What the store keeps per rollout. */
export interface RolloutRecord {
  cluster: string;
  id: string;
  holder: string;
  state: RolloutState;
  /** Node names per batch, fixed at the first start so a resumed rollout keeps its plan. */
  batches: string[][];
  createdAt: string;
  updatedAt: string;
  stopReason?: StopReason;
}

/** Events of a run, in order: the timeline. `at` is epoch milliseconds. */
export type RolloutEvent =
  | {
      type: 'rollout-started';
      at: number;
      cluster: string;
      id: string;
      /** Who runs it (user@host pid): the timeline says who ran what when. */
      holder: string;
      resumed: boolean;
      nodes: number;
      batches: number;
    }
  | { type: 'batch-started'; at: number; batch: number; nodes: string[] }
  | { type: 'batch-finished'; at: number; batch: number; failed: number }
  | { type: 'node-started'; at: number; node: string; batch: number; rack?: string }
  | { type: 'step-started'; at: number; node: string; step: NodeStep }
  | {
      type: 'step-finished';
      at: number;
      node: string;
      step: NodeStep;
      ok: boolean;
      durationMs: number;
      detail?: string;
    }
  | { type: 'node-finished'; at: number; node: string; state: 'done' | 'failed' | 'interrupted'; error?: NodeError }
  | { type: 'waiting'; at: number; reason: 'window'; until?: string }
  | { type: 'anomaly'; at: number; node: string; message: string }
  | { type: 'warning'; at: number; message: string; node?: string }
  | { type: 'stopping'; at: number; reason: StopReason }
  | { type: 'rollout-finished'; at: number; state: RolloutState; stopReason?: StopReason };

export function nowIso(): string {
  return new Date().toISOString();
}
