import { createIpam, createMemoryStore } from '@fleet/ipam';
import { NODE_STATES, operations } from '@fleet/machinedb-contract';
import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  assertTransition,
  buildOpenApiDocument,
  createIpamAllocator,
  createMemoryAllocator,
  createSqliteStore,
  generateBmcPassword,
  IllegalTransitionError,
  nextBootTarget,
  parseServerKey,
  resolveMachineDbOptions,
  TRANSITIONS,
  timeoutReason,
} from '../src/index.js';
import { decryptSecret, encryptSecret, hashPassword, verifyPassword } from '../src/secrets.js';
import { SERVER_KEY } from './support.js';

describe('lifecycle', () => {
  it('follows the happy path new → deployed and nothing skips a step', () => {
    const path = ['new', 'inventoried', 'ready-for-bmc', 'bmc-configured', 'installing', 'deployed'] as const;
    for (let i = 1; i < path.length; i++) {
      expect(() => assertTransition('n1', path[i - 1]!, path[i]!)).not.toThrow();
    }
    expect(() => assertTransition('n1', 'inventoried', 'installing')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('n1', 'new', 'deployed')).toThrow(IllegalTransitionError);
  });

  it('an illegal move names the current state and the allowed ones', () => {
    try {
      assertTransition('n1', 'decommissioned', 'deployed');
      expect.unreachable();
    } catch (error) {
      const e = error as IllegalTransitionError;
      expect(e.code).toBe('ILLEGAL_TRANSITION');
      expect(e.status).toBe(409);
      expect(e.message).toContain('decommissioned');
      expect(e.details).toEqual({
        nodeId: 'n1',
        current: 'decommissioned',
        requested: 'deployed',
        allowed: ['inventoried'],
      });
    }
  });

  it('covers every state, never targets new, and every state can be decommissioned or left', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...NODE_STATES].sort());
    for (const state of NODE_STATES) {
      expect(allowedTransitions(state)).not.toContain('new');
      expect(allowedTransitions(state).length).toBeGreaterThan(0);
      if (state !== 'decommissioned') expect(allowedTransitions(state)).toContain('decommissioned');
    }
  });

  it('derives the boot target from the state: a deployed node never reinstalls', () => {
    expect(nextBootTarget('new')).toBe('live');
    expect(nextBootTarget('ready-for-bmc')).toBe('live');
    expect(nextBootTarget('bmc-configured')).toBe('install');
    expect(nextBootTarget('installing')).toBe('install');
    expect(nextBootTarget('deployed')).toBe('local');
    expect(nextBootTarget('maintenance')).toBe('local');
    expect(nextBootTarget('failed')).toBe('live');
  });

  it('times out only states with a limit, after the limit', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const at = (s: number) => new Date(since.getTime() + s * 1000);
    expect(timeoutReason('installing', since, at(59), { installing: 60 })).toBeNull();
    expect(timeoutReason('installing', since, at(61), { installing: 60 })).toMatch(
      /timed out: installing for 61 s \(limit 60 s\)/,
    );
    expect(timeoutReason('deployed', since, at(10_000), { installing: 60 })).toBeNull();
  });
});

