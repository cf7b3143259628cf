import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { InventoryResponse, NodeConfig, NodeDetail } from '@fleet/machinedb-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMachineDbApp, type MachineDbApp } from '../src/index.js';
import { SERVER_KEY, sampleInventory, storeFixtures, testAllocator } from './support.js';

interface Reply<T> {
  status: number;
  body: T;
  etag: string | null;
}

function client(base: string) {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; basic?: [string, string]; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.basic) headers.authorization = `Basic ${Buffer.from(options.basic.join(':')).toString('base64')}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T, etag: response.headers.get('etag') };
  };
}

for (const fixture of storeFixtures) {
  describe.skipIf(!fixture.available())(`node lifecycle over HTTP: ${fixture.name}`, () => {
    let server: MachineDbApp;
    let cleanup: () => Promise<void>;
    let call: ReturnType<typeof client>;
    const admin: [string, string] = ['root', 'root-password-1'];
    let adminToken = '';
    let location = '';
    let base = '';

    beforeAll(async () => {
      const created = await fixture.create();
      cleanup = created.cleanup;
      location = created.location;
      server = await createMachineDbApp({
        store: created.store,
        serverKey: SERVER_KEY,
        allocator: testAllocator(),
        addressPurposes: ['bmc', 'primary'],
        sweepIntervalMs: 0,
      });
      await server.machineDb.ensureUser({ username: admin[0], password: admin[1], role: 'admin' });
      adminToken = (await server.machineDb.login(admin[0], admin[1])).token;
      const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
      base = address;
      call = client(address);
    });
    afterAll(async () => {
      await server?.app.close();
      await cleanup?.();
    });

    it('drives a node from PXE boot to deployed, then reinstall and decommission', async () => {
      const inventory = sampleInventory(42);
      const mac = inventory.nics[0]?.mac ?? '';

      // An unknown MAC boots the live system.
      const unknown = await call('GET', `/api/v1/boot-targets/${mac}`);
      expect(unknown.body).toMatchObject({ nodeId: null, bootTarget: 'live' });

      // The live system enrols and gets its own token.
      const enrol = await call<InventoryResponse>('POST', '/api/v1/inventory', { body: inventory });
      expect(enrol.status).toBe(200);
      expect(enrol.body.created).toBe(true);
      expect(enrol.body.state).toBe('inventoried');
      const nodeId = enrol.body.nodeId;
      const token = enrol.body.token ?? '';
      expect(token).toMatch(/^mdbn\./);

      // Re-inventory with its token updates the same node, no new token, no duplicate.
      const again = await call<InventoryResponse>('POST', '/api/v1/inventory', { body: inventory, token });
      expect(again.body).toMatchObject({ nodeId, created: false, token: null });
      const list = await call<{ items: NodeDetail[] }>('GET', `/api/v1/nodes?mac=${mac}`, { token: adminToken });
      expect(list.body.items.map((n) => n.id)).toEqual([nodeId]);

      // Polling before ready-for-bmc: no BMC settings.
      const early = await call<NodeConfig>('GET', `/api/v1/nodes/${nodeId}/config`, { token });
      expect(early.body.bmc).toBeNull();
      expect(early.body.bootTarget).toBe('live');

      // The admin sets location, disk and names; If-Match is required.
      const shown = await call<NodeDetail>('GET', `/api/v1/nodes/${nodeId}`, { token: adminToken });
      expect(shown.etag).toBe(`"${shown.body.version}"`);
      expect(shown.body.inventory?.disks).toHaveLength(2);
      const update = {
        hostname: 'web42',
        fqdn: 'web42.fra1.example.org',
        location: { site: 'fra1', room: 'dc1', rack: 'r07', unit: 12 },
        systemDisk: { serial: inventory.disks[0]?.serial },
        groups: ['web'],
        roles: ['frontend'],
        tags: ['ssd'],
        reason: 'racked',
      };
      const noIfMatch = await call('PATCH', `/api/v1/nodes/${nodeId}`, { token: adminToken, body: update });
      expect(noIfMatch.status).toBe(428);
      expect(noIfMatch.body.code).toBe('PRECONDITION_REQUIRED');
      const updated = await call<NodeDetail>('PATCH', `/api/v1/nodes/${nodeId}`, {
        token: adminToken,
        body: update,
        headers: { 'if-match': shown.etag ?? '' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.state).toBe('ready-for-bmc');
      expect(updated.body.bmc).toMatchObject({ user: 'fleet', passwordSet: true });
      expect(updated.body.bmc?.address).toMatch(/^10\.20\./);
      expect(updated.body.addresses.map((a) => a.purpose).sort()).toEqual(['bmc', 'primary']);
      expect(JSON.stringify(updated.body)).not.toMatch(/password"/);

      // A second admin with the old ETag is refused rather than silently overwriting.
      const stale = await call('PATCH', `/api/v1/nodes/${nodeId}`, {
        token: adminToken,
        body: { tags: ['hdd'] },
        headers: { 'if-match': shown.etag ?? '' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('PRECONDITION_FAILED');

      // Now the node's own poll carries the BMC settings, password included.
      const config = await call<NodeConfig>('GET', `/api/v1/nodes/${nodeId}/config`, { token });
      expect(config.body.bmc?.password).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(config.body.bmc?.address).toBe(updated.body.bmc?.address);
      // Chosen by serial; the by-id path boot files name it by comes from the inventory.
      expect(config.body.systemDisk).toEqual({ ...update.systemDisk, byId: inventory.disks[0]?.byId[0] });

      // The password is not in the database in clear text.
      const raw = JSON.stringify(await server.machineDb.store.getNode(nodeId));
      expect(raw).not.toContain(config.body.bmc?.password ?? 'x');

      // Node events: bmc configured → install → deployed; each step changes the boot target.
      const steps: [string, string, string][] = [
        ['bmc-configured', 'bmc-configured', 'install'],
        ['install-started', 'installing', 'install'],
        ['install-finished', 'deployed', 'local'],
      ];
      for (const [type, state, target] of steps) {
        const res = await call('POST', `/api/v1/nodes/${nodeId}/events`, { token, body: { type } });
        expect(res.body).toMatchObject({ state, bootTarget: target });
        const boot = await call('GET', `/api/v1/boot-targets/${mac.toUpperCase()}`);
        expect(boot.body).toMatchObject({ nodeId, state, bootTarget: target, hostname: 'web42' });
      }
      // Repeating an event is a no-op; an out-of-order one is a 409 naming the states.
      const repeat = await call('POST', `/api/v1/nodes/${nodeId}/events`, {
        token,
        body: { type: 'install-finished' },
      });
      expect(repeat.body).toMatchObject({ state: 'deployed' });
      const wrong = await call<{ code: string; details: { current: string; allowed: string[] } }>(
        'POST',
        `/api/v1/nodes/${nodeId}/events`,
        { token, body: { type: 'bmc-configured' } },
      );
      expect(wrong.status).toBe(409);
      expect(wrong.body.code).toBe('ILLEGAL_TRANSITION');
      expect(wrong.body.details.current).toBe('deployed');

      // Deployed: config no longer carries the password.
      const after = await call<NodeConfig>('GET', `/api/v1/nodes/${nodeId}/config`, { token });
      expect(after.body.bmc).toBeNull();

      // Admin: illegal transition names current and allowed states.
      const illegal = await call<{ code: string; message: string; details: { allowed: string[] } }>(
        'POST',
        `/api/v1/nodes/${nodeId}/transition`,
        { token: adminToken, body: { to: 'installing', reason: 'x' } },
      );
      expect(illegal.status).toBe(409);
      expect(illegal.body.message).toContain('deployed');
      expect(illegal.body.details.allowed).toContain('maintenance');

      // Maintenance keeps booting local; reinstall (→ bmc-configured) boots the installer.
      for (const [to, target] of [
        ['maintenance', 'local'],
        ['bmc-configured', 'install'],
      ]) {
        const res = await call<NodeDetail>('POST', `/api/v1/nodes/${nodeId}/transition`, {
          token: adminToken,
          body: { to, reason: `ops ${to}` },
        });
        expect(res.status).toBe(200);
        expect(res.body.bootTarget).toBe(target);
      }
      const failed = await call('POST', `/api/v1/nodes/${nodeId}/events`, {
        token,
        body: { type: 'failed', reason: 'disk not found by installer' },
      });
      expect(failed.body).toMatchObject({ state: 'failed', bootTarget: 'live' });

      const gone = await call<NodeDetail>('POST', `/api/v1/nodes/${nodeId}/transition`, {
        token: adminToken,
        body: { to: 'decommissioned', reason: 'end of life' },
      });
      expect(gone.body.state).toBe('decommissioned');
      expect(gone.body.addresses).toEqual([]);

      // History: every change, who and why, newest first; the node's version equals its entries.
      const history = await call<{
        items: { action: string; actor: { kind: string; name: string }; reason: string | null }[];
      }>('GET', `/api/v1/nodes/${nodeId}/history?limit=100`, { token: adminToken });
      const actions = history.body.items.map((h) => h.action).reverse();
      expect(actions).toEqual([
        'inventory',
        'inventory',
        'update',
        'bmc-password:handed-out',
        'event:bmc-configured',
        'event:install-started',
        'event:install-finished',
        'transition',
        'transition',
        'event:failed',
        'transition',
      ]);
      expect(history.body.items[0]).toMatchObject({ actor: { kind: 'user', name: 'root' }, reason: 'end of life' });
      expect(JSON.stringify(history.body)).not.toContain(config.body.bmc?.password ?? 'x');
      expect(gone.body.version).toBe(history.body.items.length);
      const global = await call<{ items: { nodeId: string }[] }>('GET', `/api/v1/history?nodeId=${nodeId}&limit=2`, {
        token: adminToken,
      });
      expect(global.body.items).toHaveLength(2);
    });

    it('paginates the node list with a cursor and filters', async () => {
      const ids: string[] = [];
      for (let i = 100; i < 105; i++) {
        const res = await call<InventoryResponse>('POST', '/api/v1/inventory', { body: sampleInventory(i) });
        ids.push(res.body.nodeId);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Reply<{ items: { id: string }[]; nextCursor: string | null }> = await call(
          'GET',
          `/api/v1/nodes?state=inventoried&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token: adminToken },
        );
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((n) => n.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].sort());
      const q = await call<{ items: { id: string }[] }>('GET', `/api/v1/nodes?q=${sampleInventory(102).serial}`, {
        token: adminToken,
      });
      expect(q.body.items.map((n) => n.id)).toEqual([ids[2]]);
    });

    it('exports the whole Ansible inventory in one call', async () => {
      const res = await call<
        Record<string, { hosts?: string[]; children?: string[]; hostvars?: Record<string, Record<string, unknown>> }>
      >('GET', '/api/v1/export/ansible', { token: adminToken });
      expect(res.status).toBe(200);
      const hostvars = res.body._meta?.hostvars ?? {};
      expect(Object.keys(hostvars).length).toBeGreaterThanOrEqual(5);
      expect(res.body.state_inventoried?.hosts?.length).toBeGreaterThanOrEqual(5);
      expect(res.body.all?.children).toContain('state_inventoried');
      // web42 was decommissioned in the first test: left out by default, present on request.
      expect(hostvars.web42).toBeUndefined();
      const withOld = await call<Record<string, { hosts?: string[] }>>(
        'GET',
        '/api/v1/export/ansible?includeDecommissioned=true',
        {
          token: adminToken,
        },
      );
      expect(withOld.body.group_web?.hosts).toEqual(['web42']);
      expect(withOld.body.rack_fra1_r07?.hosts).toEqual(['web42']);
    });

    it('serves the export from cache with an ETag and rebuilds it when another server changes a node', async () => {
      // A second server on the same database: servers keep no state that could go stale.
      const other = await createMachineDbApp({
        store: fixture.open(location),
        serverKey: SERVER_KEY,
        allocator: testAllocator(),
        addressPurposes: ['bmc', 'primary'],
        sweepIntervalMs: 0,
      });
      try {
        const otherUrl = await other.app.listen({ host: '127.0.0.1', port: 0 });
        const get = (headers: Record<string, string> = {}) =>
          fetch(`${base}/api/v1/export/ansible`, { headers: { authorization: `Bearer ${adminToken}`, ...headers } });
        const first = await get();
        const etag = first.headers.get('etag') ?? '';
        const text = await first.text();
        expect(first.status).toBe(200);
        expect(first.headers.get('content-type')).toMatch(/^application\/json/);
        expect(etag).toMatch(/^W\/"ansible-v1-/);
        expect((await get()).headers.get('etag')).toBe(etag);
        const unchanged = await get({ 'if-none-match': etag });
        expect(unchanged.status).toBe(304);
        expect(await unchanged.text()).toBe('');
        // Weak comparison, lists and `*` (RFC 9110); another tag is a full answer.
        expect((await get({ 'if-none-match': `"other", ${etag.slice(2)}` })).status).toBe(304);
        expect((await get({ 'if-none-match': '*' })).status).toBe(304);
        expect((await get({ 'if-none-match': 'W/"ansible-v1--0-0.0"' })).status).toBe(200);
        // gzip only when asked for (fetch asks by default and inflates; a raw request shows the wire).
        const raw = async (encoding: string) =>
          await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
            httpGet(
              `${base}/api/v1/export/ansible`,
              { headers: { authorization: `Bearer ${adminToken}`, 'accept-encoding': encoding } },
              (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
              },
            ).on('error', reject);
          });
        const plain = await raw('identity');
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body.toString()).toBe(text);
        const zipped = await raw('br;q=1, gzip;q=0.5');
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expect(zipped.headers.vary).toBe('accept-encoding');
        expect(zipped.body.length).toBeLessThan(plain.body.length);
        expect(gunzipSync(zipped.body).toString()).toBe(text);
        expect((await raw('gzip;q=0')).headers['content-encoding']).toBeUndefined();

        const target = Object.values(
          (JSON.parse(text) as { _meta: { hostvars: Record<string, { fleet_node_id: string }> } })._meta.hostvars,
        )[0]!.fleet_node_id;
        const current = await fetch(`${otherUrl}/api/v1/nodes/${target}`, {
          headers: { authorization: `Bearer ${adminToken}` },
        });
        const changed = await fetch(`${otherUrl}/api/v1/nodes/${target}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${adminToken}`,
            'content-type': 'application/json',
            'if-match': current.headers.get('etag') ?? '',
          },
          body: JSON.stringify({ groups: ['cache-check'] }),
        });
        expect(changed.status).toBe(200);
        const after = await get({ 'if-none-match': etag });
        expect(after.status).toBe(200);
        expect(after.headers.get('etag')).not.toBe(etag);
        const doc = (await after.json()) as Record<string, { hosts?: string[] }>;
        expect(doc.group_cache_check?.hosts).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });
}
