export {
  type RolloutErrorCode,
  RolloutError,
  RolloutLockedError,
  RolloutStepError,
} from './errors.js';
export { type RolloutNode, type TargetSelector, selectTargets, validateNode } from './targets.js';
export {
  type BatchSize,
  type PlanOptions,
  type PlannedBatch,
  type RolloutPlan,
  DEFAULT_BATCHES,
  planRollout,
  resolveBatchSizes,
  quorumGroupsOf,
} from './plan.js';
export { type Weekday, type MaintenanceWindow, isInWindow, nextWindowStart, resolveWindows } from './window.js';
export {
  type Argv,
  type CommandPlace,
  type CommandCheck,
  type HttpCheck,
  type ConsulHealthCheck,
  type FunctionCheck,
  type Check,
  type Hook,
  type StepContext,
  type NodeStepOptions,
  type HealthSource,
  type HealthStatus,
  type RolloutCoordinator,
  type HaltInfo,
  type RolloutLock,
  type RolloutOptions,
  type ResolvedRolloutOptions,
  DEFAULT_UPDATE,
  resolveRolloutOptions,
} from './options.js';
export {
  NODE_STEPS,
  type NodeStep,
  type NodeState,
  type RolloutState,
  type StopKind,
  type StopReason,
  type NodeError,
  type NodeProgress,
  type RolloutRecord,
  type RolloutEvent,
} from './progress.js';
export { type ProgressStore, createMemoryProgressStore } from './store.js';
export { createSqliteProgressStore, createDefaultProgressStore, DEFAULT_STATE_DIR } from './sqlite-store.js';
export { createLocalCoordinator } from './local-coordinator.js';
export { type RolloutStatus, readRolloutStatus } from './status.js';
export { type Rollout, type RolloutResult, createRollout, runRollout } from './run.js';
export { formatEvent, formatSummary, formatProgress, formatStatusJson, NODE_STATES } from './format.js';
export {
  type SimulatedUpdate,
  type SimulatedNodeSpec,
  type SimulatedCall,
  type SimulatedFleetOptions,
  type SimulatedFleet,
  createSimulatedFleet,
} from './simulated.js';
export {
  type ConsulRolloutKeys,
  type ConsulCoordinatorOptions,
  rolloutKeys,
  createConsulCoordinator,
  createConsulProgressStore,
  createConsulHealthSource,
  haltRollout,
  clearRolloutHalt,
} from './consul.js';
