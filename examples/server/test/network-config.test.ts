import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFleetError } from '@fleet/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-network-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(fromFile: Record<string, unknown>) {
  const file = join(dir, 'fleet.json');
  writeFileSync(file, JSON.stringify(fromFile));
  return loadServerConfig({ FLEET_CONFIG: file });
}

describe('network keys of the config file', () => {
  it('defaults to IPv4 fabric pools, the gateway as resolver and no NTP (as before)', () => {
    expect(loadServerConfig({}).network).toEqual({
      fabricPools: { loopback: 'loopback', transfer: 'transfer' },
      nameservers: null,
      ntpServers: null,
    });
  });

  it('reads IPv6 fabric pools, listed resolvers (IPv4 first) and an IPAM function for NTP', () => {
    const config = load({
      fabricPools: { loopbackV6: 'lo6', transferV6: 'tr6' },
      nameservers: ['2001:db8:31::53', '10.31.0.53'],
      ntpServers: { pool: 'anycast', function: 'ntp' },
    });
    expect(config.network).toEqual({
      fabricPools: { loopback: 'loopback', transfer: 'transfer', loopbackV6: 'lo6', transferV6: 'tr6' },
      nameservers: { addresses: ['10.31.0.53', '2001:db8:31::53'] },
      ntpServers: { ipam: { pool: 'anycast', function: 'ntp' } },
    });
  });

  it.each([
    [{ fabricPools: { loopbackV6: 'lo6' } }, /config fabricPools: give both loopbackV6 and transferV6/],
    [{ fabricPools: { loopback6: 'lo6' } }, /config fabricPools.loopback6: unknown key/],
    [{ fabricPools: { transfer: 'bad name' } }, /config fabricPools.transfer: must be an IPAM pool name/],
    [{ fabricPools: 'transfer6' }, /config fabricPools: must be an object/],
    [{ nameservers: [] }, /config nameservers: must list 1–3 addresses/],
    [{ nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'] }, /config nameservers: must list 1–3/],
    [{ nameservers: ['dns.example.net'] }, /config nameservers\[0\]: must be an IPv4 or IPv6 address/],
    [{ nameservers: ['10.0.0.1\nd-i x'] }, /config nameservers\[0\]: must be an IPv4 or IPv6 address/],
    [{ ntpServers: { pool: 'anycast' } }, /config ntpServers: must be a list of addresses or \{ "pool"/],
    [{ ntpServers: 'ntp.example.net' }, /config ntpServers: must be a list/],
  ])('refuses %j with one line naming the key', (fromFile, message) => {
    let error: unknown;
    try {
      load(fromFile);
    } catch (e) {
      error = e;
    }
    expect(isFleetError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
