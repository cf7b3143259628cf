import { type Family, formatAddress, formatPrefix, parseAddress, parsePrefix, rangeSize } from './address.js';
import { IpamError } from './errors.js';
import {
  checkCount,
  checkFamily,
  checkKeepFree,
  checkKind,
  checkLength,
  checkName,
  checkNode,
  checkStatus,
  checkTags,
  checkText,
  checkTime,
} from './fields.js';
import {
  exportPlanDocument,
  type ImportOptions,
  type ImportResult,
  importPlanProgram,
  type PlanDocument,
  parsePlan,
  renderPlan,
} from './plan-io.js';
import { DEFAULT_VRF, toPrefix } from './rows.js';
import { call, type Store, type StoreProgram } from './store.js';
import {
  addRange,
  allocateIn,
  type Ctx,
  gapIn,
  checkPoolMember,
  describeRow,
  lookupDeepest,
  type PrefixMeta,
  record,
  removeRow,
} from './tree.js';
import type {
  HistoryEntry,
  KeepFree,
  Pool,
  PoolUsage,
  Prefix,
  PrefixKind,
  PrefixRow,
  PrefixSearch,
  PrefixStatus,
  Usage,
  Vrf,
} from './types.js';

/** A prefix by id, by CIDR text in the default VRF, or by CIDR text in a named VRF. */
export type PrefixRef = number | string | { vrf?: string; prefix: string };

/** Metadata a caller may set on add, allocate or edit. */
export interface PrefixFields {
  description?: string;
  function?: string;
  status?: PrefixStatus;
  tags?: string[];
  node?: string | null;
  expiresAt?: string | null;
  pool?: string | null;
}

export interface AddPrefixInput extends PrefixFields {
  prefix: string;
  kind: PrefixKind;
  vrf?: string;
  /** Optional safety check: the prefix must land directly inside this one. */
  parent?: PrefixRef;
}

/** Where an allocation draws from: one prefix (`from`) or a pool. */
export interface AllocationSource {
  from?: PrefixRef;
  pool?: string;
  /** With `pool`: which family to draw (defaults to the pool's only default length, else 4). */
  family?: Family;
}

/** Metadata for a newly allocated prefix (`pool` there names the source, so membership is set by editPrefix). */
export type AllocationFields = Omit<PrefixFields, 'pool'>;

export interface AllocateAddressInput extends AllocationSource, AllocationFields {
  /** Overrides the Ipam's (or pool's) keep-free rules for this call. */
  keepFree?: Partial<KeepFree>;
}

export interface AllocatePrefixInput extends AllocationSource, AllocationFields {
  /** Defaults to the pool's default length for the family. */
  length?: number;
  /** The kind of the new prefix: `assignment` (default) or `reservation`. */
  kind?: 'assignment' | 'reservation';
}

export type AllocateTransferNetInput = AllocationSource & AllocationFields;

/** Where to look for the next free address: the same source and keep-free rules allocateAddress takes. */
export interface NextFreeAddressInput extends AllocationSource {
  keepFree?: Partial<KeepFree>;
}

/** Where to look for the next free prefix: the same source and length allocatePrefix takes. */
export interface NextFreePrefixInput extends AllocationSource {
  /** Defaults to the pool's default length for the family. */
  length?: number;
}

/** What the next allocation from a source would get, had it run now. */
export interface NextFree {
  /** The block: `10.0.0.5/32` for an address, `10.0.4.0/22` for a prefix. */
  prefix: string;
  /** Its first address without the length: `10.0.0.5`. */
  address: string;
  /** The prefix it would be taken from (a pool member, or `from` itself). */
  parent: Prefix;
}

/** A point-to-point link net (/31 or /127) and the addresses of its two ends. */
export interface TransferNet {
  net: Prefix;
  a: string;
  b: string;
}

export interface AddVrfInput {
  name: string;
  rd?: string | null;
  description?: string;
}

export interface AddPoolInput {
  name: string;
  vrf?: string;
  description?: string;
  defaultLength?: { v4?: number | null; v6?: number | null };
  keepFree?: Partial<KeepFree>;
}

export type EditPoolInput = Omit<AddPoolInput, 'name' | 'vrf'>;

export interface ListChildrenOptions {
  vrf?: string;
  /** For the top level (ref null): which family; both when omitted. */
  family?: Family;
  limit?: number;
}

