export {
  type ConsulClient,
  type ConsulOptions,
  type ResolvedConsulOptions,
  createConsul,
  resolveConsulOptions,
  closeConsul,
} from './client.js';
export {
  type ConsulAddress,
  type ConsulEndpoint,
  type ParseConsulAddressOptions,
  type ResolveConsulEndpointOptions,
  DEFAULT_CONSUL_HTTP_ADDR,
  parseConsulAddress,
  resolveConsulEndpoint,
} from './address.js';
export {
  ConsulError,
  ConsulRequestError,
  LockHeldError,
  SemaphoreFullError,
  CasConflictError,
  ConsulValueError,
} from './errors.js';
export {
  type KvEntry,
  type KeyRead,
  type ReadKeyOptions,
  type WriteKeyOptions,
  type JsonValue,
  type ReadJsonOptions,
  type CasJsonOptions,
  readKey,
  readPrefix,
  writeKey,
  deleteKey,
  readJson,
  writeJson,
  casJson,
} from './kv.js';
export {
  type WatchKeyOptions,
  type HaltState,
  type HaltWatch,
  type WatchHaltOptions,
  watchKey,
  watchHalt,
  parseHalt,
  setHalt,
  clearHalt,
} from './watch.js';
/**
 * @deprecated Moved to `@fleet/core` (the one backoff of the project); import it from there. This re-export
 * goes in the next minor version.
 */
export { type BackoffOptions, backoffDelay } from '@fleet/core';
export {
  type Lease,
  type Lock,
  type LockOptions,
  type Semaphore,
  type SemaphoreOptions,
  type SemaphoreAcquireOptions,
  acquireLock,
  createSemaphore,
} from './lock.js';
export {
  type CheckStatus,
  type CatalogCheck,
  type CatalogServiceInstance,
  type CatalogNodeInfo,
  type CatalogSnapshot,
  readCatalog,
  listDatacenters,
} from './catalog.js';
export {
  type ExpectedNode,
  type DriftDatacenter,
  type CompareWithConsulOptions,
  type DriftFinding,
  type DriftKind,
  type DriftDatacenterResult,
  type DriftReport,
  DRIFT_KINDS,
  compareWithConsul,
  formatDriftFindings,
  formatDriftTable,
} from './drift.js';
export {
  type MachineDbNodeSource,
  type MachineDbDriftOptions,
  expectedFromNodes,
  compareMachineDbWithConsul,
} from './machinedb-drift.js';
