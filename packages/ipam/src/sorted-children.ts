/**
 * Children of one parent kept sorted by start in chunks of at most 512, so insert, delete and "first
 * child at or after X" stay O(log n + 512) even with millions of children (a flat array would memmove
 * the whole list on every insert in the middle).
 */
export class SortedChildren<T extends { start: bigint }> {
  private chunks: T[][] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  /** Index of the last chunk whose first start <= at, or -1. */
  private chunkAtOrBefore(at: bigint): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid]![0]!.start <= at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Index of the last item in `chunk` with start <= at, or -1. */
  private static itemAtOrBefore<T extends { start: bigint }>(chunk: T[], at: bigint): number {
    let lo = 0;
    let hi = chunk.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (chunk[mid]!.start <= at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  insert(item: T): void {
    this.total++;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    const ci = Math.max(0, this.chunkAtOrBefore(item.start));
    const chunk = this.chunks[ci]!;
    const ii = SortedChildren.itemAtOrBefore(chunk, item.start);
    chunk.splice(ii + 1, 0, item);
    if (chunk.length > 512) this.chunks.splice(ci + 1, 0, chunk.splice(256));
  }

  remove(start: bigint): T | undefined {
    const ci = this.chunkAtOrBefore(start);
    if (ci < 0) return undefined;
    const chunk = this.chunks[ci]!;
    const ii = SortedChildren.itemAtOrBefore(chunk, start);
    if (ii < 0 || chunk[ii]!.start !== start) return undefined;
    const [item] = chunk.splice(ii, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return item;
  }

  atOrBefore(at: bigint): T | undefined {
    const ci = this.chunkAtOrBefore(at);
    if (ci < 0) return undefined;
    const chunk = this.chunks[ci]!;
    return chunk[SortedChildren.itemAtOrBefore(chunk, at)];
  }

  /** Items with start >= from, ascending, at most `limit`. */
  from(from: bigint, limit: number): T[] {
    const out: T[] = [];
    let ci = Math.max(0, this.chunkAtOrBefore(from));
    if (ci >= this.chunks.length) return out;
    let ii = SortedChildren.itemAtOrBefore(this.chunks[ci]!, from);
    if (ii < 0 || this.chunks[ci]![ii]!.start < from) ii++;
    while (ci < this.chunks.length && out.length < limit) {
      const chunk = this.chunks[ci]!;
      while (ii < chunk.length && out.length < limit) out.push(chunk[ii++]!);
      ci++;
      ii = 0;
    }
    return out;
  }

  /** Items with start in [start, end]. */
  within(start: bigint, end: bigint): T[] {
    const out: T[] = [];
    let from = start;
    for (;;) {
      const batch = this.from(from, 1024);
      for (const item of batch) {
        if (item.start > end) return out;
        out.push(item);
      }
      if (batch.length < 1024) return out;
      from = batch[batch.length - 1]!.start + 1n;
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }
}
