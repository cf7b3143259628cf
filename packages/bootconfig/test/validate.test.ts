import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BootconfigInputError, isBootconfigError, validateCidr, validateIp } from '../src/index.js';
import { formatIPv6, parseIPv6 } from '../src/ip.js';
import {
  checkConsulKey,
  checkKernelArgs,
  checkSshPublicKey,
  checkToken,
  checkUrl,
} from '../src/validate.js';
import { ADMIN_KEY, CONSUL_KEY, OPS_KEY } from './fixture.js';

function isValid(text: string): boolean {
  try {
    validateIp(text, 'x', 4);
    return true;
  } catch {
    return false;
  }
}

function refused(fn: () => unknown, field?: string): BootconfigInputError {
  try {
    fn();
  } catch (error) {
    expect(isBootconfigError(error)).toBe(true);
    expect((error as BootconfigInputError).code).toBe('BOOTCONFIG_INVALID_INPUT');
    if (field !== undefined) expect((error as BootconfigInputError).field).toBe(field);
    return error as BootconfigInputError;
  }
  throw new Error('expected a refusal');
}

describe('IP addresses', () => {
  it('accepts dotted decimal and canonicalises IPv6 (RFC 5952)', () => {
    expect(validateIp('198.18.0.1', 'x').address).toBe('198.18.0.1');
    expect(validateIp('2001:DB8:0:0:0:0:0:1', 'x').address).toBe('2001:db8::1');
    expect(validateIp('2001:db8:0:0:1:0:0:1', 'x').address).toBe('2001:db8::1:0:0:1');
    expect(validateIp('::ffff:198.18.0.1', 'x').address).toBe('::ffff:c612:1');
    expect(validateIp('::', 'x').address).toBe('::');
  });

  it.each(['1.2.3.4.', '.1.2.3', '1..2.3', '00.1.2.3', '1.2.3.4.5', '1.2.3.1000', '١.2.3.4', '010.0.0.1', '10.1', '0x7f.0.0.1', '256.0.0.1', '1.2.3.4 ', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '1::2::3', ':::', '1::2:', '1:', ':1', '1:2:3:4:5:6::1.2.3.4', '::1.2.3', '1.2.3.4\n', ''])(
    'refuses %j',
    (text) => {
      refused(() => validateIp(text, 'addr'), 'addr');
    },
  );

  it('refuses a family mismatch', () => {
    refused(() => validateIp('2001:db8::1', 'v4', 4), 'v4');
    refused(() => validateIp('10.0.0.1', 'v6', 6), 'v6');
  });

  it('tells prefixes from interface addresses', () => {
    expect(validateCidr('10.0.0.5/24', 'a', { kind: 'interface' }).cidr).toBe('10.0.0.5/24');
    expect(refused(() => validateCidr('10.0.0.5/24', 'p', { kind: 'prefix' })).message).toContain('host bits');
    expect(validateCidr('2001:db8::/48', 'p', { kind: 'prefix' }).prefixLength).toBe(48);
    refused(() => validateCidr('10.0.0.0/33', 'p', { kind: 'prefix' }));
    refused(() => validateCidr('10.0.0.0/024', 'p', { kind: 'prefix' }));
    refused(() => validateCidr('10.0.0.0', 'p', { kind: 'prefix' }));
  });

  it('round-trips every IPv6 address and agrees with node:net', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIPv6([...bytes]);
        expect(isIPv6(text)).toBe(true);
        expect(parseIPv6(text)).toEqual([...bytes]);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(parseIPv6(text)).toBeDefined();
      }),
    );
  });

  it('parses every dotted quad exactly like node:net', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(validateIp(text, 'x').bytes).toEqual(text.split('.').map(Number));
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.]{1,16}$/), (text) => {
        expect(isValid(text)).toBe(isIPv4(text));
      }),
    );
  });

  it('never accepts what node:net refuses', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F:.]{1,20}$/), (text) => {
        let accepted: string | undefined;
        try {
          accepted = validateIp(text, 'x').address;
        } catch {
          accepted = undefined;
        }
        if (accepted !== undefined) expect(isIPv4(text) || isIPv6(text)).toBe(true);
      }),
    );
  });
});

describe('URLs', () => {
  it('accepts http(s) URLs and drops a trailing slash', () => {
    expect(checkUrl('http://mirror.lab/debian/', 'm')).toBe('http://mirror.lab/debian');
    expect(checkUrl('https://[2001:db8::1]:8443/x', 'm')).toBe('https://[2001:db8::1]:8443/x');
  });
  it.each([
    'ftp://mirror/debian',
    'http://user:pw@mirror/debian',
    'http://mirror/debian?x=1',
    'http://mirror/debian#frag',
    "http://mirror/deb'ian",
    'http://mirror/$(reboot)',
    'http://mirror/a;b',
    'http://mirror/a b',
    'http://mirror/a\nb',
    'mirror/debian',
    'http:mirror',
  ])('refuses %j', (url) => {
    refused(() => checkUrl(url, 'site.mirror'), 'site.mirror');
  });
});

describe('SSH public keys', () => {
  it('accepts real keys', () => {
    expect(checkSshPublicKey(ADMIN_KEY, 'k')).toBe(ADMIN_KEY);
    expect(checkSshPublicKey(OPS_KEY, 'k')).toBe(OPS_KEY);
    expect(checkSshPublicKey(ADMIN_KEY.replace(' admin@lab', ''), 'k')).toBeDefined();
  });
  it('refuses options, odd comments, unknown types and a blob of another type', () => {
    refused(() => checkSshPublicKey(`command="reboot" ${ADMIN_KEY}`, 'k'));
    refused(() => checkSshPublicKey(`${ADMIN_KEY}\nssh-ed25519 AAAA`, 'k'));
    refused(() => checkSshPublicKey(`${ADMIN_KEY} extra words`, 'k'));
    refused(() => checkSshPublicKey(ADMIN_KEY.replace('ssh-ed25519', 'ssh-dss'), 'k'));
    refused(() => checkSshPublicKey(ADMIN_KEY.replace('ssh-ed25519', 'ssh-rsa'), 'k'));
  });
});

describe('kernel arguments', () => {
  it('accepts one allow-listed argument per entry', () => {
    expect(checkKernelArgs(['console=ttyS0,115200n8', 'intel_iommu=on', 'root=/dev/x'], 'k')).toHaveLength(3);
  });
  it.each(['a b', "a'b", 'a"b', 'a;b', 'a$b', 'a`b', 'a{b', 'a}b', 'a#b', 'a\\b', 'a|b', 'a&b', '', '-x'])(
    'refuses %j and names its index',
    (arg) => {
      refused(() => checkKernelArgs(['ok', arg], 'node.settings.kernelArgs'), 'node.settings.kernelArgs[1]');
    },
  );
});

describe('secrets are never echoed in messages', () => {
  it('install token and Consul key', () => {
    const token = 'short;tok';
    expect(refused(() => checkToken(token, 'node.installToken')).message).not.toContain(token);
    const key = 'bm90IGEga2V5';
    expect(refused(() => checkConsulKey(key, 'site.consul.encryptKey')).message).not.toContain(key);
    expect(checkConsulKey(CONSUL_KEY, 'k')).toBe(CONSUL_KEY);
  });
});
