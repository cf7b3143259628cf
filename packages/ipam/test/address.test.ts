import { describe, expect, it } from 'vitest';
import { formatAddress, formatPrefix, isIpamError, parseAddress, parsePrefix } from '../src/index.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isIpamError(error) ? error.code : 'not an IpamError';
  }
  return undefined;
}

describe('parsePrefix', () => {
  it('parses both families into bigint ranges', () => {
    expect(parsePrefix('10.0.0.0/8')).toEqual({ family: 4, start: 0x0a000000n, end: 0x0affffffn, length: 8 });
    const v6 = parsePrefix('2001:db8::/32');
    expect(v6.family).toBe(6);
    expect(v6.end - v6.start + 1n).toBe(2n ** 96n);
    expect(parsePrefix('::/0').end).toBe(2n ** 128n - 1n);
    expect(parsePrefix('0.0.0.0/0').end).toBe(2n ** 32n - 1n);
    expect(parsePrefix('10.1.2.3', 'p', true)).toMatchObject({ length: 32, start: 0x0a010203n });
    expect(parsePrefix('2001:db8::1', 'p', true)).toMatchObject({ length: 128 });
  });

  it('refuses host bits, bad lengths and lenient IPv4 forms with stable codes', () => {
    expect(code(() => parsePrefix('10.0.0.1/8'))).toBe('IPAM_HOST_BITS_SET');
    expect(code(() => parsePrefix('2001:db8::1/64'))).toBe('IPAM_HOST_BITS_SET');
    expect(code(() => parsePrefix('10.0.0.0/33'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('2001:db8::/129'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('10.1/16'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('010.0.0.0/8'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('10.0.0.0/ 8'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('10.0.0.0'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix('fe80::/64%eth0'))).toBe('IPAM_INVALID_PREFIX');
    expect(code(() => parsePrefix(42))).toBe('IPAM_INVALID_PREFIX');
  });

  it('suggests the network when host bits are set', () => {
    try {
      parsePrefix('192.168.1.77/24');
    } catch (error) {
      expect((error as Error).message).toContain('192.168.1.0/24');
    }
    expect.assertions(1);
  });
});

describe('addresses', () => {
  it('round-trips through bigint and prints canonical text', () => {
    expect(formatAddress(4, parseAddress('192.0.2.255').value)).toBe('192.0.2.255');
    expect(formatAddress(6, parseAddress('2001:0DB8:0000:0000:0000:0000:0000:0001').value)).toBe('2001:db8::1');
    expect(formatPrefix(parsePrefix('2001:db8:0:0:1::/80'))).toBe('2001:db8:0:0:1::/80');
    expect(code(() => parseAddress('1.2.3'))).toBe('IPAM_INVALID_ADDRESS');
    expect(code(() => parseAddress('fe80::1%eth0'))).toBe('IPAM_INVALID_ADDRESS');
  });
});
