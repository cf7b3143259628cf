export { type ImportRowError, type IpamErrorCode, IpamError, IpamImportError, isIpamError } from './errors.js';
export {
  type Family,
  type Range,
  parseAddress,
  parsePrefix,
  formatAddress,
  formatPrefix,
} from './address.js';
export type {
  Prefix,
  PrefixKind,
  PrefixStatus,
  Vrf,
  Pool,
  KeepFree,
  HistoryAction,
  HistoryEntry,
  Usage,
  PoolUsage,
  PrefixSearch,
  PrefixRow,
  NewPrefixRow,
  PrefixRowPatch,
} from './types.js';
export { PREFIX_KINDS, PREFIX_STATUSES } from './types.js';
export {
  type Store,
  type StoreOp,
  type StoreOpResults,
  type StoreProgram,
  type RunOptions,
  call,
} from './store.js';
export { createMemoryStore } from './memory-store.js';
export {
  type SqliteStoreOptions,
  type ResolvedSqliteStoreOptions,
  createSqliteStore,
  resolveSqliteStoreOptions,
} from './sqlite-store.js';
export {
  type PostgresStoreOptions,
  type ResolvedPostgresStoreOptions,
  createPostgresStore,
  resolvePostgresStoreOptions,
} from './postgres-store.js';
export { SCHEMA_VERSION } from './schema.js';
export {
  type Ipam,
  type IpamOptions,
  type ResolvedIpamOptions,
  type PrefixRef,
  type PrefixFields,
  type AddPrefixInput,
  type AllocationSource,
  type AllocationFields,
  type AllocateAddressInput,
  type AllocatePrefixInput,
  type AllocateTransferNetInput,
  type TransferNet,
  type AddVrfInput,
  type AddPoolInput,
  type EditPoolInput,
  type ListChildrenOptions,
  type HistoryQuery,
  DEFAULT_KEEP_FREE,
  createIpam,
  resolveIpamOptions,
} from './ipam.js';
export {
  type PlanDocument,
  type PlanPrefix,
  type PlanVrf,
  type PlanPool,
  type ImportOptions,
  type ImportResult,
  CSV_COLUMNS,
} from './plan-io.js';
