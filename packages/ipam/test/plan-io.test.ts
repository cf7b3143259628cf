import { describe, expect, it } from 'vitest';
import { createIpam, createMemoryStore, DEFAULT_KEEP_FREE, isIpamError, resolveIpamOptions } from '../src/index.js';
import { parseCsv } from '../src/plan-io.js';
import { SortedChildren } from '../src/sorted-children.js';

describe('CSV parsing', () => {
  it('handles quotes, doubled quotes, embedded newlines, CRLF and a BOM, with line numbers', () => {
    const rows = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n\n3,4');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/unterminated/);
  });

  it('exports CSV that survives commas and quotes in descriptions', async () => {
    const ipam = createIpam({ store: createMemoryStore() });
    await ipam.addPrefix({ prefix: '10.0.0.0/24', kind: 'assignment', description: 'a, "b"', tags: ['x', 'y'] });
    const csv = await ipam.exportPlan({ format: 'csv' });
    expect(csv.split('\n')[1]).toBe('default,10.0.0.0/24,assignment,active,"a, ""b""",,x;y,,,');
    const copy = createIpam({ store: createMemoryStore() });
    await copy.importPlan(csv, { format: 'csv' });
    expect(await copy.exportPlan({ format: 'csv' })).toBe(csv);
  });

  it('reports a JSON syntax error as an import error', async () => {
    const ipam = createIpam({ store: createMemoryStore() });
    await expect(ipam.importPlan('{', { format: 'json' })).rejects.toMatchObject({ code: 'IPAM_IMPORT_INVALID' });
  });
});

describe('resolveIpamOptions', () => {
  it('fills defaults and refuses a missing store', () => {
    const store = createMemoryStore();
    expect(resolveIpamOptions({ store })).toMatchObject({ actor: 'system', keepFree: DEFAULT_KEEP_FREE });
    expect(resolveIpamOptions({ store, keepFree: { gateways: 2 } }).keepFree).toEqual({
      ...DEFAULT_KEEP_FREE,
      gateways: 2,
    });
    try {
      resolveIpamOptions({} as never);
    } catch (error) {
      expect(isIpamError(error, 'IPAM_INVALID_INPUT')).toBe(true);
    }
    expect(() => resolveIpamOptions({ store, keepFree: { gateways: -1 } })).toThrow(/gateways/);
    expect(() => resolveIpamOptions({ store, actor: 'a\nb' })).toThrow(/control characters/);
  });
});

describe('SortedChildren', () => {
  it('stays sorted through inserts and removals across chunk splits', () => {
    const list = new SortedChildren<{ start: bigint }>();
    const starts: bigint[] = [];
    const seen = new Set<bigint>();
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const s = BigInt(seed % 1_000_000);
      if (seen.has(s)) continue;
      seen.add(s);
      starts.push(s);
      list.insert({ start: s });
    }
    for (const s of starts.slice(0, 1000)) expect(list.remove(s)?.start).toBe(s);
    const rest = starts.slice(1000).sort((a, b) => (a < b ? -1 : 1));
    expect([...list].map((x) => x.start)).toEqual(rest);
    expect(list.size).toBe(rest.length);
    const mid = rest[2000]!;
    expect(list.atOrBefore(mid)?.start).toBe(mid);
    expect(list.atOrBefore(mid + 1n)?.start).toBe(rest[2001]! === mid + 1n ? mid + 1n : mid);
    expect(list.from(mid, 3).map((x) => x.start)).toEqual(rest.slice(2000, 2003));
    expect(list.within(rest[10]!, rest[20]!).length).toBe(11);
    expect(list.remove(-1n)).toBeUndefined();
  });
});
