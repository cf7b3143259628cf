import { describe, expect, it } from 'vitest';
import { planBmcCommands } from '../src/index.js';

const base = { address: '10.0.0.17', prefixLength: 24, gateway: '10.0.0.1', user: 'fleet', password: 'S3cret-pass', channel: 1, userId: 3 };
const netmask = (prefixLength: number) => planBmcCommands({ ...base, prefixLength }).find((c) => c[3] === 'netmask')?.[4];

describe('planBmcCommands addresses', () => {
  it('writes the netmask of every prefix length', () => {
    expect([1, 8, 16, 20, 24, 31, 32].map(netmask)).toEqual([
      '128.0.0.0', '255.0.0.0', '255.255.0.0', '255.255.240.0', '255.255.255.0', '255.255.255.254', '255.255.255.255',
    ]);
  });

  it('takes dotted-quad IPv4 only for the BMC address and gateway', () => {
    expect(planBmcCommands({ ...base, address: '0.0.0.0', gateway: '255.255.255.255' })).toContainEqual(['lan', 'set', '1', 'ipaddr', '0.0.0.0']);
    for (const address of ['10.1', '010.0.0.1', '01.0.0.1', '0x0a.0.0.1', '10.0.0.256', '2001:db8::1', '10.0.0.1 ', '']) {
      expect(() => planBmcCommands({ ...base, address }), address).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'bmc.address' }));
      expect(() => planBmcCommands({ ...base, gateway: address }), address).toThrow(expect.objectContaining({ field: 'bmc.gateway' }));
    }
  });
});
