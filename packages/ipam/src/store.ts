import type { Family } from './address.js';
import type { HistoryEntry, NewPrefixRow, Pool, PrefixRow, PrefixRowPatch, PrefixSearch, Vrf } from './types.js';

/**
 * The primitive reads and writes every store implements. IPAM logic is written once, as generator
 * programs that yield these operations; a store runs a whole program inside one transaction
 * (synchronously for memory and SQLite, asynchronously for PostgreSQL), so the same rules hold on all.
 */
export type StoreOp =
  /** Serialise writers on one VRF (PostgreSQL advisory lock; a no-op where the transaction already is exclusive). */
  | { op: 'lock'; vrf: string }
  | { op: 'getVrf'; name: string }
  | { op: 'listVrfs' }
  | { op: 'insertVrf'; vrf: Vrf }
  | { op: 'deleteVrf'; name: string }
  | { op: 'getPool'; name: string }
  | { op: 'listPools' }
  | { op: 'insertPool'; pool: Pool }
  | { op: 'updatePool'; pool: Pool }
  | { op: 'deletePool'; name: string }
  | { op: 'getPrefix'; id: number }
  | { op: 'findPrefix'; vrf: string; family: Family; start: bigint; length: number }
  /** The child of `parentId` with the greatest start <= `at`. */
  | { op: 'childAtOrBefore'; vrf: string; parentId: number; family: Family; at: bigint }
  /** Children of `parentId` with start >= `from`, ascending, at most `limit`. */
  | { op: 'childrenFrom'; vrf: string; parentId: number; family: Family; from: bigint; limit: number }
  /** Children of `parentId` whose start lies in [start, end] (CIDR: they lie wholly inside). */
  | { op: 'childrenWithin'; vrf: string; parentId: number; family: Family; start: bigint; end: bigint }
  | { op: 'insertPrefix'; row: NewPrefixRow }
  | { op: 'updatePrefix'; id: number; patch: PrefixRowPatch }
  | { op: 'reparent'; ids: number[]; parentId: number }
  /** Deletes a prefix and everything below it; returns how many rows went. */
  | { op: 'deleteSubtree'; id: number }
  | { op: 'search'; query: PrefixSearch }
  /** Pool members of one family, ascending by start. */
  | { op: 'poolPrefixes'; pool: string; family: Family | null }
  /** Every prefix, ordered by vrf, family, start, length (parents before children). */
  | { op: 'allPrefixes' }
  | { op: 'insertHistory'; entry: Omit<HistoryEntry, 'id'> }
  | { op: 'listHistory'; vrf?: string; subject?: string; limit: number };

export interface StoreOpResults {
  lock: undefined;
  getVrf: Vrf | null;
  listVrfs: Vrf[];
  insertVrf: undefined;
  deleteVrf: undefined;
  getPool: Pool | null;
  listPools: Pool[];
  insertPool: undefined;
  updatePool: undefined;
  deletePool: undefined;
  getPrefix: PrefixRow | null;
  findPrefix: PrefixRow | null;
  childAtOrBefore: PrefixRow | null;
  childrenFrom: PrefixRow[];
  childrenWithin: PrefixRow[];
  insertPrefix: number;
  updatePrefix: undefined;
  reparent: undefined;
  deleteSubtree: number;
  search: PrefixRow[];
  poolPrefixes: PrefixRow[];
  allPrefixes: PrefixRow[];
  insertHistory: undefined;
  listHistory: HistoryEntry[];
}

/** A unit of work: yields StoreOps, receives their results, returns T. */
export type StoreProgram<T> = Generator<StoreOp, T, unknown>;

export interface RunOptions {
  /** Writers take the store's write lock (BEGIN IMMEDIATE, advisory lock); readers do not. */
  write: boolean;
}

/** Where the address plan lives. Memory, SQLite and PostgreSQL implement it and pass one contract suite. */
export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Runs a program atomically: every write it made is kept, or (on a throw) none. */
  run<T>(program: () => StoreProgram<T>, options: RunOptions): Promise<T>;
  close(): Promise<void>;
}

/** Yields one op and types its result: `const row = yield* call({ op: 'getPrefix', id })`. */
export function* call<O extends StoreOp>(op: O): Generator<StoreOp, StoreOpResults[O['op']], unknown> {
  return (yield op) as StoreOpResults[O['op']];
}

/** Drives a program against a synchronous executor (memory, SQLite). */
export function driveSync<T>(program: StoreProgram<T>, exec: (op: StoreOp) => unknown): T {
  let step = program.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = exec(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(result);
  }
  return step.value;
}

/** Drives a program against an asynchronous executor (PostgreSQL). */
export async function driveAsync<T>(program: StoreProgram<T>, exec: (op: StoreOp) => Promise<unknown>): Promise<T> {
  let step = program.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await exec(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(result);
  }
  return step.value;
}
