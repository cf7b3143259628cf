import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../src/credential-cache.js';
import { createMachineDb, createSqliteStore, type MachineDb } from '../src/index.js';
import { SERVER_KEY, testAllocator } from './support.js';

describe('CredentialCache', () => {
  it('remembers a verified credential for its TTL only, never the credential itself', () => {
    let now = 1_000;
    const cache = new CredentialCache(60_000, 10, () => now);
    const parts = ['local', 'alice', 'correct horse', '$scrypt$hash'];
    expect(cache.has(parts)).toBe(false);
    cache.remember(parts);
    expect(cache.has(parts)).toBe(true);
    expect(cache.has(['local', 'alice', 'wrong', '$scrypt$hash'])).toBe(false);
    expect(cache.has(['local', 'alice', 'correct horse', '$scrypt$other-hash'])).toBe(false);
    expect(JSON.stringify([...(cache as unknown as { entries: Map<string, number> }).entries])).not.toContain('horse');
    now += 60_001;
    expect(cache.has(parts)).toBe(false);
  });
});

describe('Basic auth with remembered passwords', () => {
  let db: MachineDb;
  beforeEach(async () => {
    db = await createMachineDb({
      store: createSqliteStore({ path: ':memory:' }),
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
    });
  });
  afterEach(async () => db.close());
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('still refuses a wrong password after a right one, and the old password after the user is re-created', async () => {
    await db.ensureUser({ username: 'ops', password: 'first-password-1', role: 'admin' });
    for (let i = 0; i < 3; i++) {
      expect(await db.authenticate(basic('ops', 'first-password-1'))).toMatchObject({ kind: 'user' });
    }
    await expect(db.authenticate(basic('ops', 'first-password-2'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await db.deleteUser('ops');
    await expect(db.authenticate(basic('ops', 'first-password-1'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await db.ensureUser({ username: 'ops', password: 'second-password', role: 'viewer' });
    await expect(db.authenticate(basic('ops', 'first-password-1'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await db.authenticate(basic('ops', 'second-password'))).toMatchObject({
      kind: 'user',
      principal: { role: 'viewer' },
    });
  });
});
