import { readFileSync } from 'node:fs';
import { createAsnPolicy } from '@fleet/bootconfig';
import { describe, expect, it } from 'vitest';
import { checkAsnPolicy } from '../src/index.js';
import { main } from './asn-policy.example.js';

describe('the docs ASN policy example (docs/packages/bootconfig.md, netcheck.md)', () => {
  it('finds the node whose bird.conf uses another rack ASN, and passes the rest (role ASN included)', () => {
    const result = main();
    expect(result).toMatchObject({ check: 'asn-policy', status: 'fail', code: 'ASN_MISMATCH', target: '3 nodes' });
    expect(result.evidence.findings.map((f) => [f.node, f.code, f.expected, f.configured])).toEqual([
      ['fra1-r1-n1', 'OK', 65001, 65001],
      ['fra1-r2-n1', 'ASN_MISMATCH', 65002, 65001],
      ['fra1-r2-lb1', 'OK', 65300, 65300],
    ]);
    expect(result.summary).toBe('fra1-r2-n1: configured AS65001; policy says AS65002');
  });

  it('owner(asn), which the docs once named, cannot find it: it says whose an ASN is, not whose it should be', () => {
    const policy = createAsnPolicy({ sites: { fra1: { nodeBase: 65001, racks: { r1: 0, r2: 1 } } } });
    // fra1-r2-n1 uses r1's ASN; asking "whose is 65001?" answers r1 and so agrees with the wrong value.
    const viaOwner = checkAsnPolicy([{ name: 'fra1-r2-n1', configuredAsn: 65001 }], {
      expectedAsn: (node) => (node.configuredAsn === undefined ? undefined : policy.owner(node.configuredAsn)?.asn),
    });
    expect(viaOwner.code).toBe('OK');
  });

  it('both docs pages show the example file verbatim', () => {
    const example = readFileSync(new URL('./asn-policy.example.ts', import.meta.url), 'utf8').trim();
    for (const page of ['bootconfig.md', 'netcheck.md']) {
      const text = readFileSync(new URL(`../../../docs/packages/${page}`, import.meta.url), 'utf8');
      const block = /<!-- example: \.\.\/\.\.\/packages\/netcheck\/test\/asn-policy\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(text);
      expect(block?.[1]?.trim(), page).toBe(example);
      expect(text, page).not.toMatch(/owner[^.]*checkAsnPolicy|checkAsnPolicy[^.]*`owner`/);
    }
  });
});
