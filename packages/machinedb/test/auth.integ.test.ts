import { type OperationId, operations } from '@fleet/machinedb-contract';
import { hasService, serviceEnv } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachineDbApp, type MachineDbApp } from '../src/index.js';
import { SERVER_KEY, sampleInventory, sampleRequests, storeFixtures, testAllocator } from './support.js';

const PROVISIONING = 'provisioning-secret-0123456789';
type CallerName =
  | 'anonymous'
  | 'admin'
  | 'operator'
  | 'viewer'
  | 'apiAdmin'
  | 'apiViewer'
  | 'nodeA'
  | 'nodeB'
  | 'provisioner';
const CALLERS: CallerName[] = [
  'anonymous',
  'admin',
  'operator',
  'viewer',
  'apiAdmin',
  'apiViewer',
  'nodeA',
  'nodeB',
  'provisioner',
];

/** Who may call what: true = passes auth, 401/403 otherwise (anonymous gets 401, the rest 403). */
function allowed(op: OperationId, caller: CallerName): boolean {
  const auth = operations[op].auth;
  const user = ['admin', 'operator', 'viewer', 'apiAdmin', 'apiViewer'].includes(caller);
  const isAdmin = caller === 'admin' || caller === 'apiAdmin';
  switch (auth) {
    case 'public':
      return true;
    case 'authenticated':
      return caller !== 'anonymous' && caller !== 'provisioner';
    case 'viewer':
      return user;
    case 'operator':
      return isAdmin || caller === 'operator';
    case 'admin':
      return isAdmin;
    case 'node':
      return caller === 'nodeA';
    case 'enroll':
      return isAdmin || caller === 'nodeA' || caller === 'provisioner';
  }
}

