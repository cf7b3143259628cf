export {
  MachineDbError,
  IllegalTransitionError,
  NodeNotFoundError,
  PreconditionFailedError,
  AuthError,
  StoreConflictError,
} from './errors.js';
export {
  TRANSITIONS,
  EVENT_TRANSITIONS,
  DEFAULT_STATE_TIMEOUTS,
  type StateTimeouts,
  allowedTransitions,
  canTransition,
  assertTransition,
  nextBootTarget,
  timeoutReason,
} from './lifecycle.js';
export {
  type AddressAllocator,
  type AddressPurpose,
  type AddressRequest,
  type MemoryPool,
  createMemoryAllocator,
} from './addresses.js';
export { type LdapOptions, type LdapResult, ldapAuthenticate } from './ldap.js';
export { parseServerKey, generateBmcPassword } from './secrets.js';
export type { Store, NodeRecord, NodeFilter, NewHistoryEntry, UserRecord, TokenRecord } from './store/types.js';
export { type SqliteStoreOptions, createSqliteStore } from './store/sqlite.js';
export { type PostgresStoreOptions, createPostgresStore } from './store/postgres.js';
export { type StoreConfig, openStore } from './store/open.js';
export {
  type MachineDbOptions,
  type ResolvedMachineDbOptions,
  type Caller,
  MachineDb,
  createMachineDb,
  resolveMachineDbOptions,
  nodeView,
} from './service.js';
export {
  type MachineDbRoutesOptions,
  type MachineDbAppOptions,
  type MachineDbApp,
  machineDbRoutes,
  createMachineDbApp,
  errorBody,
} from './http.js';
export { buildOpenApiDocument } from './openapi.js';
export { type IpamAllocatorOptions, createIpamAllocator } from './ipam-allocator.js';
