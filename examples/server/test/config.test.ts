import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkSite, defaultSite, loadServerConfig } from '../src/config.js';

describe('loadServerConfig', () => {
  it('defaults to SQLite on 127.0.0.1:8080', () => {
    const config = loadServerConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'sqlite' });
    expect(config.ldap).toBeNull();
    expect(config.requireAcceptance).toBe(false);
    expect(loadServerConfig({ FLEET_REQUIRE_ACCEPTANCE: 'true' }).requireAcceptance).toBe(true);
  });
  it.each([
    [{ FLEET_PORT: 'eighty' }, /port: must be an integer/],
    [{ FLEET_PORT: '70000' }, /port/],
    [{ FLEET_DATABASE_URL: 'mysql://x' }, /postgres:\/\//],
    [{ FLEET_DATABASE_URL: 'postgres://h/db' }, /FLEET_SERVER_KEY/],
    [{ FLEET_LDAP_URL: 'ldap://h', FLEET_LDAP_USERS_DN: 'ou=p' }, /groupsDn/],
    [{ FLEET_CONSUL_DATACENTERS: 'dc1' }, /FLEET_CONSUL_DATACENTERS/],
    [{ FLEET_CONSUL_DATACENTERS: 'dc1=https://consul.lab' }, /FLEET_CONSUL_DATACENTERS: .*has no port/],
    [{ FLEET_CONSUL_DATACENTERS: 'dc1=unix:///run/consul.sock' }, /unix sockets are not supported/],
    [{ FLEET_CONSUL_DATACENTERS: 'dc1=127.0.0.1:8500', CONSUL_HTTP_SSL: 'maybe' }, /CONSUL_HTTP_SSL: CONSUL_HTTP_SSL must be true or false/],
    [{ FLEET_FIRMWARE: 'coreboot' }, /uefi or bios/],
    [{ FLEET_STATE_TIMEOUTS: 'installing' }, /FLEET_STATE_TIMEOUTS: must be an integer/],
    [{ FLEET_STATE_TIMEOUTS: 'sleeping=60' }, /FLEET_STATE_TIMEOUTS: unknown state "sleeping"/],
    [{ FLEET_STATE_TIMEOUTS: 'installing=-5' }, /FLEET_STATE_TIMEOUTS: must be an integer/],
    [{ FLEET_REQUIRE_ACCEPTANCE: 'yes' }, /requireAcceptance: must be true or false/],
    [{ FLEET_CONFIG: '/nonexistent/fleet.json' }, /does not exist/],
    [{ FLEET_STATE_TIMEOUTS: 'installing=soon' }, /FLEET_STATE_TIMEOUTS: must be an integer/],
    [{ FLEET_STATE_TIMEOUTS: 'stuck=60' }, /unknown state "stuck"/],
    [{ FLEET_SWEEP_INTERVAL_SECONDS: '-1' }, /FLEET_SWEEP_INTERVAL_SECONDS/],
    [{ FLEET_SECURE_COOKIES: 'yes' }, /FLEET_SECURE_COOKIES: must be true or false/],
    [{ FLEET_NETBOOT_IMAGE_DIR: '/nonexistent/images' }, /netbootImageDir: .*is not a directory/],
  ])('refuses %j with one clear line', (env, message) => {
    let error: unknown;
    try {
      loadServerConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
  it('reads state timeouts, the sweep interval and secure cookies', () => {
    const config = loadServerConfig({
      FLEET_STATE_TIMEOUTS: 'installing=3600,bmc-configured=600',
      FLEET_SWEEP_INTERVAL_SECONDS: '0',
      FLEET_SECURE_COOKIES: 'true',
    });
    expect(config.stateTimeouts).toEqual({ installing: 3600, 'bmc-configured': 600 });
    expect(config.sweepIntervalSeconds).toBe(0);
    expect(config.secureCookies).toBe(true);
    expect(loadServerConfig({})).toMatchObject({ stateTimeouts: null, sweepIntervalSeconds: 60, secureCookies: false });
  });
  it('switches to PostgreSQL and LDAP with env', () => {
    const config = loadServerConfig({
      FLEET_DATABASE_URL: 'postgres://fleet@db/fleet',
      FLEET_SERVER_KEY: 'a'.repeat(64),
      FLEET_LDAP_URL: 'ldap://ldap:389',
      FLEET_LDAP_USERS_DN: 'ou=people,dc=x',
      FLEET_LDAP_GROUPS_DN: 'ou=groups,dc=x',
      FLEET_LDAP_ADMIN_GROUP: 'cn=admins,ou=groups,dc=x',
      FLEET_LDAP_VIEWER_GROUP: 'cn=viewers,ou=groups,dc=x',
      FLEET_CONSUL_DATACENTERS: 'lab=http://127.0.0.1:8500,prod=http://10.0.0.1:8500',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://fleet@db/fleet' });
    expect(config.ldap?.adminGroup).toBe('cn=admins,ou=groups,dc=x');
    expect(config.consul.map((c) => c.name)).toEqual(['lab', 'prod']);
  });
  it('reads Consul addresses like CONSUL_HTTP_ADDR (the @fleet/consul resolver the CLI uses too)', () => {
    const config = loadServerConfig({
      FLEET_CONSUL_DATACENTERS: 'lab=10.0.0.1:8500,prod=https://consul.prod:8501,edge=http://[fd00::1]:8500',
      CONSUL_HTTP_TOKEN: 'from-consul-env',
    });
    expect(config.consul).toEqual([
      { name: 'lab', url: 'http://10.0.0.1:8500', token: 'from-consul-env' },
      { name: 'prod', url: 'https://consul.prod:8501', token: 'from-consul-env' },
      { name: 'edge', url: 'http://[fd00::1]:8500', token: 'from-consul-env' },
    ]);
    const tls = loadServerConfig({
      FLEET_CONSUL_DATACENTERS: 'lab=10.0.0.1:8501,old=http://10.0.0.2:8500',
      CONSUL_HTTP_SSL: 'true',
      FLEET_CONSUL_TOKEN: 'fleet-token',
      CONSUL_HTTP_TOKEN: 'ignored',
    });
    expect(tls.consul).toEqual([
      { name: 'lab', url: 'https://10.0.0.1:8501', token: 'fleet-token' },
      { name: 'old', url: 'http://10.0.0.2:8500', token: 'fleet-token' },
    ]);
  });
  it('validates the config file\'s consul list the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-config-'));
    const file = join(dir, 'fleet.json');
    writeFileSync(file, JSON.stringify({ consul: [{ name: 'lab', url: 'consul.lab:8500', token: 't1' }] }));
    expect(loadServerConfig({ FLEET_CONFIG: file }).consul).toEqual([{ name: 'lab', url: 'http://consul.lab:8500', token: 't1' }]);
    writeFileSync(file, JSON.stringify({ consul: [{ name: 'lab', url: 'http://consul.lab' }] }));
    expect(() => loadServerConfig({ FLEET_CONFIG: file })).toThrow(/config consul\[0\]\.url: .*has no port/);
    writeFileSync(file, JSON.stringify({ consul: [{ url: 'http://consul.lab:8500' }] }));
    expect(() => loadServerConfig({ FLEET_CONFIG: file })).toThrow(/config consul\[0\]: needs a name/);
  });
  it('reads state timeouts in seconds', () => {
    expect(loadServerConfig({ FLEET_STATE_TIMEOUTS: 'installing=5400,bmc-configured=60' }).stateTimeouts).toEqual({
      installing: 5400,
      'bmc-configured': 60,
    });
    expect(loadServerConfig({}).stateTimeouts).toBeNull();
    expect(() => loadServerConfig({ FLEET_STATE_TIMEOUTS: 'instaling=60' })).toThrow(/FLEET_STATE_TIMEOUTS/);
  });
  it.each([
    [{ name: 'Lab Site' }, /^config site\.name: /],
    [{ machineDbUrl: 'http:///fleet' }, /^config site\.machineDbUrl: /],
    [{ netboot: { ...defaultSite('127.0.0.1', 8080).netboot, baseUrl: 'http:///boot' } }, /^config site\.netboot\.baseUrl: /],
    [{ admin: { user: 'fleet', sshKeys: [], passwordHash: '$6$nope' } }, /^config site\.admin\.passwordHash: /],
    // Template values: found at start, not when the first node of that role renders.
    [{ templates: { default: { mirror: 'http:///debian' } } }, /^config site\.templates\.default\.mirror: .*needs a host/],
    [{ templates: { roles: { storage: { proxy: 'ftp://proxy' } } } }, /^config site\.templates\.roles\.storage\.proxy: /],
    [{ templates: { roles: { storage: { extraPackages: ['ok', 'rm -rf /'] } } } }, /^config site\.templates\.roles\.storage\.extraPackages\[1\]: /],
    [{ templates: { default: { timezone: 'UTC; reboot' } } }, /^config site\.templates\.default\.timezone: /],
    [{ templates: { default: { mirrror: 'http://m/debian' } } }, /^config site\.templates\.default\.mirrror: .*not a template setting/],
  ])('refuses a bad site %j at start, naming the key', (override, message) => {
    const file = join(mkdtempSync(join(tmpdir(), 'fleet-config-')), 'fleet.json');
    writeFileSync(file, JSON.stringify({ site: { ...defaultSite('127.0.0.1', 8080), ...override } }));
    let error: unknown;
    try {
      loadServerConfig({ FLEET_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect((error as Error | undefined)?.message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
  it('accepts valid crypt hashes: $6$, $6$rounds=N$, $y$', () => {
    for (const passwordHash of [
      '$6$iVMzq8qG8w.3MNJI$khs/8/5VWSlNb0FeEuzOmarytgkNXUONy1hA8wanKImZ9OnhliLPKKOxzvpmotF/iIwOOxgHaPl9PDI/dLCCM0',
      '$6$rounds=5000$abcdefgh$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/',
      '$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7',
    ]) {
      const site = defaultSite('127.0.0.1', 8080);
      expect(() => checkSite({ ...site, admin: { ...site.admin, passwordHash } })).not.toThrow();
    }
  });
});
