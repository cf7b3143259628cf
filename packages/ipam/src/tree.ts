import { alignUp, blockSize, type Family, familyBits, formatPrefix, type Range, rangeSize } from './address.js';
import { IpamError } from './errors.js';
import { toPrefix } from './rows.js';
import { call, type StoreProgram } from './store.js';
import type { HistoryAction, KeepFree, PrefixKind, PrefixRow, PrefixStatus } from './types.js';

/** Who is acting and when: stamped on rows and history. */
export interface Ctx {
  actor: string;
  now: string;
}

/** The metadata every prefix carries besides its range and kind. */
export interface PrefixMeta {
  description: string;
  function: string;
  status: PrefixStatus;
  tags: string[];
  node: string | null;
  expiresAt: string | null;
  pool: string | null;
}

const CHILD_KINDS: Record<PrefixKind | 'top', readonly PrefixKind[]> = {
  top: ['reservation', 'assignment'],
  reservation: ['reservation', 'assignment'],
  assignment: ['host'],
  host: [],
};

export function childAllowed(parent: PrefixKind | null, child: PrefixKind): boolean {
  return CHILD_KINDS[parent ?? 'top'].includes(child);
}

export function describeRow(row: PrefixRow): string {
  return `${row.kind} ${formatPrefix(row)}${row.vrf === 'default' ? '' : ` (vrf ${row.vrf})`}`;
}

/** The deepest prefix containing `addr`: longest-prefix match by descending the tree, O(depth · log n). */
export function* lookupDeepest(vrf: string, family: Family, addr: bigint): StoreProgram<PrefixRow | null> {
  let node = null as PrefixRow | null;
  for (;;) {
    const c: PrefixRow | null = yield* call({ op: 'childAtOrBefore', vrf, parentId: node?.id ?? 0, family, at: addr });
    if (!c || c.end < addr) return node;
    node = c;
  }
}

/** Where a range would go: its parent (deepest strict container) and the existing row with the same range, if any. */
export function* placeRange(
  vrf: string,
  range: Range,
): StoreProgram<{ parent: PrefixRow | null; existing: PrefixRow | null }> {
  let parent = null as PrefixRow | null;
  for (;;) {
    const c: PrefixRow | null = yield* call({
      op: 'childAtOrBefore',
      vrf,
      parentId: parent?.id ?? 0,
      family: range.family,
      at: range.start,
    });
    if (!c || c.end < range.start) return { parent, existing: null };
    if (c.start === range.start && c.length === range.length) return { parent, existing: c };
    if (c.length < range.length) {
      parent = c;
      continue;
    }
    // c starts at range.start and is smaller: range will adopt it.
    return { parent, existing: null };
  }
}

function* record(
  ctx: Ctx,
  action: HistoryAction,
  vrf: string | null,
  subject: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): StoreProgram<void> {
  yield* call({ op: 'insertHistory', entry: { at: ctx.now, actor: ctx.actor, action, vrf, subject, before, after } });
}

export interface AddRangeInput {
  vrf: string;
  range: Range;
  kind: PrefixKind;
  meta: PrefixMeta;
  /** When set, the prefix must land directly under this one. */
  expectParentId?: number;
}

