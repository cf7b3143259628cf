/**
 * Rendered netboot files by MAC, node and node version: a node's files change only when the node does
 * (its version moves on every write), so a boot of an unchanged node renders nothing and reads nothing.
 * Bounded: cleared when full, rebuilt on demand.
 */
export interface RenderCache<T = string> {
  get(key: string, render: () => Promise<T>): Promise<T>;
  readonly size: number;
}

export function renderCacheKey(kind: string, mac: string, node: { id: string; version: number } | null): string {
  return `${kind}|${mac.toLowerCase()}|${node ? `${node.id}|${node.version}` : 'live'}`;
}

export function createRenderCache<T = string>(maxEntries = 40_000): RenderCache<T> {
  const entries = new Map<string, T>();
  return {
    get size() {
      return entries.size;
    },
    async get(key, render) {
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const text = await render();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, text);
      return text;
    },
  };
}