export interface HistoryQuery {
  vrf?: string;
  /** Prefix text (`10.0.0.0/24`), pool or VRF name. */
  subject?: string;
  limit?: number;
}

export interface IpamOptions {
  store: Store;
  /** Recorded as who made each change. Default `system`. */
  actor?: string;
  /** Default keep-free rules for host allocation. Default: network and broadcast kept, no gateways. */
  keepFree?: Partial<KeepFree>;
  /** Clock for timestamps (tests). */
  now?: () => Date;
}

export interface ResolvedIpamOptions {
  store: Store;
  actor: string;
  keepFree: KeepFree;
  now: () => Date;
}

export const DEFAULT_KEEP_FREE: KeepFree = { network: true, broadcast: true, gateways: 0 };

/** Fills defaults and validates; throws IPAM_INVALID_INPUT naming the bad field. */
export function resolveIpamOptions(options: IpamOptions): ResolvedIpamOptions {
  if (!options || typeof options.store?.run !== 'function') {
    throw new IpamError(
      'IPAM_INVALID_INPUT',
      'store is required: pass createMemoryStore(), createSqliteStore() or createPostgresStore()',
      {
        details: { field: 'store' },
      },
    );
  }
  return {
    store: options.store,
    actor: checkText(options.actor ?? 'system', 'actor', 200),
    keepFree: checkKeepFree(options.keepFree, DEFAULT_KEEP_FREE),
    now: options.now ?? (() => new Date()),
  };
}

/** The IPAM service. Every method is atomic; a method that throws has written nothing. */
export interface Ipam {
  readonly store: Store;
  /** The same Ipam recording a different actor (one per HTTP request or CLI user). */
  withActor(actor: string): Ipam;

  addVrf(input: AddVrfInput): Promise<Vrf>;
  listVrfs(): Promise<Vrf[]>;
  removeVrf(name: string): Promise<void>;

  addPool(input: AddPoolInput): Promise<Pool>;
  editPool(name: string, patch: EditPoolInput): Promise<Pool>;
  getPool(name: string): Promise<Pool>;
  listPools(): Promise<Pool[]>;
  removePool(name: string): Promise<void>;

  addPrefix(input: AddPrefixInput): Promise<Prefix>;
  editPrefix(ref: PrefixRef, patch: PrefixFields): Promise<Prefix>;
  /** Refuses (IPAM_HAS_CHILDREN) when the prefix has children, unless `recursive`. Returns how many went. */
  removePrefix(ref: PrefixRef, options?: { recursive?: boolean }): Promise<{ removed: number }>;
  getPrefix(ref: PrefixRef): Promise<Prefix>;
  /** Longest-prefix match: the most specific prefix containing the address, or null. */
  lookup(address: string, options?: { vrf?: string }): Promise<Prefix | null>;
  /** Direct children of a prefix (or the top level of a VRF when ref is null), ascending. */
  listChildren(ref: PrefixRef | null, options?: ListChildrenOptions): Promise<Prefix[]>;
  search(query: PrefixSearch): Promise<Prefix[]>;

  allocateAddress(input: AllocateAddressInput): Promise<Prefix>;
  allocateAddresses(input: AllocateAddressInput & { count: number }): Promise<Prefix[]>;
  allocatePrefix(input: AllocatePrefixInput): Promise<Prefix>;
  allocatePrefixes(input: AllocatePrefixInput & { count: number }): Promise<Prefix[]>;
  allocateTransferNet(input: AllocateTransferNetInput): Promise<TransferNet>;
  /**
   * The address `allocateAddress(input)` would return if it ran now, without allocating (same rules: pool
   * order, keep-free, first fit). Null where the allocation would fail with IPAM_EXHAUSTED; bad input throws
   * as allocateAddress does. Advice only: a concurrent allocation may take it first.
   */
  nextFreeAddress(input: NextFreeAddressInput): Promise<NextFree | null>;
  /** The block `allocatePrefix(input)` would return if it ran now; null where it would be IPAM_EXHAUSTED. */
  nextFreePrefix(input: NextFreePrefixInput): Promise<NextFree | null>;
  /** Gives an allocated (or any) prefix back; like removePrefix but recorded as a release. */
  release(ref: PrefixRef, options?: { recursive?: boolean }): Promise<{ released: number }>;
  /** Releases every prefix whose expiresAt has passed (with what lies inside it). */
  releaseExpired(options?: { now?: Date }): Promise<Prefix[]>;