/** Inserts a prefix anywhere in the tree, adopting existing prefixes it encloses (NIPAP semantics). */
export function* addRange(ctx: Ctx, input: AddRangeInput, action: HistoryAction): StoreProgram<PrefixRow> {
  const { vrf, range, kind } = input;
  const text = formatPrefix(range);
  if (kind === 'host' && range.length !== familyBits(range.family)) {
    throw new IpamError(
      'IPAM_KIND_MISMATCH',
      `host ${text} must be a single address (/${familyBits(range.family)}); use kind assignment for a subnet`,
      { details: { prefix: text } },
    );
  }
  const { parent, existing } = yield* placeRange(vrf, range);
  if (existing) {
    throw new IpamError(
      'IPAM_OVERLAP',
      `${text} already exists in vrf ${vrf} as ${describeRow(existing)} (id ${existing.id})`,
      {
        details: { prefix: text, vrf, existingId: existing.id },
      },
    );
  }
  if (input.expectParentId !== undefined && (parent?.id ?? 0) !== input.expectParentId) {
    throw new IpamError(
      'IPAM_PARENT_MISSING',
      `${text} does not lie directly inside the requested parent (id ${input.expectParentId}); its enclosing prefix is ${parent ? describeRow(parent) : 'none'}`,
      { details: { prefix: text, vrf } },
    );
  }
  if (!childAllowed(parent?.kind ?? null, kind)) {
    if (!parent) {
      throw new IpamError(
        'IPAM_PARENT_MISSING',
        `host ${text} needs an enclosing assignment in vrf ${vrf}: add the subnet (kind assignment) first`,
        { details: { prefix: text, vrf } },
      );
    }
    throw new IpamError(
      'IPAM_KIND_MISMATCH',
      `a ${kind} cannot go inside ${describeRow(parent)}: reservations hold reservations and assignments, assignments hold hosts`,
      { details: { prefix: text, vrf, parentId: parent.id } },
    );
  }
  const adopt = yield* call({
    op: 'childrenWithin',
    vrf,
    parentId: parent?.id ?? 0,
    family: range.family,
    start: range.start,
    end: range.end,
  });
  let adoptedSize = 0n;
  for (const a of adopt) {
    if (!childAllowed(kind, a.kind)) {
      throw new IpamError(
        'IPAM_OVERLAP',
        `${kind} ${text} overlaps ${describeRow(a)}, which cannot sit inside a ${kind}`,
        { details: { prefix: text, vrf, conflictId: a.id } },
      );
    }
    adoptedSize += rangeSize(a);
  }
  if (input.meta.pool !== null) yield* checkPoolMember(vrf, kind, input.meta.pool, text);
  const row: Omit<PrefixRow, 'id'> = {
    vrf,
    family: range.family,
    start: range.start,
    end: range.end,
    length: range.length,
    kind,
    parentId: parent?.id ?? 0,
    ...input.meta,
    createdAt: ctx.now,
    createdBy: ctx.actor,
    updatedAt: ctx.now,
    updatedBy: ctx.actor,
    usedSize: adoptedSize,
    childCount: adopt.length,
    hintFrom: range.start,
    hintTo: range.start,
  };
  const id = yield* call({ op: 'insertPrefix', row });
  if (adopt.length > 0) yield* call({ op: 'reparent', ids: adopt.map((a) => a.id), parentId: id });
  if (parent) {
    // Keep the parent's hintTo off the inside of the new child (the allocator relies on it).
    const straddles = range.start < parent.hintTo && parent.hintTo <= range.end;
    yield* call({
      op: 'updatePrefix',
      id: parent.id,
      patch: {
        usedSize: parent.usedSize + rangeSize(range) - adoptedSize,
        childCount: parent.childCount + 1 - adopt.length,
        ...(straddles ? { hintTo: maxBig(range.start, parent.hintFrom) } : {}),
      },
    });
  }
  const full: PrefixRow = { ...row, id };
  yield* record(ctx, action, vrf, formatPrefix(range), null, { ...toPrefix(full) });
  return full;
}

export function* checkPoolMember(vrf: string, kind: PrefixKind, poolName: string, text: string): StoreProgram<void> {
  const pool = yield* call({ op: 'getPool', name: poolName });
  if (!pool) {
    throw new IpamError(
      'IPAM_NOT_FOUND',
      `pool ${JSON.stringify(poolName)} does not exist: create it with addPool first`,
      {
        details: { pool: poolName },
      },
    );
  }
  if (pool.vrf !== vrf) {
    throw new IpamError(
      'IPAM_INVALID_INPUT',
      `${text} is in vrf ${vrf} but pool ${poolName} draws from vrf ${pool.vrf}`,
      {
        details: { pool: poolName, vrf },
      },
    );
  }
  if (kind === 'host') {
    throw new IpamError(
      'IPAM_KIND_MISMATCH',
      `host ${text} cannot be a pool member: pools hold reservations and assignments`,
      {
        details: { pool: poolName },
      },
    );
  }
}

/** Removes a prefix (and, if asked, everything under it), keeping the parent's counters and hint right. */
export function* removeRow(ctx: Ctx, row: PrefixRow, recursive: boolean, action: HistoryAction): StoreProgram<number> {
  if (row.childCount > 0 && !recursive) {
    throw new IpamError(
      'IPAM_HAS_CHILDREN',
      `${describeRow(row)} has ${row.childCount} prefixes inside it: remove them first or pass recursive: true`,
      { details: { id: row.id, children: row.childCount } },
    );
  }
  const removed = yield* call({ op: 'deleteSubtree', id: row.id });
  if (row.parentId !== 0) {
    const parent = yield* call({ op: 'getPrefix', id: row.parentId });
    if (parent) {
      const hintCut = row.start < parent.hintTo && row.end >= parent.hintFrom;
      yield* call({
        op: 'updatePrefix',
        id: parent.id,
        patch: {
          usedSize: parent.usedSize - rangeSize(row),
          childCount: parent.childCount - 1,
          ...(hintCut ? { hintTo: maxBig(row.start, parent.hintFrom) } : {}),
        },
      });
    }
  }
  yield* record(ctx, action, row.vrf, formatPrefix(row), { ...toPrefix(row), removedBelow: removed - 1 }, null);
  return removed;
}

/** The part of a parent that allocation may hand out, after keep-free rules. */
export function allocatableSpan(
  parent: PrefixRow,
  hostAllocation: boolean,
  keep: KeepFree,
): { lower: bigint; upper: bigint } {
  let lower = parent.start;
  let upper = parent.end;
  if (hostAllocation) {
    const hasNetwork = parent.family === 4 ? parent.length <= 30 : parent.length <= 126;
    if (keep.network && hasNetwork) lower += 1n;
    if (keep.broadcast && parent.family === 4 && parent.length <= 30) upper -= 1n;
    lower += BigInt(keep.gateways);
  }
  return { lower, upper };
}

