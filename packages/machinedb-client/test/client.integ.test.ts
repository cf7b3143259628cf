import { hasService } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MachineDbClient, MachineDbError, createMachineDbClient } from '../src/index.js';
import { sampleInventory } from './inventory-samples.js';
import { type StoreKind, type TestServer, startMachineDb } from './server.js';

const kinds: Array<{ kind: StoreKind; available: () => boolean }> = [
  { kind: 'sqlite', available: () => true },
  { kind: 'postgres', available: () => hasService('postgres') },
];

for (const { kind, available } of kinds) {
  describe.skipIf(!available())(`client against the real MachineDB server (${kind})`, () => {
    let server: TestServer;
    let admin: MachineDbClient;
    let anonymous: MachineDbClient;
    let adminToken = '';

    beforeAll(async () => {
      server = await startMachineDb(kind);
      anonymous = createMachineDbClient({ baseUrl: server.url, retryBaseMs: 20 });
      const login = await anonymous.login(server.adminUser);
      adminToken = login.token;
      admin = anonymous.withToken(login.token);
    });
    afterAll(async () => {
      await anonymous?.close();
      await server?.close();
    });

    it('logs in and says who the caller is; a wrong token is UNAUTHENTICATED without echoing it', async () => {
      expect(await admin.whoami()).toMatchObject({ name: 'admin', role: 'admin' });
      const error = (await anonymous.withToken('not-a-real-token-123').whoami().catch((e: unknown) => e)) as MachineDbError;
      expect(error).toBeInstanceOf(MachineDbError);
      expect(error.status).toBe(401);
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify([error.message, error.details])).not.toContain('not-a-real-token-123');
      expect(JSON.stringify([error.message, error.details])).not.toContain(adminToken);
    });

    it('enrols nodes and pages through them with an async iterator', async () => {
      for (let i = 1; i <= 23; i++) {
        const res = await anonymous.submitInventory(sampleInventory(i));
        expect(res).toMatchObject({ created: true, state: 'inventoried' });
      }
      const ids: string[] = [];
      for await (const node of admin.iterateNodes({ limit: 5 })) ids.push(node.id);
      expect(ids).toHaveLength(23);
      expect(new Set(ids).size).toBe(23);
      const page = await admin.listNodes({ limit: 5 });
      expect(page.items).toHaveLength(5);
      expect(page.nextCursor).not.toBeNull();
      // Re-submitting known hardware without that node's token is refused and names the node.
      const again = await anonymous.submitInventory(sampleInventory(1)).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: 'NODE_IDENTITY_CLAIMED', status: 409 });
    });

    it('updates with If-Match, refuses a stale version, and records history', async () => {
      const [first] = (await admin.listNodes({ limit: 1 })).items;
      const node = await admin.getNode(first!.id);
      const updated = await admin.updateNode(node.id, { tags: ['canary'], reason: 'first batch' }, { version: node.version });
      expect(updated.tags).toEqual(['canary']);
      expect(updated.version).toBeGreaterThan(node.version);
      const stale = await admin.updateNode(node.id, { tags: [] }, { version: node.version }).catch((e: unknown) => e);
      expect(stale).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
      const history: string[] = [];
      for await (const entry of admin.iterateNodeHistory(node.id, { limit: 1 })) history.push(entry.action);
      expect(history.length).toBeGreaterThanOrEqual(2);
      const all = await admin.listHistory({ limit: 3 });
      expect(all.items.length).toBe(3);
      let count = 0;
      for await (const _ of admin.iterateHistory({ nodeId: node.id })) count += 1;
      expect(count).toBe(history.length);
    });

    it('carries the server error codes for illegal transitions and missing nodes', async () => {
      const [first] = (await admin.listNodes({ limit: 1, state: 'inventoried' })).items;
      await expect(
        admin.transitionNode(first!.id, { to: 'deployed', reason: 'skip ahead' }),
      ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', status: 409 });
      await expect(admin.getNode('no-such-node')).rejects.toMatchObject({ code: 'NODE_NOT_FOUND', status: 404 });
      const moved = await admin.transitionNode(first!.id, { to: 'maintenance', reason: 'fan noise' });
      expect(moved.state).toBe('maintenance');
    });

    it('manages users and tokens', async () => {
      const user = await admin.createUser({ username: 'viewer1', password: 'viewer-password', role: 'viewer' });
      expect(user.role).toBe('viewer');
      const names: string[] = [];
      for await (const u of admin.iterateUsers({ limit: 1 })) names.push(u.username);
      expect(names).toEqual(expect.arrayContaining(['admin', 'viewer1']));
      expect((await admin.listUsers()).items.length).toBe(names.length);
      expect(await admin.deleteUser('viewer1')).toEqual({ deleted: true });
      const issued = await admin.createToken({ name: 'ansible', role: 'viewer' });
      const viewer = anonymous.withToken(issued.token);
      expect((await viewer.whoami()).role).toBe('viewer');
      await expect(viewer.createToken({ name: 'x', role: 'admin' })).rejects.toMatchObject({ status: 403 });
      const tokens: string[] = [];
      for await (const t of admin.iterateTokens()) tokens.push(t.name);
      expect(tokens).toContain('ansible');
      expect((await admin.listTokens()).items.some((t) => t.id === issued.info.id)).toBe(true);
      expect(await admin.revokeToken(issued.info.id)).toEqual({ deleted: true });
      await expect(viewer.whoami()).rejects.toMatchObject({ status: 401 });
    });

    it('answers boot targets, the Ansible export and the OpenAPI document', async () => {
      expect(await anonymous.getBootTarget(sampleInventory(2).nics[0]!.mac)).toMatchObject({ bootTarget: 'live' });
      expect(await anonymous.getBootTarget('02:00:00:00:00:99')).toMatchObject({ nodeId: null, bootTarget: 'live' });
      const inv = await admin.exportAnsibleInventory();
      expect(Object.keys(inv._meta.hostvars).length).toBeGreaterThan(0);
      const doc = await anonymous.getOpenApi();
      expect(doc.openapi).toMatch(/^3\./);
    });

    it('keeps node config for the node itself: an admin gets FORBIDDEN', async () => {
      const res = await anonymous.submitInventory(sampleInventory(99));
      expect(res.token).toBeTruthy();
      const self = anonymous.withToken(res.token!);
      expect((await self.getNodeConfig(res.nodeId)).state).toBe('inventoried');
      await expect(admin.getNodeConfig(res.nodeId)).rejects.toMatchObject({ status: 403 });
    });

    it('retries an idempotent call through a server restart', async () => {
      const patient = createMachineDbClient({ baseUrl: server.url, token: adminToken, retries: 10, retryBaseMs: 100 });
      try {
        await server.stop();
        const pending = patient.whoami();
        await new Promise((r) => setTimeout(r, 300));
        await server.start();
        expect((await pending).role).toBe('admin');
      } finally {
        await patient.close();
      }
    });
  });
}