  usage(ref: PrefixRef): Promise<Usage>;
  poolUsage(name: string): Promise<PoolUsage>;

  importPlan(input: string | PlanDocument, options: ImportOptions): Promise<ImportResult>;
  exportPlan(options: { format: 'json' | 'csv' }): Promise<string>;
  exportPlanDocument(): Promise<PlanDocument>;

  history(query?: HistoryQuery): Promise<HistoryEntry[]>;
}

function normalizeFields(input: PrefixFields, base: PrefixMeta): PrefixMeta {
  return {
    description: input.description === undefined ? base.description : checkText(input.description, 'description', 1000),
    function: input.function === undefined ? base.function : checkText(input.function, 'function', 200),
    status: input.status === undefined ? base.status : checkStatus(input.status),
    tags: input.tags === undefined ? base.tags : checkTags(input.tags),
    node: input.node === undefined ? base.node : checkNode(input.node),
    expiresAt: input.expiresAt === undefined ? base.expiresAt : checkTime(input.expiresAt),
    pool: input.pool === undefined ? base.pool : input.pool === null ? null : checkName(input.pool, 'pool'),
  };
}

export const EMPTY_META: PrefixMeta = {
  description: '',
  function: '',
  status: 'active',
  tags: [],
  node: null,
  expiresAt: null,
  pool: null,
};

function notFound(what: string, value: string): IpamError {
  return new IpamError('IPAM_NOT_FOUND', `${what} ${value} does not exist`, { details: { what, value } });
}

/**
 * Takes the VRF's write lock, then reads the prefix, so what the caller sees cannot change before commit.
 * A CIDR reference names its VRF, so the lock comes first; an id needs one read to learn the VRF.
 */
function* lockAndResolve(ref: PrefixRef, field = 'prefix'): StoreProgram<PrefixRow> {
  if (typeof ref !== 'number') {
    const vrf = typeof ref === 'object' && ref?.vrf !== undefined ? checkName(ref.vrf, 'vrf') : DEFAULT_VRF;
    yield* call({ op: 'lock', vrf });
    return yield* resolveRef(ref, field);
  }
  const peek = yield* resolveRef(ref, field);
  yield* call({ op: 'lock', vrf: peek.vrf });
  return (yield* call({ op: 'getPrefix', id: peek.id })) ?? peek;
}

/** Resolves a reference inside a program (so the read is part of the same transaction). */
function* resolveRef(ref: PrefixRef, field = 'prefix'): StoreProgram<PrefixRow> {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 1)
      throw new IpamError('IPAM_INVALID_INPUT', `${field} id ${ref} is not a positive integer`);
    const row = yield* call({ op: 'getPrefix', id: ref });
    if (!row) throw notFound('prefix id', String(ref));
    return row;
  }
  const text = typeof ref === 'string' ? ref : ref?.prefix;
  const vrf = typeof ref === 'object' && ref?.vrf !== undefined ? checkName(ref.vrf, 'vrf') : DEFAULT_VRF;
  const range = parsePrefix(text, field, true);
  const row = yield* call({ op: 'findPrefix', vrf, family: range.family, start: range.start, length: range.length });
  if (!row) throw notFound('prefix', `${formatPrefix(range)}${vrf === DEFAULT_VRF ? '' : ` in vrf ${vrf}`}`);
  return row;
}

function* requireVrf(name: string): StoreProgram<Vrf> {
  const vrf = yield* call({ op: 'getVrf', name });
  if (!vrf) throw notFound('vrf', name);
  return vrf;
}

function* requirePool(name: string): StoreProgram<Pool> {
  const pool = yield* call({ op: 'getPool', name });
  if (!pool) throw notFound('pool', name);
  return pool;
}

function poolFamily(pool: Pool, family: Family | undefined): Family {
  if (family !== undefined) return checkFamily(family);
  if (pool.defaultLength.v4 === null && pool.defaultLength.v6 !== null) return 6;
  return 4;
}

interface AllocationPlan {
  count: number;
  /** null: full-length host in an assignment. */
  length: number | null;
  kind: PrefixKind;
  keepOverride: Partial<KeepFree> | undefined;
  meta: PrefixMeta;
}

function checkAllocatedKind(kind: unknown): PrefixKind {
  if (kind !== 'assignment' && kind !== 'reservation') {
    throw new IpamError(
      'IPAM_INVALID_INPUT',
      `kind ${JSON.stringify(kind)} cannot be allocated as a prefix: use assignment or reservation (hosts come from allocateAddress)`,
      {
        details: { field: 'kind' },
      },
    );
  }
  return kind;
}