/**
 * First fit of an aligned block of `size` in [lower, upper] among the parent's children. It starts past
 * the covered span `[hintFrom, hintTo)` and walks children in start order only until the first gap that
 * fits, so cost depends on fragmentation near the front, not on how many children exist.
 */
export function* findGap(
  parent: PrefixRow,
  size: bigint,
  lower: bigint,
  upper: bigint,
): StoreProgram<{ at: bigint | null; hintFrom: bigint; hintTo: bigint }> {
  let cursor = lower;
  let coveredFrom = lower;
  if (parent.hintTo > parent.hintFrom && parent.hintFrom <= cursor && cursor <= parent.hintTo) {
    // hintTo always sits on a child boundary (addRange and removeRow keep it so): no child straddles it.
    coveredFrom = parent.hintFrom;
    cursor = parent.hintTo;
  } else {
    const before = yield* call({
      op: 'childAtOrBefore',
      vrf: parent.vrf,
      parentId: parent.id,
      family: parent.family,
      at: cursor,
    });
    if (before && before.end >= cursor) cursor = before.end + 1n;
  }
  // [coveredFrom, frontier) is known covered; it grows while children follow each other without a gap.
  let frontier = cursor;
  let contiguous = true;
  let from = cursor;
  const done = (at: bigint | null) => {
    if (at !== null && at === frontier) frontier = at + size;
    return { at, hintFrom: coveredFrom, hintTo: frontier };
  };
  // Small first page: at the frontier the answer is usually "no more children"; grow when fragmented.
  let limit = 8;
  for (;;) {
    const page = yield* call({
      op: 'childrenFrom',
      vrf: parent.vrf,
      parentId: parent.id,
      family: parent.family,
      from,
      limit,
    });
    for (const child of page) {
      const aligned = alignUp(cursor, size);
      if (aligned + size - 1n > upper) return done(null);
      if (aligned + size - 1n < child.start) return done(aligned);
      if (contiguous && child.start === frontier) frontier = child.end + 1n;
      else contiguous = false;
      if (child.end + 1n > cursor) cursor = child.end + 1n;
    }
    if (page.length < limit) {
      const aligned = alignUp(cursor, size);
      return done(aligned + size - 1n <= upper ? aligned : null);
    }
    from = page[page.length - 1]!.start + 1n;
    limit = Math.min(limit * 4, 512);
  }
}

/**
 * Where the next block of `length` inside `parent` goes (first fit after keep-free rules), read-only.
 * `allocateIn` takes exactly this gap, so a peek and the allocation after it agree.
 */
export function* gapIn(
  parent: PrefixRow,
  length: number,
  kind: PrefixKind,
  keep: KeepFree,
): StoreProgram<{ at: bigint | null; size: bigint; hintFrom: bigint; hintTo: bigint }> {
  const size = blockSize(parent.family, length);
  const { lower, upper } = allocatableSpan(parent, kind === 'host', keep);
  return { ...(yield* findGap(parent, size, lower, upper)), size };
}

/** Allocates one block of `length` inside `parent`, or returns null when it is full. */
export function* allocateIn(
  ctx: Ctx,
  parent: PrefixRow,
  length: number,
  kind: PrefixKind,
  keep: KeepFree,
  meta: PrefixMeta,
): StoreProgram<{ row: PrefixRow | null; parent: PrefixRow }> {
  const gap = yield* gapIn(parent, length, kind, keep);
  const size = gap.size;
  if (gap.at === null) {
    if (gap.hintFrom !== parent.hintFrom || gap.hintTo !== parent.hintTo) {
      yield* call({ op: 'updatePrefix', id: parent.id, patch: { hintFrom: gap.hintFrom, hintTo: gap.hintTo } });
    }
    return { row: null, parent: { ...parent, hintFrom: gap.hintFrom, hintTo: gap.hintTo } };
  }
  const row: Omit<PrefixRow, 'id'> = {
    vrf: parent.vrf,
    family: parent.family,
    start: gap.at,
    end: gap.at + size - 1n,
    length,
    kind,
    parentId: parent.id,
    ...meta,
    createdAt: ctx.now,
    createdBy: ctx.actor,
    updatedAt: ctx.now,
    updatedBy: ctx.actor,
    usedSize: 0n,
    childCount: 0,
    hintFrom: gap.at,
    hintTo: gap.at,
  };
  const id = yield* call({ op: 'insertPrefix', row });
  const next: PrefixRow = {
    ...parent,
    usedSize: parent.usedSize + size,
    childCount: parent.childCount + 1,
    hintFrom: gap.hintFrom,
    hintTo: gap.hintTo,
  };
  yield* call({
    op: 'updatePrefix',
    id: parent.id,
    patch: { usedSize: next.usedSize, childCount: next.childCount, hintFrom: next.hintFrom, hintTo: next.hintTo },
  });
  const full: PrefixRow = { ...row, id };
  yield* record(ctx, 'allocate', parent.vrf, formatPrefix(full), null, { ...toPrefix(full) });
  return { row: full, parent: next };
}

export { record };

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
