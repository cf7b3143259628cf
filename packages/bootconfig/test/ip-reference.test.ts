import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { formatIPv6, parseIPv4, parseIPv6 } from '../src/ip.js';

// bootconfig parses and formats addresses with its own scanner: it runs for every address of every node, and the
// first render of 10,000 nodes has a CPU budget (#17) that ipaddr.js's parser doubled. ipaddr.js stays the one
// reference: these tests hold the scanner to it on random addresses in every spelling and on random garbage.
// Where bootconfig is stricter on purpose (no zone ids, no IPv4 shorthand, hex or leading zeros), it says so.

let seed = 0x5eed;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const randomBytes = (length: number) => {
  // Runs of zero groups are what the compression rules are about: make them common.
  const out: number[] = [];
  for (let i = 0; i < length; i += 2) {
    const zero = random(3) === 0;
    out.push(zero ? 0 : random(256), zero ? 0 : random(256));
  }
  return out.slice(0, length);
};

const strictIPv4 = (text: string) => ipaddr.IPv4.isValidFourPartDecimal(text) && !/(^|\.)0\d/.test(text);
const strictIPv6 = (text: string) => ipaddr.IPv6.isValid(text) && !text.includes('%');

describe('bootconfig addresses against ipaddr.js', () => {
  it('formats IPv6 as ipaddr.js does (RFC 5952) for 20,000 random addresses', () => {
    for (let n = 0; n < 20_000; n++) {
      const bytes = randomBytes(16);
      expect(formatIPv6(bytes)).toBe(ipaddr.fromByteArray(bytes).toString());
    }
  });

  it('parses every spelling ipaddr.js writes to the same bytes', () => {
    for (let n = 0; n < 20_000; n++) {
      const address = ipaddr.fromByteArray(randomBytes(16)) as ipaddr.IPv6;
      for (const text of [
        address.toString(),
        address.toNormalizedString(),
        address.parts.map((part) => part.toString(16).padStart(4, '0')).join(':'),
        address.toString().toUpperCase(),
      ]) {
        expect(parseIPv6(text), text).toEqual(address.toByteArray());
      }
      const v4 = ipaddr.fromByteArray(randomBytes(4));
      expect(parseIPv4(v4.toString()), v4.toString()).toEqual(v4.toByteArray());
    }
  });

  it('accepts and refuses what ipaddr.js does on random text, except where it is stricter on purpose', () => {
    const alphabet = '0123456789abcdefABCDEF:::..%x/ ';
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const length = 1 + random(24);
      for (let i = 0; i < length; i++) text += alphabet[random(alphabet.length)];
      const v6 = parseIPv6(text);
      expect(v6 !== undefined, text).toBe(strictIPv6(text));
      if (v6) expect(v6, text).toEqual(ipaddr.IPv6.parse(text).toByteArray());
      const v4 = parseIPv4(text);
      expect(v4 !== undefined, text).toBe(strictIPv4(text));
    }
    for (const text of ['10.1', '0x0a.0.0.1', '010.0.0.1', '1.2.3.4.5', '256.0.0.1', 'fe80::1%eth0', '::1::']) {
      expect(parseIPv4(text) ?? parseIPv6(text), text).toBeUndefined();
    }
  });
});
