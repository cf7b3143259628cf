import type { Store } from './store/types.js';

interface Mark {
  nodes: number;
  versions: number;
}

const parseMark = (mark: string): Mark => {
  const [nodes = '0', versions = '0'] = mark.split('.');
  return { nodes: Number(nodes), versions: Number(versions) };
};
const formatMark = (mark: Mark) => `${mark.nodes}.${mark.versions}`;

/**
 * Nodes per lifecycle state, kept up to date on every change this server makes, so a metrics scrape
 * never pages through the nodes. Each local write also moves the expected {@link Store.nodesMark} (node
 * count and sum of versions: an insert adds a node at version 1, an update adds one version), so one
 * aggregate per read proves the counters exact; when the mark differs, another server sharing the database
 * wrote, and the counts are read again in one snapshot with their mark.
 */
export class NodeStateCounts {
  private counts: Map<string, number> | null = null;
  private expected: Mark | null = null;
  private refreshing: Promise<Record<string, number>> | null = null;

  constructor(private readonly store: Store) {}

  /** A node was inserted by this server, in `state`, at version 1. */
  inserted(state: string): void {
    if (!this.counts || !this.expected) return;
    this.counts.set(state, (this.counts.get(state) ?? 0) + 1);
    this.expected = { nodes: this.expected.nodes + 1, versions: this.expected.versions + 1 };
  }

  /** A node was updated by this server (one version up), from one state to another (or the same). */
  updated(from: string, to: string): void {
    if (!this.counts || !this.expected) return;
    if (from !== to) {
      this.counts.set(from, (this.counts.get(from) ?? 0) - 1);
      this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
    }
    this.expected = { ...this.expected, versions: this.expected.versions + 1 };
  }

  /** Counts per state (states without nodes left out). One aggregate when nobody else wrote. */
  async read(): Promise<Record<string, number>> {
    if (this.counts && this.expected) {
      const expected = formatMark(this.expected);
      if ((await this.store.nodesMark()) === expected && this.counts) return this.snapshot(this.counts);
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return await this.refreshing;
  }

  private snapshot(counts: Map<string, number>): Record<string, number> {
    return Object.fromEntries([...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)));
  }

  private async refresh(): Promise<Record<string, number>> {
    const { mark, counts } = this.store.countNodesByState
      ? await this.store.countNodesByState()
      : await this.pageThrough();
    this.counts = new Map(Object.entries(counts));
    this.expected = parseMark(mark);
    return this.snapshot(this.counts);
  }

  /** For stores without countNodesByState: the mark first, so a change during the walk forces a recount. */
  private async pageThrough(): Promise<{ mark: string; counts: Record<string, number> }> {
    const mark = await this.store.nodesMark();
    const counts: Record<string, number> = {};
    let after: string | null = null;
    for (;;) {
      const page = await this.store.listNodes({}, after, 1000);
      for (const node of page) counts[node.state] = (counts[node.state] ?? 0) + 1;
      if (page.length < 1000) break;
      after = page[page.length - 1]?.id ?? null;
    }
    // The walk may have seen changes made after the mark was read: report an impossible mark so the next
    // read recounts unless nothing moved.
    return { mark: (await this.store.nodesMark()) === mark ? mark : 'stale', counts };
  }
}
