import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Executor,
  type Logger,
  silentLogger,
  ValidationError,
  validateIdentifier,
  validateInteger,
} from '@fleet/core';
import { type BatchSize, DEFAULT_BATCHES } from './plan.js';
import { DEFAULT_STATE_DIR } from './sqlite-store.js';
import type { RolloutEvent } from './progress.js';
import type { ProgressStore } from './store.js';
import { type RolloutNode, type TargetSelector, validateNode } from './targets.js';
import { type MaintenanceWindow, resolveWindows } from './window.js';

/**
 * A program and its arguments, never run through a shell. `{node}` and `{host}` in arguments are
 * replaced by the node's (validated) name and address.
 */
export type Argv = readonly [string, ...string[]];

/** Where a hook or check command runs: on the node (its executor) or on the orchestrator host. */
export type CommandPlace = 'node' | 'local';

export interface CommandCheck {
  kind: 'command';
  name?: string;
  argv: Argv;
  where?: CommandPlace;
  timeoutMs?: number;
}

export interface HttpCheck {
  kind: 'http';
  name?: string;
  /** `{node}` and `{host}` are replaced. Only http: and https: URLs. */
  url: string;
  /** Expected status; default any 2xx. */
  status?: number;
  timeoutMs?: number;
}

/** The node's own Consul health checks must all be passing. */
export interface ConsulHealthCheck {
  kind: 'consul-health';
  name?: string;
}

/** Anything else, in code. Throw to fail. */
export interface FunctionCheck {
  kind: 'function';
  name: string;
  run(context: StepContext): Promise<void>;
}

export type Check = CommandCheck | HttpCheck | ConsulHealthCheck | FunctionCheck;

/** Drain/undrain hooks: a command (on the node or locally) or a function. */
export type Hook = { argv: Argv; where?: CommandPlace; timeoutMs?: number } | ((context: StepContext) => Promise<void>);

export interface StepContext {
  node: RolloutNode;
  executor: Executor;
  signal: AbortSignal;
}

export interface NodeStepOptions {
  /** Commands run in order by the update step. Default apt-get update + noninteractive dist-upgrade. */
  update?: readonly Argv[];
  updateTimeoutMs?: number;
  /** Timeout of every other command (checks, hooks, reboot probe). Default 60 s. */
  commandTimeoutMs?: number;
  /** The node needs a reboot when this file exists. Default `/var/run/reboot-required`. */
  rebootRequiredPath?: string;
  /** Default `systemctl reboot`. The connection may drop while it runs: that is expected. */
  rebootCommand?: Argv;
  /** Prints the boot id. Default `cat /proc/sys/kernel/random/boot_id`. */
  bootIdCommand?: Argv;
  /** How long a node may take to come back with a new boot id. Default 15 min. */
  rebootTimeoutMs?: number;
  /** Pause between reconnect attempts while waiting for a rebooted node. Default 2 s. */
  rebootPollMs?: number;
  preChecks?: readonly Check[];
  postChecks?: readonly Check[];
  /** Post-checks are retried until they pass or this long has passed. Default 5 min. */
  postCheckTimeoutMs?: number;
  postCheckIntervalMs?: number;
  drain?: Hook;
  undrain?: Hook;
}

/** Reads Consul health: the worst check status of each node (by Consul node name). */
export interface HealthSource {
  read(): Promise<Map<string, HealthStatus>>;
}
export type HealthStatus = 'passing' | 'warning' | 'critical';

/** One-rollout-per-cluster lock and the red button. `createConsulCoordinator` or `createLocalCoordinator`. */
export interface RolloutCoordinator {
  /** Takes the cluster's lock or throws RolloutLockedError naming the holder. */
  lock(cluster: string, holder: string): Promise<RolloutLock>;
  /** The halt currently set, if any. */
  readHalt(cluster: string): Promise<HaltInfo | undefined>;
  /** Calls `onHalt` as soon as the halt is set (blocking queries, not slow polling). */
  watchHalt(
    cluster: string,
    onHalt: (halt: HaltInfo) => void,
    /** Called when the halt key cannot be read; `attempt` counts consecutive failures. */
    onError?: (error: unknown, attempt: number) => void,
  ): { stop(): void };
  /** Presses the red button (what `fleet rollout halt` does). */
  setHalt(cluster: string, info?: HaltInfo): Promise<void>;
  /** Releases it, so the rollout can be resumed. */
  clearHalt(cluster: string): Promise<void>;
  close?(): Promise<void>;
}

export interface RolloutLock {
  release(): Promise<void>;
  /** Called if the lock is lost while held (Consul session invalidated): the rollout then stops. */
  onLost?(listener: (reason: string) => void): () => void;
}

export interface HaltInfo {
  by?: string;
  reason?: string;
  at?: string;
}

