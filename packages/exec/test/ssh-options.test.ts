import { describe, expect, it } from 'vitest';
import { resolveSshExecutorOptions } from '../src/index.js';

const resolveHost = (host: string) => resolveSshExecutorOptions({ host, privateKey: 'key', knownHosts: '' }).host;

describe('resolveSshExecutorOptions host', () => {
  it('takes IPv4 dotted quads, IPv6 literals, host names and FQDNs as given', () => {
    for (const host of ['127.0.0.1', '198.18.0.10', '::1', '2001:db8::1', 'fe80::1%eth0', '::ffff:198.18.0.1']) {
      expect(resolveHost(host)).toBe(host);
    }
    expect(resolveHost('node-1')).toBe('node-1');
    expect(resolveHost('Node-1.Rack-A.example.org')).toBe('node-1.rack-a.example.org');
  });

  it('refuses shorthand or octal IPv4, broken IPv6 and zone indexes a shell could read', () => {
    for (const host of ['10.1', '010.0.0.1', '0x7f.0.0.1', '1.2.3.256', '1::2::3', '2001:db8::1%e$x', '-oProxyCommand=x', '']) {
      expect(() => resolveHost(host), host).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});
