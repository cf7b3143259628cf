import { createMachineDbClient } from '@fleet/machinedb-client';
import { createScratchDatabase, hasService } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from './setup.js';

/** docs/security.md, attacked over HTTP against the real example server: exact status, and nothing changed. */
const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0042-3610-8051-${String(900 + i).padStart(12, '0')}`,
  serial: `ATK${i}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-ATK_${i}`] }],
  nics: [
    { name: 'eno1', mac: `3c:ec:ef:09:0${i}:01` },
    { name: 'eno2', mac: `3c:ec:ef:09:0${i}:02` },
  ],
});

const backends: Array<{
  name: string;
  available: () => boolean;
  env: () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }>;
}> = [
  { name: 'SQLite', available: () => true, env: async () => ({ env: {}, drop: async () => {} }) },
  {
    name: 'PostgreSQL',
    available: () => hasService('postgres'),
    env: async () => {
      const db = await createScratchDatabase('fleet_attack');
      return { env: { FLEET_DATABASE_URL: db.url, FLEET_SERVER_KEY: 'cd'.repeat(32) }, drop: () => db.drop() };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(!backend.available())(`attacks on the provisioning server (${backend.name})`, () => {
    let s: Running;
    let drop: () => Promise<void> = async () => {};
    let nodeA = '';
    let tokenA = '';
    let tokenB = '';
    let viewerAuth = '';

    const call = async (
      path: string,
      init: { method?: string; auth?: string; body?: string; headers?: Record<string, string> } = {},
    ) => {
      const res = await fetch(`${s.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.auth ? { authorization: init.auth } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      const text = await res.text();
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        text,
        json: () => JSON.parse(text) as { code: string; details: Record<string, unknown> },
      };
    };
    /** Everything an attack could change: nodes (with versions), node history, sessions, the IPAM history. */
    const snapshot = async () => ({
      nodes: (await s.admin.listNodes({ limit: 1000 })).items,
      history: (await s.admin.listHistory({ limit: 1000 })).items.length,
      sessions: (await s.server.machineDb.store.listTokens('session', null, 1000)).length,
      ipam: (await s.server.ipam.history({ limit: 5000 })).length,
    });

    beforeAll(async () => {
      const made = await backend.env();
      drop = made.drop;
      s = await startServer(made.env);
      const anonymous = createMachineDbClient({ baseUrl: s.url });
      const a = await anonymous.submitInventory(inventory(1));
      const b = await anonymous.submitInventory(inventory(2));
      await anonymous.close();
      nodeA = a.nodeId;
      tokenA = a.token ?? '';
      tokenB = b.token ?? '';
      const shown = await s.admin.getNode(nodeA);
      await s.admin.updateNode(
        nodeA,
        { location: { site: 'lab', rack: 'r01' }, systemDisk: { byId: inventory(1).disks[0]!.byId[0]! } },
        { version: shown.version },
      );
      await s.admin.createUser({ username: 'vic', password: 'viewer-password-1', role: 'viewer' });
      viewerAuth = `Bearer ${(await s.server.machineDb.login('vic', 'viewer-password-1')).token}`;
    }, 60_000);
    afterAll(async () => {
      await s?.stop();
      await drop();
    });

    it('replayed enrolment of a known node: 409 NODE_IDENTITY_CLAIMED, nothing changed', async () => {
      const before = await snapshot();
      const replay = { ...inventory(1), nics: [{ name: 'evil0', mac: '02:00:00:00:00:66' }] };
      const res = await call('/api/v1/inventory', { method: 'POST', body: JSON.stringify(replay) });
      expect(res.status).toBe(409);
      expect(res.json()).toMatchObject({ code: 'NODE_IDENTITY_CLAIMED', details: { nodeId: nodeA } });
      expect(await snapshot()).toEqual(before);
      expect((await call(`/api/v1/nodes/${nodeA}/config`, { auth: `Bearer ${tokenA}` })).status).toBe(200);
    });

    it('token theft across nodes: node B cannot read or re-enrol node A (403), nothing changed', async () => {
      const before = await snapshot();
      expect((await call(`/api/v1/nodes/${nodeA}/config`, { auth: `Bearer ${tokenB}` })).status).toBe(403);
      const res = await call('/api/v1/inventory', {
        method: 'POST',
        auth: `Bearer ${tokenB}`,
        body: JSON.stringify(inventory(1)),
      });
      expect(res.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });

    it('viewer → secrets: 403 on BMC credentials and node config, nothing changed', async () => {
      const before = await snapshot();
      for (const path of [`/api/v1/nodes/${nodeA}/bmc-credentials`, `/api/v1/nodes/${nodeA}/config`]) {
        const res = await call(path, { auth: viewerAuth });
        expect(res.status, path).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('forged actor: x-fleet-actor is ignored, the history names the authenticated admin', async () => {
      const res = await call('/api/v1/ipam/allocate', {
        method: 'POST',
        auth: s.adminAuth,
        headers: { 'x-fleet-actor': 'mallory' },
        body: JSON.stringify({ what: 'address', pool: 'loopback', node: 'n-forged', function: 'forged' }),
      });
      expect(res.status).toBe(201);
      const latest = (await s.server.ipam.history({ limit: 1 }))[0];
      expect(latest?.actor).toBe('user:admin');
    });

    it('oversized and malformed bodies: 413, 400, 415, nothing changed', async () => {
      const before = await snapshot();
      const big = await call('/api/v1/inventory', {
        method: 'POST',
        body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(big.status).toBe(413);
      expect(big.json().code).toBe('BODY_TOO_LARGE');
      for (const [path, auth] of [
        ['/api/v1/inventory', undefined],
        ['/api/v1/ipam/allocate', s.adminAuth],
      ] as const) {
        const broken = await call(path, { method: 'POST', auth, body: '{"systemUuid":' });
        expect(broken.status, path).toBe(400);
        expect(broken.json().code).toBe('VALIDATION_FAILED');
      }
      const typed = await call('/api/v1/ipam/allocate', {
        method: 'POST',
        auth: s.adminAuth,
        body: JSON.stringify({ what: 'address', pool: 'loopback', node: 123 }),
      });
      expect(typed.status).toBe(400);
      expect(typed.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.node' } });
      const text = await fetch(`${s.url}/api/v1/inventory`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(text.status).toBe(415);
      expect(await snapshot()).toEqual(before);
    });

    it('path tricks: traversal and injected MACs are 400 (or 404 for no route), nothing changed', async () => {
      const before = await snapshot();
      for (const path of [
        '/boot/grub/..%2F..%2Fetc%2Fpasswd',
        '/boot/ipxe/52:54:00:aa:bb:cc%0Areboot',
        `/api/v1/nodes/${nodeA}%2F..%2F..%2Fusers`,
        '/api/v1/boot-targets/52:54:00:aa:bb:cc;reboot',
      ]) {
        const res = await call(path, { auth: s.adminAuth });
        expect([400, 404], `${path}: ${res.text}`).toContain(res.status);
        expect(['VALIDATION_FAILED', 'NOT_FOUND', 'NODE_NOT_FOUND']).toContain(res.json().code);
      }
      expect(await snapshot()).toEqual(before);
    });

    // Last: it locks 127.0.0.1 out of password logins for a while.
    it('brute-force login: 429 with Retry-After, even for the right password; no session made', async () => {
      const before = await snapshot();
      const login = (password: string) =>
        call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'vic', password }) });
      const statuses: number[] = [];
      for (let i = 0; i < 8 && !statuses.includes(429); i++) statuses.push((await login(`guess-${i}`)).status);
      // 5 free failures; the 6th starts the lock-out, so the 7th attempt is refused before any check.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
      const right = await login('viewer-password-1');
      expect(right.status).toBe(429);
      expect(Number(right.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(right.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(await snapshot()).toEqual(before);
    });
  });
}
