export {
  type Family,
  formatAddress,
  formatPrefix,
  parseAddress,
  parsePrefix,
  type Range,
} from './address.js';
export { type ImportRowError, IpamError, type IpamErrorCode, IpamImportError, isIpamError } from './errors.js';
export {
  allocateNodeFabric,
  checkServiceAddressQuery,
  type FabricPools,
  findServiceAddresses,
  type NodeFabric,
  type NodeFabricInput,
  type NodeFabricLink,
  releaseNodeFabric,
  type ServiceAddressQuery,
} from './fabric.js';
export {
  type AddPoolInput,
  type AddPrefixInput,
  type AddVrfInput,
  type AllocateAddressInput,
  type AllocatePrefixInput,
  type AllocateTransferNetInput,
  type AllocationFields,
  type AllocationSource,
  createIpam,
  DEFAULT_KEEP_FREE,
  type EditPoolInput,
  type HistoryQuery,
  type Ipam,
  type IpamOptions,
  type ListChildrenOptions,
  type NextFree,
  type NextFreeAddressInput,
  type NextFreePrefixInput,
  type PrefixFields,
  type PrefixRef,
  type ResolvedIpamOptions,
  resolveIpamOptions,
  type TransferNet,
} from './ipam.js';
export { createMemoryStore } from './memory-store.js';
export {
  CSV_COLUMNS,
  type ImportOptions,
  type ImportResult,
  type PlanDocument,
  type PlanPool,
  type PlanPrefix,
  type PlanVrf,
} from './plan-io.js';
export {
  createPostgresStore,
  type PostgresStoreOptions,
  type ResolvedPostgresStoreOptions,
  resolvePostgresStoreOptions,
} from './postgres-store.js';
export { SCHEMA_VERSION } from './schema.js';
export {
  createSqliteStore,
  type ResolvedSqliteStoreOptions,
  resolveSqliteStoreOptions,
  type SqliteStoreOptions,
} from './sqlite-store.js';
export {
  call,
  type RunOptions,
  type Store,
  type StoreOp,
  type StoreOpResults,
  type StoreProgram,
} from './store.js';
export type {
  HistoryAction,
  HistoryEntry,
  KeepFree,
  NewPrefixRow,
  Pool,
  PoolUsage,
  Prefix,
  PrefixKind,
  PrefixRow,
  PrefixRowPatch,
  PrefixSearch,
  PrefixStatus,
  Usage,
  Vrf,
} from './types.js';
export { PREFIX_KINDS, PREFIX_STATUSES } from './types.js';
