import { describe, expect, it } from 'vitest';
import {
  isFleetError,
  isValid,
  validateDiskPath,
  validateFqdn,
  validateHostname,
  validateIdentifier,
  validateInteger,
  validateInterfaceName,
  validateMac,
  validateSafeText,
  ValidationError,
} from '../src/index.js';

const hostile = [
  '',
  'node1\nreboot',
  'node1;reboot',
  'node$(reboot)',
  'node`id`',
  'node1 ',
  ' node1',
  'nоde1', // Cyrillic o
  'node１', // fullwidth digit
  'node1\u200b', // zero-width space
  '-node1',
  'node1-',
  'no_de1',
  'node"1',
  "node'1",
  'node}1',
  'node{1',
  'node#1',
  'node\\1',
  'node\t1',
  'node\r1',
  'a'.repeat(64),
];

describe('validateHostname', () => {
  it('accepts RFC 1123 labels and folds case', () => {
    expect(validateHostname('node1')).toBe('node1');
    expect(validateHostname('Node-01')).toBe('node-01');
    expect(validateHostname('1node')).toBe('1node');
    expect(validateHostname('a'.repeat(63))).toBe('a'.repeat(63));
  });
  it.each(hostile)('refuses %j', (value) => {
    expect(() => validateHostname(value)).toThrow(ValidationError);
  });
  it('refuses non-strings with the field name', () => {
    try {
      validateHostname(42, 'node.hostname');
      expect.unreachable();
    } catch (error) {
      expect(isFleetError(error)).toBe(true);
      expect((error as ValidationError).field).toBe('node.hostname');
      expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('validateFqdn', () => {
  it('accepts multi-label names and strips the root dot', () => {
    expect(validateFqdn('node1.rack3.dc1.example.org')).toBe('node1.rack3.dc1.example.org');
    expect(validateFqdn('Node1.Example.org.')).toBe('node1.example.org');
  });
  it.each([...hostile, 'node1', 'node1..example.org', 'node1.example.123', `${'a.'.repeat(127)}org`])(
    'refuses %j',
    (value) => {
      expect(() => validateFqdn(value)).toThrow(ValidationError);
    },
  );
});

describe('validateMac', () => {
  it('normalises the usual notations', () => {
    expect(validateMac('AA:BB:CC:00:11:22')).toBe('aa:bb:cc:00:11:22');
    expect(validateMac('aa-bb-cc-00-11-22')).toBe('aa:bb:cc:00:11:22');
    expect(validateMac('aabb.cc00.1122')).toBe('aa:bb:cc:00:11:22');
    expect(validateMac('aabbcc001122')).toBe('aa:bb:cc:00:11:22');
  });
  it.each([
    '',
    'aa:bb:cc:00:11',
    'aa:bb:cc:00:11:22:33',
    'aa:bb-cc:00:11:22',
    'gg:bb:cc:00:11:22',
    'aa:bb:cc:00:11:22\n',
    'aa:bb:cc:00:11:22;',
    '$(reboot)',
  ])('refuses %j', (value) => {
    expect(() => validateMac(value)).toThrow(ValidationError);
  });
});

describe('validateDiskPath', () => {
  it('accepts by-id and by-path names', () => {
    const id = '/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R123456';
    expect(validateDiskPath(id)).toBe(id);
    expect(validateDiskPath('/dev/disk/by-path/pci-0000:3b:00.0-scsi-0:0:1:0')).toBeTruthy();
    expect(validateDiskPath('/dev/disk/by-id/wwn-0x5000c500a1b2c3d4')).toBeTruthy();
  });
  it.each([
    '/dev/sda',
    '/dev/nvme0n1',
    '/dev/disk/by-id/../../sda',
    '/dev/disk/by-id/',
    '/dev/disk/by-id/x y',
    '/dev/disk/by-id/x;reboot',
    '/dev/disk/by-id/x$(id)',
    '/dev/disk/by-id/x\n',
    '/dev/disk/by-foo/x',
    'disk/by-id/x',
  ])('refuses %j', (value) => {
    expect(() => validateDiskPath(value)).toThrow(ValidationError);
  });
});

describe('validateIdentifier', () => {
  it('accepts safe names', () => {
    expect(validateIdentifier('rack_a-1')).toBe('rack_a-1');
  });
  it.each(['', '1abc', 'Abc', 'a b', 'a;b', 'a\nb', 'a$(b)', 'a`b`', 'ä', 'a'.repeat(64)])('refuses %j', (value) => {
    expect(() => validateIdentifier(value)).toThrow(ValidationError);
  });
});

describe('validateInterfaceName (MachineDB at inventory and bootconfig at render time)', () => {
  it.each(['eno1', 'enp65s0f1np1', 'bond0.100', 'ens1f0', 'br-mgmt', 'e'.repeat(15)])('accepts %j', (value) => {
    expect(validateInterfaceName(value)).toBe(value);
  });
  it.each(['', 'eth0;reboot', '$(id)', 'eth 0', 'éth0', 'Eth0', '0eth', 'eth0\n', 'a/b', 'e'.repeat(16), 42])(
    'refuses %j naming the field',
    (value) => {
      expect(() => validateInterfaceName(value, 'nics.1.name')).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringContaining('nics.1.name') }),
      );
    },
  );
});

describe('validateSafeText and validateInteger', () => {
  it('keeps plain text and refuses metacharacters', () => {
    expect(validateSafeText('rack A3, row 2 (cold aisle)')).toBe('rack A3, row 2 (cold aisle)');
    for (const bad of ['a\nb', 'a;b', 'a$b', 'a`b', 'a"b', "a'b", 'a}b', 'ü', 'a\\b']) {
      expect(isValid((v) => validateSafeText(v), bad)).toBe(false);
    }
  });
  it('checks range and integrality', () => {
    expect(validateInteger(5, 'n', 1, 10)).toBe(5);
    expect(() => validateInteger(11, 'n', 1, 10)).toThrow(/from 1 to 10/);
    expect(() => validateInteger(1.5, 'n', 1, 10)).toThrow(ValidationError);
    expect(() => validateInteger('5', 'n', 1, 10)).toThrow(ValidationError);
  });
});