export interface RolloutOptions extends NodeStepOptions {
  /** Cluster name: keys the lock, the halt key, the progress record and the log directory. */
  cluster: string;
  /** Nodes to update (already selected, or filtered by `select`). */
  targets: readonly RolloutNode[];
  select?: TargetSelector;
  /** Gives the executor for a node (ssh pool, local, simulated). The caller owns and closes them. */
  executorFor: (node: RolloutNode) => Executor | Promise<Executor>;
  /** For `where: 'local'` hooks and checks. Default: none (such hooks fail with a clear error). */
  localExecutor?: Executor;
  batches?: readonly BatchSize[];
  maxPerRack?: number;
  quorumGroups?: readonly string[];
  quorumTagPrefix?: string;
  /** Nodes of one batch running at once. Default: the whole batch. */
  maxParallel?: number;
  /** No new node starts outside these windows. Default: always. */
  windows?: readonly MaintenanceWindow[];
  /** Stop after this many failed nodes in the run. Default 1. */
  maxFailures?: number;
  /** Stop when more than this percentage of a batch failed (Ansible's max_fail_percentage). */
  maxFailPercent?: number;
  /** `step`: on a halt, running nodes stop after their current step; `node`: they finish all steps. */
  haltMode?: 'step' | 'node';
  coordinator?: RolloutCoordinator;
  health?: HealthSource;
  /** Consul node names that are not targets but whose health counts as a bystander's. */
  bystanders?: readonly string[];
  /** How often bystander health is read while nodes run. Default 1 s. */
  healthIntervalMs?: number;
  store?: ProgressStore;
  /** Holds the SQLite state file (default store), the local lock and the logs. Default `.fleet-rollout`. */
  stateDir?: string;
  /** Per-node output logs and events.jsonl. Default `<stateDir>/logs/<cluster>`; `false`: none. */
  logDir?: string | false;
  /** Written into the lock and the record: who runs this rollout. Default user@host pid. */
  holder?: string;
  /** Discard a stored unfinished rollout instead of resuming it. */
  fresh?: boolean;
  /** On resume, retry nodes that failed (default true) or leave them failed. */
  retryFailed?: boolean;
  /** Halt on SIGINT/SIGTERM (the listener is removed at the end). Default false. */
  handleSignals?: boolean;
  onEvent?: (event: RolloutEvent) => void;
  logger?: Logger;
  now?: () => Date;
}

export const DEFAULT_UPDATE: readonly Argv[] = [
  ['apt-get', 'update'],
  [
    'env',
    'DEBIAN_FRONTEND=noninteractive',
    'apt-get',
    '-y',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    'dist-upgrade',
  ],
];

export interface ResolvedRolloutOptions
  extends Required<
    Omit<
      RolloutOptions,
      | 'select'
      | 'localExecutor'
      | 'maxFailPercent'
      | 'coordinator'
      | 'health'
      | 'store'
      | 'drain'
      | 'undrain'
      | 'onEvent'
      | 'windows'
      | 'logDir'
    >
  > {
  select?: TargetSelector;
  localExecutor?: Executor;
  maxFailPercent?: number;
  coordinator?: RolloutCoordinator;
  health?: HealthSource;
  store?: ProgressStore;
  drain?: Hook;
  undrain?: Hook;
  onEvent?: (event: RolloutEvent) => void;
  windows: readonly MaintenanceWindow[];
  logDir: string | false;
}

function validateArgv(argv: unknown, field: string): Argv {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
    throw new ValidationError(field, `${field} must be a non-empty list of strings (program and arguments)`);
  }
  for (const [i, a] of (argv as string[]).entries()) {
    // Arguments reach a remote shell quoted by the executor, but NUL and newlines never belong in them.
    if (/[\0\n\r]/.test(a)) throw new ValidationError(`${field}[${i}]`, `${field}[${i}] contains a NUL or newline`);
  }
  if ((argv[0] as string).length === 0) throw new ValidationError(`${field}[0]`, `${field}[0] must name a program`);
  return argv as unknown as Argv;
}

function validateChecks(checks: readonly Check[], field: string): readonly Check[] {
  if (!Array.isArray(checks)) throw new ValidationError(field, `${field} must be a list of checks`);
  checks.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (c.kind === 'command') validateArgv(c.argv, `${f}.argv`);
    else if (c.kind === 'http') {
      if (typeof c.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(c.url)) {
        throw new ValidationError(`${f}.url`, `${f}.url ${JSON.stringify(c.url)} must be an http(s) URL`);
      }
    } else if (c.kind === 'function') {
      if (typeof c.run !== 'function') throw new ValidationError(`${f}.run`, `${f}.run must be a function`);
    } else if (c.kind !== 'consul-health') {
      throw new ValidationError(`${f}.kind`, `${f}.kind must be command, http, consul-health or function`);
    }
  });
  return checks;
}