describe('secrets', () => {
  const key = parseServerKey(SERVER_KEY);

  it('seals and opens, bound to the node id', () => {
    const sealed = encryptSecret(key, 'hunter2', 'n1');
    expect(sealed).not.toContain('hunter2');
    expect(decryptSecret(key, sealed, 'n1')).toBe('hunter2');
    expect(() => decryptSecret(key, sealed, 'n2')).toThrow(/cannot decrypt/);
    expect(() => decryptSecret(parseServerKey('b'.repeat(64)), sealed, 'n1')).toThrow(/server key/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => parseServerKey('abcd')).toThrow(/32 bytes/);
    expect(parseServerKey(Buffer.alloc(32).toString('base64')).length).toBe(32);
  });

  it('generates distinct alphanumeric BMC passwords', () => {
    const a = generateBmcPassword();
    expect(a).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(generateBmcPassword()).not.toBe(a);
  });

  it('hashes local passwords with scrypt', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('options', () => {
  const base = {
    store: createSqliteStore({ path: ':memory:' }),
    serverKey: SERVER_KEY,
    allocator: createMemoryAllocator({}),
  };
  it('fills defaults', () => {
    const resolved = resolveMachineDbOptions(base);
    expect(resolved.bmcUser).toBe('fleet');
    expect(resolved.addressPurposes).toEqual(['bmc']);
    expect(resolved.stateTimeouts.installing).toBe(7200);
  });
  it('names the bad field', () => {
    expect(() => resolveMachineDbOptions({ ...base, bmcUser: 'bad user;' })).toThrow(/bmcUser/);
    expect(() => resolveMachineDbOptions({ ...base, provisioningSecret: 'short' })).toThrow(/provisioningSecret/);
    expect(() => resolveMachineDbOptions({ ...base, stateTimeouts: { installing: -1 } })).toThrow(
      /stateTimeouts.installing/,
    );
    expect(() => resolveMachineDbOptions({ ...base, serverKey: 'x' })).toThrow(/serverKey/);
  });
});

describe('address allocators', () => {
  it('memory allocator is idempotent per node and purpose, skips gateway, frees on release', async () => {
    const alloc = createMemoryAllocator({ bmc: { cidr: '10.0.0.0/30', gateway: '10.0.0.1' } });
    const a = await alloc.allocate({ nodeId: 'a', purpose: 'bmc', hostname: null, location: null });
    expect(a).toEqual({
      purpose: 'bmc',
      address: '10.0.0.2',
      prefixLength: 30,
      gateway: '10.0.0.1',
      pool: 'memory-bmc',
    });
    expect((await alloc.allocate({ nodeId: 'a', purpose: 'bmc', hostname: null, location: null })).address).toBe(
      '10.0.0.2',
    );
    await expect(alloc.allocate({ nodeId: 'b', purpose: 'bmc', hostname: null, location: null })).rejects.toThrow(
      /full/,
    );
    await alloc.release('a', 'bmc');
    expect((await alloc.allocate({ nodeId: 'b', purpose: 'bmc', hostname: null, location: null })).address).toBe(
      '10.0.0.2',
    );
    await expect(alloc.allocate({ nodeId: 'b', purpose: 'primary', hostname: null, location: null })).rejects.toThrow(
      /no address pool/,
    );
  });

  it('memory allocator masks host bits off a pool and refuses what is not an IPv4 pool or gateway', async () => {
    const alloc = createMemoryAllocator({ primary: { cidr: '10.9.8.77/24' } });
    const first = await alloc.allocate({ nodeId: 'a', purpose: 'primary', hostname: null, location: null });
    expect(first).toMatchObject({ address: '10.9.8.1', prefixLength: 24, gateway: null });
    const invalid = (field: string, message: RegExp) =>
      expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message), details: { field } });
    for (const cidr of ['10.0.0/24', '10.0.0.256/24', 'fd00::/24', 'x/24']) {
      expect(() => createMemoryAllocator({ bmc: { cidr } })).toThrow(invalid('pools.bmc.cidr', /is not an IPv4 address/));
    }
    for (const cidr of ['10.0.0.0/31', '10.0.0.0', '10.0.0.0/x']) {
      expect(() => createMemoryAllocator({ bmc: { cidr } })).toThrow(invalid('pools.bmc.cidr', /must be IPv4 a\.b\.c\.d\/8\.\.30/));
    }
    const badGateway = createMemoryAllocator({ bmc: { cidr: '10.0.0.0/24', gateway: '10.0.0.1.1' } });
    await expect(badGateway.allocate({ nodeId: 'a', purpose: 'bmc', hostname: null, location: null })).rejects.toEqual(
      invalid('gateway', /gateway "10\.0\.0\.1\.1" is not an IPv4 address/),
    );
  });

  it('IPAM allocator draws from a pool, tags the node, and returns the same address twice', async () => {
    const ipam = createIpam({ store: createMemoryStore(), keepFree: { gateways: 1 } });
    await ipam.addPool({ name: 'bmc-fra1' });
    await ipam.addPrefix({ prefix: '10.40.0.0/24', kind: 'assignment', pool: 'bmc-fra1' });
    const alloc = createIpamAllocator({ ipam, pools: { bmc: 'bmc-fra1' } });
    const first = await alloc.allocate({ nodeId: 'n1', purpose: 'bmc', hostname: 'web1', location: null });
    expect(first.address).toMatch(/^10\.40\.0\.\d+$/);
    expect(first.address).not.toBe('10.40.0.1');
    expect(first).toMatchObject({ purpose: 'bmc', prefixLength: 24, gateway: '10.40.0.1', pool: 'bmc-fra1' });
    expect(await alloc.allocate({ nodeId: 'n1', purpose: 'bmc', hostname: 'web1', location: null })).toEqual(first);
    const second = await alloc.allocate({ nodeId: 'n2', purpose: 'bmc', hostname: null, location: null });
    expect(second.address).not.toBe(first.address);
    expect((await ipam.search({ node: 'n1' })).map((p) => p.prefix)).toEqual([`${first.address}/32`]);
    await alloc.release('n1', 'bmc');
    expect(await ipam.search({ node: 'n1' })).toEqual([]);
    await expect(alloc.allocate({ nodeId: 'n3', purpose: 'primary', hostname: null, location: null })).rejects.toThrow(
      /no IPAM pool/,
    );
  });
});

describe('OpenAPI document', () => {
  it('has every operation of the table, with its method and path', () => {
    const doc = buildOpenApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    expect(ids.sort()).toEqual(Object.keys(operations).sort());
    expect(doc.paths['/api/v1/nodes/{nodeId}']?.patch?.operationId).toBe('updateNode');
  });
});
