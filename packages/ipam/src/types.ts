import type { Family } from './address.js';

export type { Family } from './address.js';

/** `reservation`: a block set aside; `assignment`: a subnet in use; `host`: one address (/32, /128). */
export type PrefixKind = 'reservation' | 'assignment' | 'host';
export type PrefixStatus = 'active' | 'reserved' | 'deprecated' | 'quarantine';

export const PREFIX_KINDS: readonly PrefixKind[] = ['reservation', 'assignment', 'host'];
export const PREFIX_STATUSES: readonly PrefixStatus[] = ['active', 'reserved', 'deprecated', 'quarantine'];

/** A prefix as callers see it: plain JSON, no bigint. */
export interface Prefix {
  id: number;
  vrf: string;
  /** Canonical CIDR text: `10.0.0.0/24`, `2001:db8::/48`, `10.0.0.5/32`. */
  prefix: string;
  family: Family;
  length: number;
  kind: PrefixKind;
  /** The enclosing prefix, or null at the top of the VRF. */
  parentId: number | null;
  description: string;
  /** What a service address is for: "anycast dns", "rabbitmq vip", "bmc". */
  function: string;
  status: PrefixStatus;
  tags: string[];
  /** The node (MachineDB id or host name) this prefix belongs to. */
  node: string | null;
  /** ISO time after which a temporary reservation may be released by `releaseExpired()`. */
  expiresAt: string | null;
  /** The pool this prefix belongs to (a source for allocation), or null. */
  pool: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface Vrf {
  name: string;
  /** Route distinguisher, free text such as `65000:1`. */
  rd: string | null;
  description: string;
  createdAt: string;
}

/** Which addresses of an assignment host allocation leaves free. */
export interface KeepFree {
  /** Skip the network address (IPv4 up to /30; IPv6 subnet-router anycast up to /126). */
  network: boolean;
  /** Skip the IPv4 broadcast address (up to /30). */
  broadcast: boolean;
  /** Skip this many addresses after the network address, for gateways/VRRP. */
  gateways: number;
}

export interface Pool {
  name: string;
  vrf: string;
  description: string;
  /** The length a pool allocation gets when the caller names none, per family (e.g. 31 and 127). */
  defaultLength: { v4: number | null; v6: number | null };
  keepFree: KeepFree;
  createdAt: string;
  updatedAt: string;
}

export type HistoryAction =
  | 'add'
  | 'edit'
  | 'remove'
  | 'allocate'
  | 'release'
  | 'import'
  | 'vrf.add'
  | 'vrf.remove'
  | 'pool.add'
  | 'pool.edit'
  | 'pool.remove';

/** One recorded change: who, when, and the object before and after (null when created/removed). */
export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  action: HistoryAction;
  vrf: string | null;
  /** The prefix text, pool name or VRF name the change was about. */
  subject: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Used/free counts, as decimal strings because an IPv6 /48 has more addresses than a double holds exactly. */
export interface Usage {
  prefix: string;
  vrf: string;
  total: string;
  used: string;
  free: string;
  /** Direct children counted in `used`. */
  children: number;
  /** used/total, 0..1, for display only. */
  utilisation: number;
}

export interface PoolUsage {
  pool: string;
  v4: { total: string; used: string; free: string; prefixes: number };
  v6: { total: string; used: string; free: string; prefixes: number };
}

/**
 * The stored form of a prefix, as stores hold it. `usedSize`/`childCount` are sums over direct children
 * kept up to date on every change, so usage never enumerates; `[hintFrom, hintTo)` is a span known to be
 * fully covered by children, so allocation jumps over it instead of walking it.
 */
export interface PrefixRow {
  id: number;
  vrf: string;
  family: Family;
  start: bigint;
  end: bigint;
  length: number;
  kind: PrefixKind;
  /** 0 at the top of a VRF (a real id otherwise), so SQL indexes need no NULL handling. */
  parentId: number;
  description: string;
  function: string;
  status: PrefixStatus;
  tags: string[];
  node: string | null;
  expiresAt: string | null;
  pool: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  usedSize: bigint;
  childCount: number;
  hintFrom: bigint;
  hintTo: bigint;
}

export type NewPrefixRow = Omit<PrefixRow, 'id'>;
export type PrefixRowPatch = Partial<
  Pick<
    PrefixRow,
    | 'parentId'
    | 'description'
    | 'function'
    | 'status'
    | 'tags'
    | 'node'
    | 'expiresAt'
    | 'pool'
    | 'updatedAt'
    | 'updatedBy'
    | 'usedSize'
    | 'childCount'
    | 'hintFrom'
    | 'hintTo'
  >
>;

export interface PrefixSearch {
  vrf?: string;
  family?: Family;
  kind?: PrefixKind;
  status?: PrefixStatus;
  tag?: string;
  function?: string;
  /** Case-insensitive substring of the description. */
  description?: string;
  node?: string;
  pool?: string;
  /** Only prefixes whose expiresAt is before this ISO time. */
  expiresBefore?: string;
  limit?: number;
}