function validateHook(hook: Hook | undefined, field: string): Hook | undefined {
  if (hook === undefined || typeof hook === 'function') return hook;
  validateArgv(hook.argv, `${field}.argv`);
  return hook;
}

function positive(value: number | undefined, fallback: number, field: string, min = 1): number {
  return validateInteger(value ?? fallback, field, min, 7 * 86_400_000);
}

/** Fills defaults and validates every field; throws ValidationError naming the bad one. */
export function resolveRolloutOptions(options: RolloutOptions): ResolvedRolloutOptions {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('options', 'rollout options are required');
  const cluster = validateIdentifier(options.cluster, 'cluster');
  if (!Array.isArray(options.targets)) throw new ValidationError('targets', 'targets must be a list of nodes');
  const targets = options.targets.map((n, i) => validateNode(n, i));
  if (typeof options.executorFor !== 'function') {
    throw new ValidationError('executorFor', 'executorFor must be a function returning the Executor of a node');
  }
  if (options.windows !== undefined) resolveWindows(options.windows);
  const stateDir = resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  const maxFailPercent = options.maxFailPercent;
  if (
    maxFailPercent !== undefined &&
    !(typeof maxFailPercent === 'number' && maxFailPercent >= 0 && maxFailPercent <= 100)
  ) {
    throw new ValidationError(
      'maxFailPercent',
      `maxFailPercent must be a number from 0 to 100, got ${JSON.stringify(maxFailPercent)}`,
    );
  }
  const haltMode = options.haltMode ?? 'step';
  if (haltMode !== 'step' && haltMode !== 'node')
    throw new ValidationError('haltMode', 'haltMode must be "step" or "node"');
  const rebootRequiredPath = options.rebootRequiredPath ?? '/var/run/reboot-required';
  if (!/^\/[A-Za-z0-9_./{}-]+$/.test(rebootRequiredPath) || rebootRequiredPath.includes('..')) {
    throw new ValidationError(
      'rebootRequiredPath',
      `rebootRequiredPath ${JSON.stringify(rebootRequiredPath)} must be an absolute path`,
    );
  }
  const update = options.update ?? DEFAULT_UPDATE;
  if (!Array.isArray(update) || update.length === 0)
    throw new ValidationError('update', 'update must list at least one command');
  for (const [i, argv] of update.entries()) validateArgv(argv, `update[${i}]`);
  const holder = options.holder ?? `${safeUser()}@${hostname()} pid ${process.pid}`;
  return {
    ...options,
    cluster,
    targets,
    batches: options.batches ?? DEFAULT_BATCHES,
    maxPerRack: positive(options.maxPerRack, 1, 'maxPerRack'),
    quorumGroups: options.quorumGroups ?? [],
    quorumTagPrefix: options.quorumTagPrefix ?? 'quorum:',
    maxParallel: positive(options.maxParallel, 1_000_000, 'maxParallel'),
    windows: options.windows ?? [],
    maxFailures: positive(options.maxFailures, 1, 'maxFailures'),
    maxFailPercent,
    haltMode,
    bystanders: options.bystanders ?? [],
    healthIntervalMs: positive(options.healthIntervalMs, 1000, 'healthIntervalMs', 10),
    stateDir,
    logDir: options.logDir === false ? false : resolve(options.logDir ?? join(stateDir, 'logs', cluster)),
    holder,
    fresh: options.fresh ?? false,
    retryFailed: options.retryFailed ?? true,
    handleSignals: options.handleSignals ?? false,
    logger: options.logger ?? silentLogger,
    now: options.now ?? (() => new Date()),
    update,
    updateTimeoutMs: positive(options.updateTimeoutMs, 3_600_000, 'updateTimeoutMs'),
    commandTimeoutMs: positive(options.commandTimeoutMs, 60_000, 'commandTimeoutMs'),
    rebootRequiredPath,
    rebootCommand: validateArgv(options.rebootCommand ?? ['systemctl', 'reboot'], 'rebootCommand'),
    bootIdCommand: validateArgv(options.bootIdCommand ?? ['cat', '/proc/sys/kernel/random/boot_id'], 'bootIdCommand'),
    rebootTimeoutMs: positive(options.rebootTimeoutMs, 900_000, 'rebootTimeoutMs'),
    rebootPollMs: positive(options.rebootPollMs, 2000, 'rebootPollMs'),
    preChecks: validateChecks(options.preChecks ?? [], 'preChecks'),
    postChecks: validateChecks(options.postChecks ?? [], 'postChecks'),
    postCheckTimeoutMs: positive(options.postCheckTimeoutMs, 300_000, 'postCheckTimeoutMs', 0),
    postCheckIntervalMs: positive(options.postCheckIntervalMs, 2000, 'postCheckIntervalMs'),
    drain: validateHook(options.drain, 'drain'),
    undrain: validateHook(options.undrain, 'undrain'),
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