export function createIpam(options: IpamOptions): Ipam {
  const resolved = resolveIpamOptions(options);
  return build(resolved);
}

function build(opts: ResolvedIpamOptions): Ipam {
  const { store } = opts;
  const ctx = (): Ctx => ({ actor: opts.actor, now: opts.now().toISOString() });
  const write = <T>(program: () => StoreProgram<T>) => store.run(program, { write: true });
  const read = <T>(program: () => StoreProgram<T>) => store.run(program, { write: false });

  /**
   * Walks a prefix or pool in the allocator's order (pool members ascending, each one first fit after the
   * keep-free rules) until `plan.count` blocks are found. `take` decides what finding one means: the
   * allocation writes it (`allocateIn`), a peek only reports it (`gapIn`), so both follow one set of rules.
   * A peek takes no VRF lock: it must not queue behind writers, and its answer is advice anyway.
   */
  function* walk<R>(
    source: AllocationSource,
    plan: Pick<AllocationPlan, 'count' | 'length' | 'kind' | 'keepOverride'>,
    locking: boolean,
    take: (parent: PrefixRow, length: number, keep: KeepFree) => StoreProgram<{ row: R | null; parent: PrefixRow }>,
  ): StoreProgram<R[]> {
    let candidates: PrefixRow[];
    let keep: KeepFree;
    let length: number;
    let family: Family;
    let label: string;
    const wantParentKind: PrefixKind = plan.kind === 'host' ? 'assignment' : 'reservation';
    if (source.pool !== undefined && source.from !== undefined) {
      throw new IpamError('IPAM_INVALID_INPUT', 'give either from (a prefix) or pool, not both', {
        details: { field: 'from' },
      });
    }
    if (source.pool !== undefined) {
      const pool = yield* requirePool(checkName(source.pool, 'pool'));
      family = poolFamily(pool, source.family);
      if (locking) yield* call({ op: 'lock', vrf: pool.vrf });
      const members = yield* call({ op: 'poolPrefixes', pool: pool.name, family });
      candidates = members.filter((m) => m.kind === wantParentKind);
      if (candidates.length === 0) {
        throw new IpamError(
          'IPAM_EXHAUSTED',
          `pool ${pool.name} has no IPv${family} ${wantParentKind} to allocate ${plan.kind === 'host' ? 'addresses' : 'prefixes'} from: add one with pool: ${JSON.stringify(pool.name)}`,
          { details: { pool: pool.name, family } },
        );
      }
      keep = checkKeepFree(plan.keepOverride, pool.keepFree);
      const dflt = family === 4 ? pool.defaultLength.v4 : pool.defaultLength.v6;
      const want = plan.length ?? (plan.kind === 'host' ? (family === 4 ? 32 : 128) : dflt);
      if (want === null) {
        throw new IpamError('IPAM_INVALID_INPUT', `pool ${pool.name} has no default IPv${family} length: pass length`, {
          details: { field: 'length', pool: pool.name },
        });
      }
      length = checkLength(want, family);
      label = `pool ${pool.name} (IPv${family})`;
    } else if (source.from !== undefined) {
      const parent = locking ? yield* lockAndResolve(source.from, 'from') : yield* resolveRef(source.from, 'from');
      family = parent.family;
      if (source.family !== undefined && checkFamily(source.family) !== family) {
        throw new IpamError(
          'IPAM_FAMILY_MISMATCH',
          `family ${source.family} was asked for but ${formatPrefix(parent)} is IPv${family}`,
          {
            details: { prefix: formatPrefix(parent) },
          },
        );
      }
      if (parent.kind !== wantParentKind) {
        throw new IpamError(
          'IPAM_KIND_MISMATCH',
          plan.kind === 'host'
            ? `addresses are allocated from assignments, and ${describeRow(parent)} is not one: use allocatePrefix, or allocate from the subnet`
            : `prefixes are allocated from reservations, and ${describeRow(parent)} is not one: use allocateAddress for hosts`,
          { details: { prefix: formatPrefix(parent), kind: parent.kind } },
        );
      }
      candidates = [parent];
      keep = checkKeepFree(plan.keepOverride, opts.keepFree);
      length = plan.length === null ? (family === 4 ? 32 : 128) : checkLength(plan.length, family);
      label = describeRow(parent);
    } else {
      throw new IpamError('IPAM_INVALID_INPUT', 'say where to allocate from: from (a prefix) or pool', {
        details: { field: 'from' },
      });
    }
    const maxLen = family === 4 ? 32 : 128;
    if (plan.kind !== 'host' && length === maxLen) {
      throw new IpamError(
        'IPAM_INVALID_INPUT',
        `length /${length} is a single address: use allocateAddress from an assignment`,
        {
          details: { field: 'length' },
        },
      );
    }
    const out: R[] = [];
    let index = 0;
    let parent = candidates[0]!;
    while (out.length < plan.count) {
      if (length <= parent.length) {
        index++;
      } else {
        const result = yield* take(parent, length, keep);
        if (result.row) {
          out.push(result.row);
          parent = result.parent;
          continue;
        }
        index++;
      }
      if (index >= candidates.length) {
        throw new IpamError(
          'IPAM_EXHAUSTED',
          `${label} has no free /${length} left${plan.count > 1 ? ` for ${plan.count} allocations (found ${out.length})` : ''}: add space or release some`,
          { details: { source: label, length, requested: plan.count, available: out.length } },
        );
      }
      const next = candidates[index]!;
      if (locking) yield* call({ op: 'lock', vrf: next.vrf });
      parent = (yield* call({ op: 'getPrefix', id: next.id }))!;
    }
    return out;
  }

  /** Allocates `plan.count` blocks from a prefix or pool in one transaction. */
  function allocate(source: AllocationSource, plan: AllocationPlan): StoreProgram<PrefixRow[]> {
    const c = ctx();
    return walk(source, plan, true, (parent, length, keep) =>
      allocateIn(c, parent, length, plan.kind, keep, plan.meta),
    );
  }

  /** What `allocate` with count 1 would hand out now, or null where it would throw IPAM_EXHAUSTED. */
  async function peek(
    source: AllocationSource,
    plan: Pick<AllocationPlan, 'length' | 'kind' | 'keepOverride'>,
  ): Promise<NextFree | null> {
    try {
      const [found] = await read(() =>
        walk<NextFree>(source, { ...plan, count: 1 }, false, function* (parent, length, keep) {
          const gap = yield* gapIn(parent, length, plan.kind, keep);
          if (gap.at === null) return { row: null, parent };
          return {
            row: {
              prefix: formatPrefix({ family: parent.family, start: gap.at, end: gap.at + gap.size - 1n, length }),
              address: formatAddress(parent.family, gap.at),
              parent: toPrefix(parent),
            },
            parent,
          };
        }),
      );
      return found ?? null;
    } catch (error) {
      if (error instanceof IpamError && error.code === 'IPAM_EXHAUSTED') return null;
      throw error;
    }
  }

  const allocatePrefixPlan = (input: AllocatePrefixInput, count: number): AllocationPlan => ({
    count,
    length: input.length ?? null,
    kind: input.kind === undefined ? 'assignment' : checkAllocatedKind(input.kind),
    keepOverride: undefined,
    meta: normalizeFields({ ...input, pool: undefined }, EMPTY_META),
  });

  const ipam: Ipam = {
    store,
    withActor(actor) {
      return build({ ...opts, actor: checkText(actor, 'actor', 200) });
    },

    async addVrf(input) {
      const name = checkName(input.name, 'name');
      const vrf: Vrf = {
        name,
        rd: input.rd === undefined || input.rd === null ? null : checkText(input.rd, 'rd', 64),
        description: checkText(input.description ?? '', 'description', 1000),
        createdAt: opts.now().toISOString(),
      };
      return await write(function* () {
        if (yield* call({ op: 'getVrf', name })) {
          throw new IpamError('IPAM_DUPLICATE', `vrf ${name} already exists`, { details: { vrf: name } });
        }
        yield* call({ op: 'insertVrf', vrf });
        yield* record(ctx(), 'vrf.add', name, name, null, { ...vrf });
        return vrf;
      });
    },
    async listVrfs() {
      return await read(function* () {
        return yield* call({ op: 'listVrfs' });
      });
    },
    async removeVrf(nameIn) {
      const name = checkName(nameIn, 'name');
      if (name === DEFAULT_VRF) throw new IpamError('IPAM_INVALID_INPUT', 'the default vrf cannot be removed');
      await write(function* () {
        const vrf = yield* requireVrf(name);
        yield* call({ op: 'lock', vrf: name });
        const used = yield* call({ op: 'search', query: { vrf: name, limit: 1 } });
        const pools = (yield* call({ op: 'listPools' })).filter((p) => p.vrf === name);
        if (used.length > 0 || pools.length > 0) {
          throw new IpamError('IPAM_HAS_CHILDREN', `vrf ${name} still holds prefixes or pools: remove them first`, {
            details: { vrf: name },
          });
        }
        yield* call({ op: 'deleteVrf', name });
        yield* record(ctx(), 'vrf.remove', name, name, { ...vrf }, null);
      });
    },

    async addPool(input) {
      const name = checkName(input.name, 'name');
      const vrfName = checkName(input.vrf ?? DEFAULT_VRF, 'vrf');
      const now = opts.now().toISOString();
      const v4 = input.defaultLength?.v4 ?? null;
      const v6 = input.defaultLength?.v6 ?? null;
      const pool: Pool = {
        name,
        vrf: vrfName,
        description: checkText(input.description ?? '', 'description', 1000),
        defaultLength: {
          v4: v4 === null ? null : checkLength(v4, 4, 'defaultLength.v4'),
          v6: v6 === null ? null : checkLength(v6, 6, 'defaultLength.v6'),
        },
        keepFree: checkKeepFree(input.keepFree, opts.keepFree),
        createdAt: now,
        updatedAt: now,
      };
      return await write(function* () {
        yield* requireVrf(vrfName);
        if (yield* call({ op: 'getPool', name })) {
          throw new IpamError('IPAM_DUPLICATE', `pool ${name} already exists`, { details: { pool: name } });
        }
        yield* call({ op: 'insertPool', pool });
        yield* record(ctx(), 'pool.add', vrfName, name, null, { ...pool });
        return pool;
      });
    },
    async editPool(nameIn, patch) {
      const name = checkName(nameIn, 'name');
      return await write(function* () {
        const old = yield* requirePool(name);
        const v4 = patch.defaultLength?.v4;
        const v6 = patch.defaultLength?.v6;
        const pool: Pool = {
          ...old,
          description:
            patch.description === undefined ? old.description : checkText(patch.description, 'description', 1000),
          defaultLength: {
            v4: v4 === undefined ? old.defaultLength.v4 : v4 === null ? null : checkLength(v4, 4, 'defaultLength.v4'),
            v6: v6 === undefined ? old.defaultLength.v6 : v6 === null ? null : checkLength(v6, 6, 'defaultLength.v6'),
          },
          keepFree: checkKeepFree(patch.keepFree, old.keepFree),
          updatedAt: opts.now().toISOString(),
        };
        yield* call({ op: 'updatePool', pool });
        yield* record(ctx(), 'pool.edit', pool.vrf, name, { ...old }, { ...pool });
        return pool;
      });
    },
    async getPool(nameIn) {
      const name = checkName(nameIn, 'name');
      return await read(() => requirePool(name));
    },
    async listPools() {
      return await read(function* () {
        return yield* call({ op: 'listPools' });
      });
    },
    async removePool(nameIn) {
      const name = checkName(nameIn, 'name');
      await write(function* () {
        const pool = yield* requirePool(name);
        yield* call({ op: 'lock', vrf: pool.vrf });
        const c = ctx();
        for (const member of yield* call({ op: 'poolPrefixes', pool: name, family: null })) {
          yield* call({
            op: 'updatePrefix',
            id: member.id,
            patch: { pool: null, updatedAt: c.now, updatedBy: c.actor },
          });
        }
        yield* call({ op: 'deletePool', name });
        yield* record(c, 'pool.remove', pool.vrf, name, { ...pool }, null);
      });
    },

    async addPrefix(input) {
      const vrf = checkName(input.vrf ?? DEFAULT_VRF, 'vrf');
      const kind = checkKind(input.kind);
      const range = parsePrefix(input.prefix, 'prefix', kind === 'host');
      const meta = normalizeFields(input, EMPTY_META);
      const row = await write(function* () {
        yield* requireVrf(vrf);
        yield* call({ op: 'lock', vrf });
        let expectParentId: number | undefined;
        if (input.parent !== undefined) {
          const ref = typeof input.parent === 'string' ? { vrf, prefix: input.parent } : input.parent;
          const parent = yield* resolveRef(ref, 'parent');
          if (parent.family !== range.family) {
            throw new IpamError(
              'IPAM_FAMILY_MISMATCH',
              `${formatPrefix(range)} is IPv${range.family} but parent ${formatPrefix(parent)} is IPv${parent.family}`,
              { details: { prefix: formatPrefix(range), parent: formatPrefix(parent) } },
            );
          }
          expectParentId = parent.id;
        }
        return yield* addRange(
          ctx(),
          { vrf, range, kind, meta, ...(expectParentId === undefined ? {} : { expectParentId }) },
          'add',
        );
      });
      return toPrefix(row);
    },
    async editPrefix(ref, patch) {
      const row = await write(function* () {
        const old = yield* lockAndResolve(ref);
        const meta = normalizeFields(patch, old);
        if (meta.pool !== null && meta.pool !== old.pool)
          yield* checkPoolMember(old.vrf, old.kind, meta.pool, formatPrefix(old));
        const c = ctx();
        const next: PrefixRow = { ...old, ...meta, updatedAt: c.now, updatedBy: c.actor };
        yield* call({ op: 'updatePrefix', id: old.id, patch: { ...meta, updatedAt: c.now, updatedBy: c.actor } });
        yield* record(c, 'edit', old.vrf, formatPrefix(old), { ...toPrefix(old) }, { ...toPrefix(next) });
        return next;
      });
      return toPrefix(row);
    },
    async removePrefix(ref, options = {}) {
      const removed = await write(function* () {
        const row = yield* lockAndResolve(ref);
        return yield* removeRow(ctx(), row, options.recursive === true, 'remove');
      });
      return { removed };
    },
    async getPrefix(ref) {
      return toPrefix(await read(() => resolveRef(ref)));
    },
    async lookup(address, options = {}) {
      const vrf = checkName(options.vrf ?? DEFAULT_VRF, 'vrf');
      const a = parseAddress(address);
      const row = await read(() => lookupDeepest(vrf, a.family, a.value));
      return row ? toPrefix(row) : null;
    },
    async listChildren(ref, options = {}) {
      const limit = options.limit ?? 10_000;
      const rows = await read(function* () {
        if (ref === null) {
          const vrf = checkName(options.vrf ?? DEFAULT_VRF, 'vrf');
          const families: Family[] = options.family === undefined ? [4, 6] : [checkFamily(options.family)];
          const out: PrefixRow[] = [];
          for (const family of families) {
            out.push(
              ...(yield* call({ op: 'childrenFrom', vrf, parentId: 0, family, from: 0n, limit: limit - out.length })),
            );
          }
          return out;
        }
        const parentRef =
          typeof ref === 'string' && options.vrf !== undefined ? { vrf: options.vrf, prefix: ref } : ref;
        const parent = yield* resolveRef(parentRef);
        return yield* call({
          op: 'childrenFrom',
          vrf: parent.vrf,
          parentId: parent.id,
          family: parent.family,
          from: 0n,
          limit,
        });
      });
      return rows.map(toPrefix);
    },
    async search(query) {
      const q: PrefixSearch = { ...query };
      if (q.vrf !== undefined) q.vrf = checkName(q.vrf, 'vrf');
      if (q.kind !== undefined) q.kind = checkKind(q.kind);
      if (q.status !== undefined) q.status = checkStatus(q.status);
      if (q.family !== undefined) q.family = checkFamily(q.family);
      if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1)) {
        throw new IpamError('IPAM_INVALID_INPUT', 'limit must be a positive integer', { details: { field: 'limit' } });
      }
      const rows = await read(function* () {
        return yield* call({ op: 'search', query: q });
      });
      return rows.map(toPrefix);
    },

    async allocateAddress(input) {
      const [row] = await ipam.allocateAddresses({ ...input, count: 1 });
      return row!;
    },
    async allocateAddresses(input) {
      const plan: AllocationPlan = {
        count: checkCount(input.count),
        length: null,
        kind: 'host',
        keepOverride: input.keepFree,
        meta: normalizeFields({ ...input, pool: undefined }, EMPTY_META),
      };
      const rows = await write(() => allocate(input, plan));
      return rows.map(toPrefix);
    },
    async allocatePrefix(input) {
      const [row] = await ipam.allocatePrefixes({ ...input, count: 1 });
      return row!;
    },
    async allocatePrefixes(input) {
      const plan = allocatePrefixPlan(input, checkCount(input.count));
      const rows = await write(() => allocate(input, plan));
      return rows.map(toPrefix);
    },
    async allocateTransferNet(input) {
      const rows = await write(function* () {
        // The family decides the length (/31 or /127), so find it before allocating.
        let family: Family;
        if (input.pool !== undefined)
          family = poolFamily(yield* requirePool(checkName(input.pool, 'pool')), input.family);
        else if (input.from !== undefined) family = (yield* resolveRef(input.from, 'from')).family;
        else
          throw new IpamError('IPAM_INVALID_INPUT', 'say where to allocate from: from (a prefix) or pool', {
            details: { field: 'from' },
          });
        const plan = allocatePrefixPlan({ ...input, length: family === 4 ? 31 : 127 }, 1);
        if (!plan.meta.function) plan.meta.function = 'transfer net';
        return yield* allocate(input, plan);
      });
      const net = rows[0]!;
      return { net: toPrefix(net), a: formatAddress(net.family, net.start), b: formatAddress(net.family, net.end) };
    },
    async nextFreeAddress(input) {
      return await peek(input, { length: null, kind: 'host', keepOverride: input.keepFree });
    },
    async nextFreePrefix(input) {
      return await peek(input, { length: input.length ?? null, kind: 'assignment', keepOverride: undefined });
    },
    async release(ref, options = {}) {
      const released = await write(function* () {
        const row = yield* lockAndResolve(ref);
        return yield* removeRow(ctx(), row, options.recursive === true, 'release');
      });
      return { released };
    },
    async releaseExpired(options = {}) {
      const now = (options.now ?? opts.now()).toISOString();
      return await write(function* () {
        const expired = yield* call({ op: 'search', query: { expiresBefore: now, limit: 100_000 } });
        const out: Prefix[] = [];
        for (const e of expired) {
          // An expired parent may already have taken this one with it.
          const row = yield* call({ op: 'getPrefix', id: e.id });
          if (!row) continue;
          yield* call({ op: 'lock', vrf: row.vrf });
          yield* removeRow(ctx(), row, true, 'release');
          out.push(toPrefix(row));
        }
        return out;
      });
    },

    async usage(ref) {
      const row = await read(() => resolveRef(ref));
      const total = rangeSize(row);
      const used = row.kind === 'host' ? total : row.usedSize;
      return {
        prefix: formatPrefix(row),
        vrf: row.vrf,
        total: total.toString(),
        used: used.toString(),
        free: (total - used).toString(),
        children: row.childCount,
        utilisation: ratio(used, total),
      };
    },
    async poolUsage(nameIn) {
      const name = checkName(nameIn, 'name');
      const members = await read(function* () {
        yield* requirePool(name);
        return yield* call({ op: 'poolPrefixes', pool: name, family: null });
      });
      const sum = (family: Family) => {
        let total = 0n;
        let used = 0n;
        let prefixes = 0;
        for (const m of members) {
          if (m.family !== family) continue;
          total += rangeSize(m);
          used += m.usedSize;
          prefixes++;
        }
        return { total: total.toString(), used: used.toString(), free: (total - used).toString(), prefixes };
      };
      return { pool: name, v4: sum(4), v6: sum(6) };
    },

    async importPlan(input, importOptions) {
      const doc = typeof input === 'string' ? parsePlan(input, importOptions.format) : input;
      return await write(() => importPlanProgram(ctx(), doc, importOptions, opts.keepFree));
    },
    async exportPlan(exportOptions) {
      return renderPlan(await ipam.exportPlanDocument(), exportOptions.format);
    },
    async exportPlanDocument() {
      return await read(exportPlanDocument);
    },

    async history(query = {}) {
      const limit = query.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) {
        throw new IpamError('IPAM_INVALID_INPUT', 'limit must be a positive integer', { details: { field: 'limit' } });
      }
      let subject = query.subject;
      if (subject?.includes('/')) subject = formatPrefix(parsePrefix(subject, 'subject'));
      return await read(function* () {
        return yield* call({
          op: 'listHistory',
          limit,
          ...(query.vrf === undefined ? {} : { vrf: checkName(query.vrf, 'vrf') }),
          ...(subject === undefined ? {} : { subject }),
        });
      });
    },
  };
  return ipam;
}

/** used/total as a float without losing precision on 128-bit numbers. */
function ratio(used: bigint, total: bigint): number {
  if (total === 0n) return 0;
  return Number((used * 1_000_000n) / total) / 1_000_000;
}
