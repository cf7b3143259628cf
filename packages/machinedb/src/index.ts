export {
  type AddressAllocator,
  type AddressPurpose,
  type AddressRequest,
  createMemoryAllocator,
  type MemoryPool,
} from './addresses.js';
export {
  AuthError,
  httpStatusOfError,
  IllegalTransitionError,
  MachineDbError,
  MachineDbServerError,
  NodeNotFoundError,
  PreconditionFailedError,
  StoreConflictError,
} from './errors.js';
export {
  createMachineDbApp,
  DATABASE_RETRY_AFTER_SECONDS,
  errorBody,
  type MachineDbApp,
  type MachineDbAppOptions,
  type MachineDbRoutesOptions,
  machineDbRoutes,
} from './http.js';
export { createIpamAllocator, type IpamAllocatorOptions } from './ipam-allocator.js';
export { type LdapOptions, type LdapResult, ldapAuthenticate } from './ldap.js';
export {
  allowedTransitions,
  assertTransition,
  canTransition,
  DEFAULT_STATE_TIMEOUTS,
  EVENT_TRANSITIONS,
  nextBootTarget,
  type StateTimeouts,
  TRANSITIONS,
  timeoutReason,
} from './lifecycle.js';
export { buildOpenApiDocument } from './openapi.js';
export { LoginLimiter, type LoginLimiterOptions } from './rate-limit.js';
export { generateBmcPassword, parseServerKey } from './secrets.js';
export {
  type AnsibleExportBody,
  type Caller,
  createMachineDb,
  MachineDb,
  type LocationCheck,
  type MachineDbOptions,
  nodeView,
  type ResolvedMachineDbOptions,
  resolveMachineDbOptions,
} from './service.js';
export {
  type CachedStore,
  type CachedStoreOptions,
  createCachedStore,
  createLocalNodeChangeFeed,
  type NodeChange,
  type NodeChangeFeed,
} from './store/cached.js';
export { openStore, type StoreConfig } from './store/open.js';
export { createPostgresStore, type PostgresStoreOptions } from './store/postgres.js';
export { createPostgresNodeChangeFeed, type PostgresNodeChangeFeedOptions } from './store/postgres-feed.js';
export { createSqliteStore, type SqliteStoreOptions } from './store/sqlite.js';
export type { NewHistoryEntry, NodeFilter, NodeRecord, Store, TokenRecord, UserRecord } from './store/types.js';
