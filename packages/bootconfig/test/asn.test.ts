import { describe, expect, it } from 'vitest';
import { createAsnPolicy, isBootconfigError, isPrivateAsn, PRIVATE_ASN_RANGES } from '../src/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isBootconfigError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('createAsnPolicy', () => {
  const policy = createAsnPolicy({
    sites: {
      fra1: { nodeBase: 4_200_001_000, torBase: 4_200_002_000, racks: { r01: 1, r02: 2 } },
      ams1: { nodeBase: 64_600, racks: { a1: 0 } },
    },
    roles: { lb: 65_001 },
  });

  it('numbers racks from the site base, ToRs from their own base', () => {
    expect(policy.nodeAsn({ site: 'fra1', rack: 'r02', role: 'compute' })).toBe(4_200_001_002);
    expect(policy.torAsn({ site: 'fra1', rack: 'r02' })).toBe(4_200_002_002);
    expect(policy.nodeAsn({ site: 'ams1', rack: 'a1' })).toBe(64_600);
    expect(policy.torAsn({ site: 'ams1', rack: 'a1' })).toBeUndefined();
  });

  it('pins roles wherever the node is', () => {
    expect(policy.nodeAsn({ site: 'fra1', rack: 'r01', role: 'lb' })).toBe(65_001);
    expect(policy.owner(65_001)).toEqual({ kind: 'role', asn: 65_001, role: 'lb' });
  });

  it('lists every assignment sorted and all private', () => {
    const all = policy.assignments();
    expect(all.map((a) => a.asn)).toEqual([...all.map((a) => a.asn)].sort((a, b) => a - b));
    expect(all).toHaveLength(6);
    expect(all.every((a) => isPrivateAsn(a.asn))).toBe(true);
  });

  it('refuses an unknown rack', () => {
    expect(codeOf(() => policy.nodeAsn({ site: 'fra1', rack: 'r99' }))).toBe('BOOTCONFIG_ASN_UNKNOWN_LOCATION');
  });

  it('refuses out-of-range ASNs, including a range that runs off the end', () => {
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 65_000, racks: { r1: 0 } } } }))).toBe('no error');
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 64_511, racks: { r1: 0 } } } }))).toBe('BOOTCONFIG_ASN_OUT_OF_RANGE');
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 65_534, racks: { r1: 0, r2: 1 } } } }))).toBe(
      'BOOTCONFIG_ASN_OUT_OF_RANGE',
    );
    expect(codeOf(() => createAsnPolicy({ sites: {}, roles: { lb: 65_535 } }))).toBe('BOOTCONFIG_ASN_OUT_OF_RANGE');
    expect(codeOf(() => createAsnPolicy({ sites: {}, roles: { lb: 4_294_967_295 } }))).toBe('BOOTCONFIG_INVALID_INPUT');
  });

  it('refuses collisions between sites, ToRs and roles', () => {
    expect(
      codeOf(() =>
        createAsnPolicy({ sites: { a: { nodeBase: 64_600, racks: { r1: 0, r2: 5 } }, b: { nodeBase: 64_605, racks: { r1: 0 } } } }),
      ),
    ).toBe('BOOTCONFIG_ASN_COLLISION');
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 64_600, torBase: 64_600, racks: { r1: 0 } } } }))).toBe(
      'BOOTCONFIG_ASN_COLLISION',
    );
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 64_600, racks: { r1: 0 } } }, roles: { lb: 64_600 } }))).toBe(
      'BOOTCONFIG_ASN_COLLISION',
    );
  });

  it('refuses hostile site and rack names', () => {
    expect(codeOf(() => createAsnPolicy({ sites: { 'a;b': { nodeBase: 64_600, racks: {} } } }))).toBe('BOOTCONFIG_INVALID_INPUT');
    expect(codeOf(() => createAsnPolicy({ sites: { a: { nodeBase: 64_600, racks: { 'r\n1': 0 } } } }))).toBe(
      'BOOTCONFIG_INVALID_INPUT',
    );
  });

  it('documents exactly the RFC 6996 ranges', () => {
    expect(PRIVATE_ASN_RANGES).toEqual([
      { from: 64_512, to: 65_534 },
      { from: 4_200_000_000, to: 4_294_967_294 },
    ]);
    expect([64_511, 64_512, 65_534, 65_535, 4_199_999_999, 4_200_000_000, 4_294_967_294, 4_294_967_295].map(isPrivateAsn)).toEqual([
      false, true, true, false, false, true, true, false,
    ]);
  });
});
