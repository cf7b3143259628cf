import type { CachedStore } from '@fleet/machinedb';
import { createMachineDbClient } from '@fleet/machinedb-client';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { describe, expect, it } from 'vitest';
import { type Running, startServer } from './setup.js';

const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0042-3610-8051-${String(900 + i).padStart(12, '0')}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-HOT_${i}`] }],
  nics: [{ name: 'eno1', mac: `3c:ec:ef:09:0${i}:01` }],
});

const stats = (r: Running) => (r.server.machineDb.store as CachedStore).cacheStats;

async function within<T>(ms: number, what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const started = performance.now();
  for (;;) {
    const value = await read();
    if (done(value)) return { value, elapsed: performance.now() - started };
    if (performance.now() - started > ms) throw new Error(`${what} not seen within ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.skipIf(!hasService('postgres'))('hot reads from memory across two servers on one PostgreSQL', () => {
  it('serves boot answers and config polls from the cache, and a change through one server from the other within 1 s', async () => {
    const db = await createScratchDatabase('fleet_server_hot');
    const env = { FLEET_DATABASE_URL: db.url, FLEET_SERVER_KEY: 'ab'.repeat(32) };
    const a = await startServer(env);
    const b = await startServer({ ...env, ADMIN_PASSWORD: a.server.initialAdmin?.password ?? '' });
    try {
      const anonymous = createMachineDbClient({ baseUrl: a.url });
      const { nodeId, token } = await anonymous.submitInventory(inventory(1));
      await anonymous.close();
      const mac = '3c:ec:ef:09:01:01';
      const grub = async (r: Running) => await (await fetch(`${r.url}/boot/grub/${mac}`)).text();
      const target = async (r: Running) =>
        ((await (await fetch(`${r.url}/api/v1/boot-targets/${mac}`)).json()) as { state: string }).state;

      // Served by B: the first read fills its cache, the next ones are hits (no database read).
      const liveGrub = await grub(b);
      expect(await target(b)).toBe('inventoried');
      const before = { ...stats(b) };
      for (let i = 0; i < 5; i++) {
        expect(await grub(b)).toBe(liveGrub);
        expect(await target(b)).toBe('inventoried');
      }
      expect(stats(b).hits - before.hits).toBeGreaterThanOrEqual(10);
      expect(stats(b).misses).toBe(before.misses);

      // The agent's poll: an ETag from the node version, 304 while it stays.
      const poll = async (r: Running, etag?: string) =>
        await fetch(`${r.url}/api/v1/nodes/${nodeId}/config`, {
          headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
        });
      const first = await poll(b);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"cfg-\d+"$/);
      expect((await poll(b, etag)).status).toBe(304);

      // A change through A reaches B through LISTEN/NOTIFY.
      const node = await a.admin.getNode(nodeId);
      await a.admin.transitionNode(nodeId, { to: 'maintenance', reason: 'hot cache test' }, { version: node.version });
      const seen = await within(
        1_000,
        'the new state on B',
        () => target(b),
        (s) => s === 'maintenance',
      );
      const grubSeen = await within(
        1_000,
        'the new GRUB file on B',
        () => grub(b),
        (text) => text !== liveGrub,
      );
      const pollSeen = await within(
        1_000,
        'the new config on B',
        () => poll(b, etag),
        (r) => r.status === 200,
      );
      expect(((await pollSeen.value.json()) as { state: string }).state).toBe('maintenance');
      expect(pollSeen.value.headers.get('etag')).not.toBe(etag);
      process.stdout.write(
        `hot cache: change through A seen by B after ${seen.elapsed.toFixed(1)} ms (boot target), ` +
          `${grubSeen.elapsed.toFixed(1)} ms more (GRUB), ${pollSeen.elapsed.toFixed(1)} ms more (config poll)\n`,
      );
    } finally {
      await b.stop();
      await a.stop();
      await db.drop();
    }
  });

  it('a token revoked or a user deleted through one server is refused by the other within 1 s', async () => {
    const db = await createScratchDatabase('fleet_server_hot_auth');
    const env = { FLEET_DATABASE_URL: db.url, FLEET_SERVER_KEY: 'ab'.repeat(32) };
    const a = await startServer(env);
    const b = await startServer({ ...env, ADMIN_PASSWORD: a.server.initialAdmin?.password ?? '' });
    try {
      const whoami = async (r: Running, authorization: string) =>
        (await fetch(`${r.url}/api/v1/auth/whoami`, { headers: { authorization } })).status;
      const { token, info } = await a.admin.createToken({ name: 'hot-auth', role: 'viewer' });
      const bearer = `Bearer ${token}`;
      expect(await whoami(b, bearer)).toBe(200);
      const before = { ...stats(b) };
      expect(await whoami(b, bearer)).toBe(200);
      expect(stats(b).misses).toBe(before.misses); // B answered from memory

      await a.admin.revokeToken(info.id);
      const revoked = await within(
        1_000,
        'the revoked token refused by B',
        () => whoami(b, bearer),
        (s) => s === 401,
      );

      await a.admin.createUser({ username: 'bob', password: 'bob-password-1', role: 'operator' });
      const login = (await (
        await fetch(`${b.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'bob', password: 'bob-password-1' }),
        })
      ).json()) as { token: string };
      const session = `Bearer ${login.token}`;
      const basic = `Basic ${Buffer.from('bob:bob-password-1').toString('base64')}`;
      expect(await whoami(b, session)).toBe(200);
      expect(await whoami(b, basic)).toBe(200);
      expect(await whoami(b, basic)).toBe(200);

      await a.admin.deleteUser('bob');
      const gone = await within(
        1_000,
        "bob's session refused by B",
        () => whoami(b, session),
        (s) => s === 401,
      );
      expect(await whoami(b, basic)).toBe(401);
      process.stdout.write(
        `hot cache: revoked token refused by B after ${revoked.elapsed.toFixed(1)} ms, ` +
          `deleted user's session after ${gone.elapsed.toFixed(1)} ms\n`,
      );
    } finally {
      await b.stop();
      await a.stop();
      await db.drop();
    }
  });
});
