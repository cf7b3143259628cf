import { FleetError, FleetErrorOptions, Executor, Logger } from '@fleet/core';
import { ConsulClient } from '@fleet/consul';
type RolloutErrorCode = 'ROLLOUT_LOCKED' | 'ROLLOUT_HALTED' | 'ROLLOUT_PLAN_MISMATCH' | 'ROLLOUT_NO_TARGETS' | 'ROLLOUT_STEP_FAILED' | 'ROLLOUT_REBOOT_TIMEOUT' | 'ROLLOUT_CHECK_FAILED' | 'ROLLOUT_STORE_FAILED';
declare class RolloutError extends FleetError {
    name: string;
    readonly code: RolloutErrorCode;
    constructor(code: RolloutErrorCode, message: string, options?: FleetErrorOptions);
}
declare class RolloutLockedError extends RolloutError {
    name: "RolloutLockedError";
    readonly cluster: string;
    readonly holder: string;
    constructor(cluster: string, holder: string, options?: FleetErrorOptions);
}
declare class RolloutStepError extends RolloutError {
    name: "RolloutStepError";
    readonly node: string;
    readonly step: string;
    constructor(code: RolloutErrorCode, node: string, step: string, message: string, options?: FleetErrorOptions);
}
interface RolloutNode {
    name: string;
    host?: string;
    port?: number;
    cluster?: string;
    rack?: string;
    role?: string;
    groups?: readonly string[];
    tags?: readonly string[];
    consulNode?: string;
}
interface TargetSelector {
    cluster?: string;
    roles?: readonly string[];
    groups?: readonly string[];
    tags?: readonly string[];
    racks?: readonly string[];
    names?: readonly string[];
}
declare function validateNode(node: RolloutNode, index?: number): RolloutNode;
declare function selectTargets(inventory: readonly RolloutNode[], selector?: TargetSelector): RolloutNode[];
type BatchSize = number | `${number}%`;
interface PlanOptions {
    batches?: readonly BatchSize[];
    maxPerRack?: number;
    quorumGroups?: readonly string[];
    quorumTagPrefix?: string;
}
interface PlannedBatch {
    index: number;
    size: number;
    nodes: string[];
}
interface RolloutPlan {
    batches: PlannedBatch[];
    order: string[];
    quorum: Record<string, string[]>;
}
declare const DEFAULT_BATCHES: readonly BatchSize[];
declare function resolveBatchSizes(batches: readonly BatchSize[], total: number): number[];
declare function quorumGroupsOf(node: RolloutNode, options: Pick<PlanOptions, 'quorumGroups' | 'quorumTagPrefix'>): string[];
declare function planRollout(targets: readonly RolloutNode[], options?: PlanOptions): RolloutPlan;
type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
interface MaintenanceWindow {
    days?: readonly Weekday[];
    start: string;
    end: string;
    timeZone?: string;
}
interface ResolvedWindow {
    days: Set<number>;
    start: number;
    end: number;
    timeZone: string;
}
declare function resolveWindows(windows: readonly MaintenanceWindow[], field?: string): ResolvedWindow[];
declare function isInWindow(date: Date, windows: readonly MaintenanceWindow[]): boolean;
declare function nextWindowStart(from: Date, windows: readonly MaintenanceWindow[]): Date | undefined;
declare const NODE_STEPS: readonly ["precheck", "drain", "update", "reboot", "wait", "postcheck", "undrain"];
type NodeStep = (typeof NODE_STEPS)[number];
type NodeState = 'pending' | 'running' | 'interrupted' | 'done' | 'failed';
type RolloutState = 'running' | 'halted' | 'failed' | 'done';
type StopKind = 'halt-key' | 'halt-api' | 'signal' | 'canary' | 'error-budget' | 'anomaly' | 'post-check' | 'lock-lost';
interface StopReason {
    kind: StopKind;
    message: string;
    by?: string;
    node?: string;
}
interface NodeError {
    code: string;
    message: string;
}
interface NodeProgress {
    node: string;
    batch: number;
    state: NodeState;
    step?: NodeStep;
    completedSteps: NodeStep[];
    bootIdBefore?: string;
    rebooted?: boolean;
    attempts: number;
    startedAt?: string;
    finishedAt?: string;
    error?: NodeError;
}
interface RolloutRecord {
    cluster: string;
    id: string;
    holder: string;
    state: RolloutState;
    batches: string[][];
    createdAt: string;
    updatedAt: string;
    stopReason?: StopReason;
}
type RolloutEvent = {
    type: 'rollout-started';
    at: number;
    cluster: string;
    id: string;
    holder: string;
    resumed: boolean;
    nodes: number;
    batches: number;
} | {
    type: 'batch-started';
    at: number;
    batch: number;
    nodes: string[];
} | {
    type: 'batch-finished';
    at: number;
    batch: number;
    failed: number;
} | {
    type: 'node-started';
    at: number;
    node: string;
    batch: number;
    rack?: string;
} | {
    type: 'step-started';
    at: number;
    node: string;
    step: NodeStep;
} | {
    type: 'step-finished';
    at: number;
    node: string;
    step: NodeStep;
    ok: boolean;
    durationMs: number;
    detail?: string;
} | {
    type: 'node-finished';
    at: number;
    node: string;
    state: 'done' | 'failed' | 'interrupted';
    error?: NodeError;
} | {
    type: 'waiting';
    at: number;
    reason: 'window';
    until?: string;
} | {
    type: 'anomaly';
    at: number;
    node: string;
    message: string;
} | {
    type: 'warning';
    at: number;
    message: string;
    node?: string;
} | {
    type: 'stopping';
    at: number;
    reason: StopReason;
} | {
    type: 'rollout-finished';
    at: number;
    state: RolloutState;
    stopReason?: StopReason;
};
interface ProgressStore {
    readRollout(cluster: string): Promise<RolloutRecord | undefined>;
    writeRollout(record: RolloutRecord): Promise<void>;
    readNodes(cluster: string): Promise<NodeProgress[]>;
    writeNode(cluster: string, progress: NodeProgress): Promise<void>;
    clear(cluster: string): Promise<void>;
    close(): Promise<void>;
}
declare function createMemoryProgressStore(): ProgressStore;
type Argv = readonly [string, ...string[]];
type CommandPlace = 'node' | 'local';
interface CommandCheck {
    kind: 'command';
    name?: string;
    argv: Argv;
    where?: CommandPlace;
    timeoutMs?: number;
}
interface HttpCheck {
    kind: 'http';
    name?: string;
    url: string;
    status?: number;
    timeoutMs?: number;
}
interface ConsulHealthCheck {
    kind: 'consul-health';
    name?: string;
}
interface FunctionCheck {
    kind: 'function';
    name: string;
    run(context: StepContext): Promise<void>;
}
type Check = CommandCheck | HttpCheck | ConsulHealthCheck | FunctionCheck;
type Hook = {
    argv: Argv;
    where?: CommandPlace;
    timeoutMs?: number;
} | ((context: StepContext) => Promise<void>);
interface StepContext {
    node: RolloutNode;
    executor: Executor;
    signal: AbortSignal;
}
interface NodeStepOptions {
    update?: readonly Argv[];
    updateTimeoutMs?: number;
    commandTimeoutMs?: number;
    rebootRequiredPath?: string;
    rebootCommand?: Argv;
    bootIdCommand?: Argv;
    rebootTimeoutMs?: number;
    rebootPollMs?: number;
    preChecks?: readonly Check[];
    postChecks?: readonly Check[];
    postCheckTimeoutMs?: number;
    postCheckIntervalMs?: number;
    drain?: Hook;
    undrain?: Hook;
}
interface HealthSource {
    read(): Promise<Map<string, HealthStatus>>;
}
type HealthStatus = 'passing' | 'warning' | 'critical';
interface RolloutCoordinator {
    lock(cluster: string, holder: string): Promise<RolloutLock>;
    readHalt(cluster: string): Promise<HaltInfo | undefined>;
    watchHalt(cluster: string, onHalt: (halt: HaltInfo) => void,
    onError?: (error: unknown, attempt: number) => void): {
        stop(): void;
    };
    setHalt(cluster: string, info?: HaltInfo): Promise<void>;
    clearHalt(cluster: string): Promise<void>;
    close?(): Promise<void>;
}
interface RolloutLock {
    release(): Promise<void>;
    onLost?(listener: (reason: string) => void): () => void;
}
interface HaltInfo {
    by?: string;
    reason?: string;
    at?: string;
}
interface RolloutOptions extends NodeStepOptions {
    cluster: string;
    targets: readonly RolloutNode[];
    select?: TargetSelector;
    executorFor: (node: RolloutNode) => Executor | Promise<Executor>;
    localExecutor?: Executor;
    batches?: readonly BatchSize[];
    maxPerRack?: number;
    quorumGroups?: readonly string[];
    quorumTagPrefix?: string;
    maxParallel?: number;
    windows?: readonly MaintenanceWindow[];
    maxFailures?: number;
    maxFailPercent?: number;
    haltMode?: 'step' | 'node';
    coordinator?: RolloutCoordinator;
    health?: HealthSource;
    bystanders?: readonly string[];
    healthIntervalMs?: number;
    store?: ProgressStore;
    stateDir?: string;
    logDir?: string | false;
    holder?: string;
    fresh?: boolean;
    retryFailed?: boolean;
    handleSignals?: boolean;
    onEvent?: (event: RolloutEvent) => void;
    logger?: Logger;
    now?: () => Date;
}
declare const DEFAULT_UPDATE: readonly Argv[];
interface ResolvedRolloutOptions extends Required<Omit<RolloutOptions, 'select' | 'localExecutor' | 'maxFailPercent' | 'coordinator' | 'health' | 'store' | 'drain' | 'undrain' | 'onEvent' | 'windows' | 'logDir'>> {
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
declare function resolveRolloutOptions(options: RolloutOptions): ResolvedRolloutOptions;
declare function createSqliteProgressStore(file: string): ProgressStore;
declare const DEFAULT_STATE_DIR = ".fleet-rollout";
declare function createDefaultProgressStore(stateDir?: string): ProgressStore;
declare function createLocalCoordinator(stateDir: string): RolloutCoordinator;
interface RolloutStatus {
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
declare function readRolloutStatus(store: ProgressStore, cluster: string): Promise<RolloutStatus | undefined>;
interface RolloutResult extends RolloutStatus {
    events: RolloutEvent[];
    resumed: boolean;
}
interface Rollout {
    readonly cluster: string;
    readonly plan: RolloutPlan;
    run(): Promise<RolloutResult>;
    halt(reason?: string, by?: string): void;
    events(): readonly RolloutEvent[];
    snapshot(): RolloutStatus | undefined;
}
declare function createRollout(options: RolloutOptions): Rollout;
declare function runRollout(options: RolloutOptions): Promise<RolloutResult>;
declare function formatEvent(event: RolloutEvent): string;
declare function formatSummary(status: RolloutStatus): string;
declare function formatProgress(status: RolloutStatus): string[];
declare function formatStatusJson(status: RolloutStatus): string;
declare const NODE_STATES: readonly NodeState[];
type SimulatedUpdate = 'ok' | 'fail' | 'reboot' | 'hang';
interface SimulatedNodeSpec {
    update?: SimulatedUpdate;
    exitCodes?: Record<string, number>;
}
interface SimulatedCall {
    node: string;
    line: string;
    kind: 'update' | 'reboot' | 'boot-id' | 'reboot-probe' | 'other';
    at: number;
}
interface SimulatedFleetOptions {
    nodes?: Record<string, SimulatedNodeSpec>;
    commandMs?: number;
    rebootDownMs?: number;
    update?: readonly Argv[];
    rebootCommand?: Argv;
    bootIdCommand?: Argv;
}
interface SimulatedFleet {
    executorFor(node: RolloutNode): Executor;
    readonly calls: SimulatedCall[];
    updates(node: string): number;
    bootId(node: string): string;
    set(node: string, spec: SimulatedNodeSpec): void;
}
declare function createSimulatedFleet(options?: SimulatedFleetOptions): SimulatedFleet;
interface ConsulRolloutKeys {
    halt: string;
    lock: string;
    progress: string;
}
declare function rolloutKeys(cluster: string, prefix?: string): ConsulRolloutKeys;
interface ConsulCoordinatorOptions {
    prefix?: string;
    lockTtl?: string;
    dc?: string;
}
declare function createConsulCoordinator(consul: ConsulClient, options?: ConsulCoordinatorOptions): RolloutCoordinator;
declare function haltRollout(target: ConsulClient | RolloutCoordinator, cluster: string, info?: HaltInfo): Promise<void>;
declare function clearRolloutHalt(target: ConsulClient | RolloutCoordinator, cluster: string): Promise<void>;
declare function createConsulProgressStore(consul: ConsulClient, options?: {
    prefix?: string;
    dc?: string;
}): ProgressStore;
declare function createConsulHealthSource(consul: ConsulClient, options?: {
    dc?: string;
}): HealthSource;
export { type Argv, type BatchSize, type Check, type CommandCheck, type CommandPlace, type ConsulCoordinatorOptions, type ConsulHealthCheck, type ConsulRolloutKeys, DEFAULT_BATCHES, DEFAULT_STATE_DIR, DEFAULT_UPDATE, type FunctionCheck, type HaltInfo, type HealthSource, type HealthStatus, type Hook, type HttpCheck, type MaintenanceWindow, NODE_STATES, NODE_STEPS, type NodeError, type NodeProgress, type NodeState, type NodeStep, type NodeStepOptions, type PlanOptions, type PlannedBatch, type ProgressStore, type ResolvedRolloutOptions, type Rollout, type RolloutCoordinator, RolloutError, type RolloutErrorCode, type RolloutEvent, type RolloutLock, RolloutLockedError, type RolloutNode, type RolloutOptions, type RolloutPlan, type RolloutRecord, type RolloutResult, type RolloutState, type RolloutStatus, RolloutStepError, type SimulatedCall, type SimulatedFleet, type SimulatedFleetOptions, type SimulatedNodeSpec, type SimulatedUpdate, type StepContext, type StopKind, type StopReason, type TargetSelector, type Weekday, clearRolloutHalt, createConsulCoordinator, createConsulHealthSource, createConsulProgressStore, createDefaultProgressStore, createLocalCoordinator, createMemoryProgressStore, createRollout, createSimulatedFleet, createSqliteProgressStore, formatEvent, formatProgress, formatStatusJson, formatSummary, haltRollout, isInWindow, nextWindowStart, planRollout, quorumGroupsOf, readRolloutStatus, resolveBatchSizes, resolveRolloutOptions, resolveWindows, rolloutKeys, runRollout, selectTargets, validateNode };
