import { validateMac } from '@fleet/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBootconfigError, resolveNodeConfig } from '../src/index.js';
import { lateScriptBase64, lateScriptFor } from '../src/render/late-command.js';
import { yamlScalar } from '../src/render/yaml.js';
import { checkMac } from '../src/validate.js';
import { makeNode, makeSite } from './fixture.js';

// The shortcuts that make the first render of a fleet fast must give exactly what the plain rule gives.

describe('late script base64: per-node head + the constant tail encoded once', () => {
  it('decodes to the whole script for heads of every length mod 3, with and without keys', () => {
    const seen = new Set<number>();
    for (const hostname of ['a', 'ab', 'abc', 'abcd', 'cmp-00001']) {
      const c = resolveNodeConfig(makeNode({ hostname }), makeSite());
      for (const writeAuthorizedKeys of [false, true]) {
        const script = lateScriptFor(c, { writeAuthorizedKeys });
        // One byte per character: the byte arithmetic of the split encoding relies on it.
        expect(script).toMatch(/^[\x00-\x7f]*$/);
        expect(Buffer.from(lateScriptBase64(c, { writeAuthorizedKeys }), 'base64').toString('utf8')).toBe(script);
        expect(lateScriptBase64(c, { writeAuthorizedKeys })).toBe(Buffer.from(script, 'utf8').toString('base64'));
        seen.add(script.indexOf('\n# Prints the 4-hex-digit') % 3);
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});

describe('yamlScalar: one regex, the same decision as the rule it replaces', () => {
  const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./+@,=-]*$/;
  const WORDS = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
  const DOTTED_QUAD = /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:\/[0-9]{1,2})?$/;
  const rule = (v: string): string => {
    const plain = PLAIN.test(v) && (/^[0-9]/.test(v) ? DOTTED_QUAD.test(v) : !WORDS.test(v));
    return plain ? v : JSON.stringify(v);
  };
  const chars = fc.constantFrom(...'aZy09._/+@,=-: "#\n\tnNoOuUlLeEsS~é'.split(''));
  const word = fc.constantFrom('y', 'N', 'yes', 'No', 'TRUE', 'false', 'On', 'OFF', 'null', '10.0.0.1', '10.0.0.1/24', '1e3', '0x10');

  it('agrees on random and YAML-ambiguous strings', () => {
    fc.assert(
      fc.property(fc.tuple(fc.option(word, { nil: '' }), fc.array(chars, { maxLength: 12 })), ([w, cs]) => {
        const value = w + cs.join('');
        expect(yamlScalar(value)).toBe(rule(value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('checkMac: canonical MACs skip the regexes, everything else goes through validateMac', () => {
  const hex = fc.constantFrom(...'0123456789abcdefABCDEFg'.split(''));
  const mac = fc
    .tuple(fc.array(fc.tuple(hex, hex), { minLength: 5, maxLength: 7 }), fc.constantFrom(':', '-', '.', ''))
    .map(([pairs, sep]) => pairs.map(([a, b]) => a + b).join(sep));

  it('returns what validateMac returns, and refuses what it refuses', () => {
    fc.assert(
      fc.property(mac, (text) => {
        let expected: string | undefined;
        try {
          expected = validateMac(text, 'm');
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expect(() => checkMac(text, 'm')).toThrow(expect.objectContaining({ code: 'BOOTCONFIG_INVALID_INPUT', field: 'm' }));
        } else {
          expect(checkMac(text, 'm')).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('settings validated once per site and role', () => {
  it('gives every node of a role the same settings, and a node with its own settings its own', () => {
    const site = makeSite();
    const a = resolveNodeConfig(makeNode({ hostname: 'a' }), site);
    const b = resolveNodeConfig(makeNode({ hostname: 'b' }), site);
    expect(b.settings).toEqual(a.settings);
    const own = resolveNodeConfig(makeNode({ hostname: 'c', settings: { timezone: 'Europe/Berlin' } }), site);
    expect(own.settings.timezone).toBe('Europe/Berlin');
    expect(own.settings.sources.timezone).toBe('node');
    expect(resolveNodeConfig(makeNode({ hostname: 'd' }), site).settings.timezone).toBe('Etc/UTC');
    const storage = resolveNodeConfig(makeNode({ hostname: 'e', role: 'storage' }), site);
    expect(storage.settings.family).toBe('ubuntu');
    expect(storage.settings.kernelArgs).toEqual(['console=ttyS1,115200n8', 'intel_iommu=on']);
  });

  it('keeps a catalog apart from the site-only result', () => {
    const site = makeSite();
    expect(resolveNodeConfig(makeNode(), site).settings.timezone).toBe('Etc/UTC');
    const withCatalog = resolveNodeConfig(makeNode(), site, { catalog: { roles: { compute: { timezone: 'Asia/Tokyo' } } } });
    expect(withCatalog.settings.timezone).toBe('Asia/Tokyo');
    expect(resolveNodeConfig(makeNode(), site).settings.timezone).toBe('Etc/UTC');
  });

  it('refuses a bad template value for every node, not only the first (refusals are not remembered)', () => {
    const site = makeSite();
    site.templates!.roles!.compute!.timezone = 'Etc/UTC; reboot';
    for (const hostname of ['a', 'b']) {
      let error: unknown;
      try {
        resolveNodeConfig(makeNode({ hostname }), site);
      } catch (e) {
        error = e;
      }
      expect(isBootconfigError(error) && error.code).toBe('BOOTCONFIG_INVALID_INPUT');
      expect((error as { field?: string }).field).toBe('site-role.timezone');
    }
  });

  it('still checks the node fields that come after the settings, in order', () => {
    const site = makeSite();
    resolveNodeConfig(makeNode(), site);
    expect(() => resolveNodeConfig(makeNode({ hostname: 'x', bootTarget: 'reboot' as never }), site)).toThrow(
      expect.objectContaining({ field: 'node.bootTarget' }),
    );
    expect(() => resolveNodeConfig(makeNode({ hostname: 'y', installToken: 'short' }), site)).toThrow(
      expect.objectContaining({ field: 'node.installToken' }),
    );
  });
});
