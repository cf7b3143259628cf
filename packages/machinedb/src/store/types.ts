import type {
  Actor,
  AddressAssignment,
  HistoryEntry,
  Inventory,
  Location,
  NodeState,
  SystemDiskHint,
} from '@fleet/machinedb-contract';

/** A node as stored: the API view plus what never leaves the server (token hash, sealed BMC password). */
export interface NodeRecord {
  id: string;
  /** System UUID, or `uuid/mac` when the board reports a well-known placeholder UUID shared by many boards. */
  identityKey: string;
  systemUuid: string;
  serial: string | null;
  macs: string[];
  hostname: string | null;
  fqdn: string | null;
  cluster: string | null;
  roles: string[];
  groups: string[];
  tags: string[];
  asn: number | null;
  location: Location | null;
  systemDisk: SystemDiskHint | null;
  /** `handedOutAt`: when the node fetched this password (it gets it once per entry into ready-for-bmc). */
  bmc: { address: string | null; user: string; passwordSealed: string | null; handedOutAt?: string | null } | null;
  addresses: AddressAssignment[];
  state: NodeState;
  stateReason: string | null;
  stateSince: string;
  createdAt: string;
  updatedAt: string;
  inventoriedAt: string | null;
  version: number;
  nodeTokenHash: string | null;
  /**
   * Set when an admin reset the node's identity: its next enrolment without credentials claims the node
   * (and gets a new token) once; cleared by that enrolment. Absent on nodes stored before it existed.
   */
  identityResetAt?: string | null;
}

/** One history entry to append with a write; the store assigns `seq`. */
export type NewHistoryEntry = Omit<HistoryEntry, 'seq'>;

export interface NodeFilter {
  state?: NodeState | undefined;
  states?: readonly NodeState[] | undefined;
  site?: string | undefined;
  rack?: string | undefined;
  group?: string | undefined;
  role?: string | undefined;
  tag?: string | undefined;
  cluster?: string | undefined;
  mac?: string | undefined;
  q?: string | undefined;
  /** Only nodes changed at or after this ISO time (`updatedAt`): for callers keeping their own copy fresh. */
  updatedSince?: string | undefined;
}

export interface UserRecord {
  username: string;
  role: 'admin' | 'operator' | 'viewer';
  passwordHash: string;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  /** `api` tokens are created by admins for scripts; `session` tokens by login. */
  kind: 'api' | 'session';
  name: string;
  role: 'admin' | 'operator' | 'viewer';
  /** The user a session belongs to (deleted with the user); the creator of an API token. */
  username: string;
  source: 'local' | 'ldap' | 'token';
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

/**
 * Persistence port. Every write is one transaction that also appends exactly one history entry, so a
 * node's version always equals the number of its history entries: the crash test checks that.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call from several servers at once. */
  migrate(): Promise<void>;
  getNode(id: string): Promise<NodeRecord | null>;
  getInventory(id: string): Promise<Inventory | null>;
  findByIdentityKey(key: string): Promise<NodeRecord | null>;
  /** Nodes that have any of these MACs. */
  findByMacs(macs: readonly string[]): Promise<NodeRecord[]>;
  /**
   * Nodes reporting this serial number (exact match), from an index. Optional: without it the MachineDB
   * searches the node list.
   */
  findBySerial?(serial: string): Promise<NodeRecord[]>;
  /**
   * What enrolment checks in one read: the node with this identity key, the nodes reporting any of these
   * MACs (ordered by id) and, when `serial` is given, the nodes reporting that serial number. Optional:
   * without it the MachineDB calls findByIdentityKey, findByMacs and findBySerial.
   */
  findIdentityOwners?(
    identityKey: string,
    macs: readonly string[],
    serial: string | null,
  ): Promise<{ byIdentity: NodeRecord | null; byMacs: NodeRecord[]; bySerial: NodeRecord[] }>;
  /** The node PXE-booting with this MAC: a non-decommissioned one first, then the most recently changed. */
  findBootNode(mac: string): Promise<NodeRecord | null>;
  /** Throws StoreConflictError when the identity key or id exists. */
  insertNode(record: NodeRecord, inventory: Inventory | null, history: NewHistoryEntry): Promise<void>;
  /**
   * Replaces the node if its stored version is `expectedVersion` (the record carries the new version).
   * `inventory` undefined leaves the stored inventory alone. Returns false when the version moved on.
   */
  updateNode(
    record: NodeRecord,
    expectedVersion: number,
    inventory: Inventory | undefined,
    history: NewHistoryEntry,
  ): Promise<boolean>;
  /** Nodes ordered by id, after `afterId`. */
  listNodes(filter: NodeFilter, afterId: string | null, limit: number): Promise<NodeRecord[]>;
  /** History newest first, before `beforeSeq`. */
  listHistory(nodeId: string | null, beforeSeq: number | null, limit: number): Promise<HistoryEntry[]>;
  countHistory(nodeId: string): Promise<number>;
  /**
   * A mark that changes whenever a node is inserted or updated: the node count and the sum of node versions,
   * which only ever grow, so a later state never shows an earlier mark whatever order concurrent
   * transactions commit in. One aggregate over the nodes table.
   */
  nodesMark(): Promise<string>;
  /**
   * Nodes per lifecycle state with the {@link nodesMark} of the same snapshot. Optional: without it the
   * MachineDB counts by paging through the nodes.
   */
  countNodesByState?(): Promise<{ mark: string; counts: Record<string, number> }>;

  createUser(user: UserRecord): Promise<void>;
  getUser(username: string): Promise<UserRecord | null>;
  listUsers(afterUsername: string | null, limit: number): Promise<UserRecord[]>;
  deleteUser(username: string): Promise<boolean>;
  createToken(token: TokenRecord): Promise<void>;
  getToken(id: string): Promise<TokenRecord | null>;
  listTokens(kind: TokenRecord['kind'], afterId: string | null, limit: number): Promise<TokenRecord[]>;
  deleteToken(id: string): Promise<boolean>;
  close(): Promise<void>;
}

export type { Actor };