for (const fixture of storeFixtures) {
  describe.skipIf(!fixture.available())(`auth: ${fixture.name}`, () => {
    let server: MachineDbApp;
    let cleanup: () => Promise<void>;
    let base = '';
    const tokens: Partial<Record<CallerName, string>> = {};
    let nodeA = '';
    let bmcPasswordA = '';

    const send = async (
      caller: CallerName,
      req: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
    ) => {
      const headers: Record<string, string> = { ...req.headers };
      if (caller !== 'anonymous') headers.authorization = `Bearer ${tokens[caller]}`;
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${req.path}`, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      });
      return { status: res.status, text: await res.text(), wwwAuth: res.headers.get('www-authenticate') };
    };

    beforeAll(async () => {
      const created = await fixture.create();
      cleanup = created.cleanup;
      server = await createMachineDbApp({
        store: created.store,
        serverKey: SERVER_KEY,
        allocator: testAllocator(),
        provisioningSecret: PROVISIONING,
        sweepIntervalMs: 0,
      });
      const db = server.machineDb;
      await db.ensureUser({ username: 'root', password: 'root-password-1', role: 'admin' });
      await db.ensureUser({ username: 'vera', password: 'vera-password-1', role: 'viewer' });
      tokens.admin = (await db.login('root', 'root-password-1')).token;
      tokens.viewer = (await db.login('vera', 'vera-password-1')).token;
      await db.ensureUser({ username: 'otto', password: 'otto-password-1', role: 'operator' });
      tokens.operator = (await db.login('otto', 'otto-password-1')).token;
      tokens.apiAdmin = (await db.createToken({ name: 'ci', role: 'admin' }, { kind: 'user', name: 'root' })).token;
      tokens.apiViewer = (
        await db.createToken({ name: 'grafana', role: 'viewer' }, { kind: 'user', name: 'root' })
      ).token;
      tokens.provisioner = PROVISIONING;
      const a = await db.submitInventory(sampleInventory(1), { kind: 'enrol' });
      const b = await db.submitInventory(sampleInventory(2), { kind: 'enrol' });
      nodeA = a.nodeId;
      tokens.nodeA = a.token ?? '';
      tokens.nodeB = b.token ?? '';
      const shown = await db.getNode(nodeA);
      await db.updateNode(
        nodeA,
        { location: { site: 's1', rack: 'r1' }, systemDisk: { serial: shown.inventory?.disks[0]?.serial ?? '' } },
        shown.version,
        { kind: 'user', name: 'root' },
      );
      bmcPasswordA = (await db.readBmcCredentials(nodeA, { kind: 'user', name: 'root' })).password;
      expect(bmcPasswordA).not.toBe('');
      base = await server.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await server?.app.close();
      await cleanup?.();
    });

    it('nodes never see another node or the BMC password through any other credential', async () => {
      const config = `/api/v1/nodes/${nodeA}/config`;
      for (const caller of ['nodeB', 'admin', 'viewer', 'apiAdmin', 'provisioner'] as const) {
        const res = await send(caller, { method: 'GET', path: config });
        expect(res.status, caller).toBe(403);
        expect(res.text).not.toContain(bmcPasswordA);
      }
      // The node gets it once, in its first answer in ready-for-bmc; afterwards not even the node.
      const own = await send('nodeA', { method: 'GET', path: config });
      expect(own.status).toBe(200);
      expect(own.text).toContain(bmcPasswordA);
      const again = await send('nodeA', { method: 'GET', path: config });
      expect(again.status).toBe(200);
      expect(JSON.parse(again.text)).toMatchObject({ state: 'ready-for-bmc', bmc: null });
      // Then only admins read it, each read recorded with the reader.
      const credentials = `/api/v1/nodes/${nodeA}/bmc-credentials`;
      for (const caller of ['nodeA', 'nodeB', 'viewer', 'apiViewer', 'provisioner'] as const) {
        const res = await send(caller, { method: 'GET', path: credentials });
        expect(res.status, caller).toBe(403);
        expect(res.text).not.toContain(bmcPasswordA);
      }
      expect((await send('anonymous', { method: 'GET', path: credentials })).status).toBe(401);
      const read = await send('apiAdmin', { method: 'GET', path: credentials });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.text)).toMatchObject({ nodeId: nodeA, user: 'fleet', password: bmcPasswordA });
      const history = (await server.machineDb.listHistory(nodeA, {})).items;
      expect(history.filter((h) => h.action === 'bmc-password:read').map((h) => h.actor)).toEqual([
        { kind: 'token', name: 'ci' },
        { kind: 'user', name: 'root' },
      ]);
      expect(history.filter((h) => h.action === 'bmc-password:handed-out').map((h) => h.actor)).toEqual([
        { kind: 'node', name: nodeA },
      ]);
      // Admin views, lists, history and export never carry it.
      for (const path of [
        `/api/v1/nodes/${nodeA}`,
        '/api/v1/nodes',
        `/api/v1/nodes/${nodeA}/history`,
        '/api/v1/export/ansible',
      ]) {
        const res = await send('admin', { method: 'GET', path });
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(bmcPasswordA);
      }
      // Node B cannot re-enrol as node A (its token belongs to B).
      const hijack = await send('nodeB', { method: 'POST', path: '/api/v1/inventory', body: sampleInventory(1) });
      expect(hijack.status).toBe(403);
    });

    it('replayed enrolment: a known UUID, MAC or serial without the node token changes nothing (409)', async () => {
      const before = await server.machineDb.getNode(nodeA);
      const historyBefore = await server.machineDb.store.countHistory(nodeA);
      const nodesBefore = (await server.machineDb.listNodes({ limit: 1000 })).items.length;
      const evilNics = [{ name: 'evil0', mac: '02:00:00:00:00:66' }];
      const replays = [
        sampleInventory(1, { nics: evilNics }),
        sampleInventory(77, { nics: sampleInventory(1).nics }),
        sampleInventory(78, { serial: sampleInventory(1).serial }),
      ];
      for (const caller of ['provisioner', 'admin', 'apiAdmin'] as const) {
        for (const body of replays) {
          const res = await send(caller, { method: 'POST', path: '/api/v1/inventory', body });
          expect(res.status, `${caller} ${res.text}`).toBe(409);
          expect(JSON.parse(res.text)).toMatchObject({ code: 'NODE_IDENTITY_CLAIMED', details: { nodeId: nodeA } });
        }
      }
      // Without the provisioning secret: 401 before anything is looked at.
      expect((await send('anonymous', { method: 'POST', path: '/api/v1/inventory', body: replays[0] })).status).toBe(
        401,
      );
      expect(await server.machineDb.getNode(nodeA)).toEqual(before);
      expect(await server.machineDb.store.countHistory(nodeA)).toBe(historyBefore);
      expect((await server.machineDb.listNodes({ limit: 1000 })).items).toHaveLength(nodesBefore);
      // Node A's own token still works.
      expect((await send('nodeA', { method: 'GET', path: `/api/v1/nodes/${nodeA}/config` })).status).toBe(200);
    });

    it('bad and revoked credentials are 401 with WWW-Authenticate', async () => {
      const cases = [
        'Bearer mdbn.nope.secret',
        `Bearer mdbn.${nodeA}.wrong`,
        'Bearer mdbt.0000.x',
        'Bearer junk',
        'Basic Zm9vOmJhcg==',
        'Digest x',
      ];
      for (const authorization of cases) {
        const res = await fetch(`${base}/api/v1/nodes`, { headers: { authorization } });
        expect(res.status, authorization).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
      }
      const issued = await server.machineDb.createToken(
        { name: 'temp', role: 'viewer' },
        { kind: 'user', name: 'root' },
      );
      expect(
        (await fetch(`${base}/api/v1/nodes`, { headers: { authorization: `Bearer ${issued.token}` } })).status,
      ).toBe(200);
      await server.machineDb.revokeToken(issued.info.id);
      expect(
        (await fetch(`${base}/api/v1/nodes`, { headers: { authorization: `Bearer ${issued.token}` } })).status,
      ).toBe(401);
    });

    it('enforces each role on every operation', async () => {
      let n = 0;
      for (const caller of CALLERS) {
        const inventory = sampleInventory(1);
        const requests = sampleRequests({
          nodeId: nodeA,
          mac: inventory.nics[0]?.mac ?? '',
          inventory,
          unique: `${caller.toLowerCase()}${n++}`,
        });
        for (const op of Object.keys(operations) as OperationId[]) {
          const res = await send(caller, requests[op]);
          // After an admin reset node A's identity, the next enrolment without its token claims it (new token).
          const rotated =
            op === 'submitInventory' && res.status === 200
              ? (JSON.parse(res.text) as { token: string | null }).token
              : null;
          if (rotated) tokens.nodeA = rotated;
          if (allowed(op, caller)) {
            expect([401, 403], `${caller} ${op}: ${res.text}`).not.toContain(res.status);
          } else {
            expect(res.status, `${caller} ${op}: ${res.text}`).toBe(caller === 'anonymous' ? 401 : 403);
          }
        }
      }
    });

    it('whoami tells who the credential belongs to', async () => {
      expect(JSON.parse((await send('nodeA', { method: 'GET', path: '/api/v1/auth/whoami' })).text)).toEqual({
        name: nodeA,
        role: 'node',
        source: 'node',
        nodeId: nodeA,
      });
      expect(JSON.parse((await send('apiViewer', { method: 'GET', path: '/api/v1/auth/whoami' })).text)).toMatchObject({
        name: 'grafana',
        role: 'viewer',
        source: 'token',
      });
    });

    // Last in this block: it locks 127.0.0.1 out of password logins for a while.
    it('brute-force login: 429 with Retry-After after 5 failures, even for the right password; no session made', async () => {
      await server.machineDb.ensureUser({ username: 'victim', password: 'victim-password-1', role: 'viewer' });
      const tokensBefore = await server.machineDb.store.listTokens('session', null, 1000);
      const login = (password: string) =>
        send('anonymous', { method: 'POST', path: '/api/v1/auth/login', body: { username: 'victim', password } });
      // 5 free failures per user (the address may have a few from earlier tests already).
      const statuses: number[] = [];
      for (let i = 0; i < 7 && !statuses.includes(429); i++) statuses.push((await login(`wrong-${i}`)).status);
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.slice(0, -1).every((st) => st === 401)).toBe(true);
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      for (const password of ['wrong-6', 'victim-password-1']) {
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'victim', password }),
        });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(await res.json()).toMatchObject({
          code: 'TOO_MANY_REQUESTS',
          details: { retryAfterSeconds: expect.any(Number) },
        });
      }
      // Basic auth is the same door.
      const basic = Buffer.from('victim:victim-password-1').toString('base64');
      expect((await fetch(`${base}/api/v1/nodes`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(429);
      expect(await server.machineDb.store.listTokens('session', null, 1000)).toEqual(tokensBefore);
    });
  });
}

describe.skipIf(!hasService('ldap'))('auth: LDAP against slapd', () => {
  let server: MachineDbApp;
  let cleanup: () => Promise<void>;
  let base = '';
  const ldap = serviceEnv().ldap;
  const ldapOptions = () => ({
    url: ldap?.url ?? '',
    usersDn: ldap?.usersDn ?? '',
    groupsDn: ldap?.groupsDn ?? '',
    adminGroup: ldap?.adminGroup ?? '',
    viewerGroup: ldap?.viewerGroup ?? '',
  });

  beforeAll(async () => {
    if (!ldap) return;
    const created = await storeFixtures[0]!.create();
    cleanup = created.cleanup;
    server = await createMachineDbApp({
      store: created.store,
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      sweepIntervalMs: 0,
      ldap: ldapOptions(),
    });
    // A local user is checked first and works beside LDAP.
    await server.machineDb.ensureUser({ username: 'root', password: 'root-password-1', role: 'admin' });
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.app.close();
    await cleanup?.();
  });

  const login = async (username: string, password: string) => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { token?: string; principal?: { role: string; source: string }; code?: string },
    };
  };

  it('maps groups to roles: alice admin, bob viewer, carol nothing', async () => {
    const users = ldap?.users ?? {};
    const alice = await login('alice', users.alice ?? '');
    expect(alice.status).toBe(200);
    expect(alice.body.principal).toMatchObject({ role: 'admin', source: 'ldap' });
    const bob = await login('bob', users.bob ?? '');
    expect(bob.body.principal).toMatchObject({ role: 'viewer', source: 'ldap' });
    const carol = await login('carol', users.carol ?? '');
    expect(carol.status).toBe(403);
    expect(carol.body.code).toBe('FORBIDDEN');
    const root = await login('root', 'root-password-1');
    expect(root.body.principal).toMatchObject({ role: 'admin', source: 'local' });

    // Bob's session reads but cannot write; alice's can write.
    const list = await fetch(`${base}/api/v1/nodes`, { headers: { authorization: `Bearer ${bob.body.token}` } });
    expect(list.status).toBe(200);
    const write = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'viewer' }),
    });
    expect(write.status).toBe(403);
    const basic = Buffer.from(`alice:${users.alice}`).toString('base64');
    const asAlice = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'viewer' }),
    });
    expect(asAlice.status).toBe(201);
  });

  it('maps an optional operator group to operator, which may transition nodes but not manage tokens', async () => {
    if (!ldap) return;
    const created = await storeFixtures[0]!.create();
    // The viewers group doubles as the operators group here: bob is in it, so bob is an operator.
    const withOperators = await createMachineDbApp({
      store: created.store,
      serverKey: SERVER_KEY,
      allocator: testAllocator(),
      sweepIntervalMs: 0,
      ldap: { ...ldapOptions(), operatorGroup: ldap.viewerGroup },
    });
    try {
      const bob = await withOperators.machineDb.login('bob', ldap.users.bob ?? '');
      expect(bob.principal).toMatchObject({ role: 'operator', source: 'ldap' });
      const alice = await withOperators.machineDb.login('alice', ldap.users.alice ?? '');
      expect(alice.principal.role).toBe('admin');
      const url = await withOperators.app.listen({ host: '127.0.0.1', port: 0 });
      const nodeId = (await withOperators.machineDb.submitInventory(sampleInventory(7), { kind: 'enrol' })).nodeId;
      const transition = await fetch(`${url}/api/v1/nodes/${nodeId}/transition`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'maintenance', reason: 'fan swap' }),
      });
      expect(transition.status).toBe(200);
      const history = await withOperators.machineDb.listHistory(nodeId, {});
      expect(history.items[0]).toMatchObject({ actor: { kind: 'user', name: 'bob' }, reason: 'fan swap' });
      const token = await fetch(`${url}/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', role: 'viewer' }),
      });
      expect(token.status).toBe(403);
    } finally {
      await withOperators.close();
      await created.cleanup();
    }
  });

  it('refuses wrong and empty passwords and filter injection', async () => {
    expect((await login('alice', 'wrong')).status).toBe(401);
    expect((await login('nobody', 'x')).status).toBe(401);
    // An empty password would be an anonymous bind that "succeeds": the schema refuses it first.
    expect((await login('alice', '')).status).toBe(400);
    const direct = await server.machineDb.checkPassword('alice', '').catch((e: { code: string }) => e.code);
    expect(direct).toBe('UNAUTHENTICATED');
    expect((await login('alice)(uid=*', 'x')).status).toBe(401);
    expect((await login('*', 'x')).status).toBe(401);
  });
});
