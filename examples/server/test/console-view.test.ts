import type { Prefix } from '@fleet/ipam';
import { describe, expect, it } from 'vitest';
import { nodeQueryString, parseNodeQuery } from '../src/web/fleet-view.js';
import { duration, html } from '../src/web/html.js';
import { freeRanges } from '../src/web/ipam-pages.js';
import { transitionForBootTarget } from '../src/web/node-pages.js';

describe('console: list query parameters', () => {
  it('reads filters, falls back to defaults on anything unknown, and writes the same URL back', () => {
    const q = parseNodeQuery({
      state: 'deployed',
      rack: 'r2',
      q: ' 3c:ec ',
      sort: 'memory',
      dir: 'desc',
      page: '3',
      per: '100',
    });
    expect(q).toMatchObject({
      state: 'deployed',
      rack: 'r2',
      q: '3c:ec',
      sort: 'memory',
      dir: 'desc',
      page: 3,
      per: 100,
    });
    expect(nodeQueryString(q)).toBe('?state=deployed&rack=r2&q=3c%3Aec&sort=memory&dir=desc&page=3&per=100');
    expect(parseNodeQuery(Object.fromEntries(new URLSearchParams(nodeQueryString(q).slice(1))))).toEqual(q);
    const junk = parseNodeQuery({ state: 'exploded', sort: 'password', dir: 'up', page: '-1', per: '7', q: ['a'] });
    expect(junk).toMatchObject({ state: null, sort: 'hostname', dir: 'asc', page: 1, per: 50, q: null });
    expect(nodeQueryString(junk)).toBe('');
  });
});

describe('console: boot target → transition, from MachineDB’s table', () => {
  it('picks the allowed transition that boots the wanted target, or none', () => {
    expect(transitionForBootTarget('deployed', 'install')).toBe('bmc-configured');
    expect(transitionForBootTarget('bmc-configured', 'local')).toBe('maintenance');
    expect(transitionForBootTarget('maintenance', 'local')).toBe('deployed');
    expect(transitionForBootTarget('failed', 'live')).toBe('inventoried');
    // A decommissioned node can only go back to inventoried: it cannot be told to boot its disk.
    expect(transitionForBootTarget('decommissioned', 'local')).toBeNull();
  });
});

describe('console: IPAM free ranges', () => {
  const prefix = (p: string, id = 1): Prefix => ({ id, prefix: p }) as Prefix;
  it('lists the gaps between what is used, in order', () => {
    const parent = prefix('10.0.0.0/28');
    const used = [prefix('10.0.0.5/32', 2), prefix('10.0.0.0/30', 3), prefix('10.0.0.8/31', 4)];
    expect(freeRanges(parent, used)).toEqual([
      { first: '10.0.0.4', last: '10.0.0.4', size: 1n },
      { first: '10.0.0.6', last: '10.0.0.7', size: 2n },
      { first: '10.0.0.10', last: '10.0.0.15', size: 6n },
    ]);
    expect(freeRanges(parent, [prefix('10.0.0.0/28', 5)])).toEqual([]);
    expect(freeRanges(prefix('2001:db8::/126'), [])).toEqual([{ first: '2001:db8::', last: '2001:db8::3', size: 4n }]);
  });
});

describe('console: text helpers', () => {
  it('escapes every markup character and words durations', () => {
    expect(html(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
    expect([duration(42), duration(600), duration(3 * 3600 + 120), duration(3 * 86400 + 3600)]).toEqual([
      '42 s',
      '10 min',
      '3 h 2 min',
      '3 d 1 h',
    ]);
  });
});
