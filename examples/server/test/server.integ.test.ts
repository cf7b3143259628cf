import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachineDbClient } from '@fleet/machinedb-client';
import { createScratchDatabase, hasService, startConsulDouble } from '@fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startServer } from './setup.js';

const inventory = (i: number) => ({
  systemUuid: `4c4c4544-0042-3610-8051-${String(i).padStart(12, '0')}`,
  cpus: [{ model: 'Xeon', cores: 8, threads: 16 }],
  memory: { totalBytes: 64 * 2 ** 30 },
  disks: [{ name: 'nvme0n1', sizeBytes: 960e9, rotational: false, byId: [`/dev/disk/by-id/nvme-DISK_${i}`] }],
  nics: [
    { name: 'eno1', mac: `3c:ec:ef:00:0${i}:01` },
    { name: 'ens1f0', mac: `3c:ec:ef:00:0${i}:02` },
    { name: 'ens1f1', mac: `3c:ec:ef:00:0${i}:03` },
  ],
});

/** The late command travels base64-encoded inside the preseed: decode every long base64 run. */
function lateCommand(preseed: string): string {
  return (preseed.match(/[A-Za-z0-9+/=]{80,}/g) ?? []).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
}

function grubCheck(text: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-grub-')), 'grub.cfg');
  writeFileSync(file, text);
  execFileSync('grub-script-check', [file]);
}

describe('the provisioning server on SQLite', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('creates the admin account once and keeps the password out of the config files', () => {
    expect(s.server.initialAdmin?.username).toBe('admin');
    expect(s.server.initialAdmin?.password.length).toBeGreaterThanOrEqual(16);
  });

  it('answers health and Prometheus metrics', async () => {
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^fleet_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
    expect(metrics).toContain('# TYPE fleet_nodes gauge');
  });

  it('boots an unknown MAC into the live system with a GRUB config grub-script-check accepts', async () => {
    const res = await fetch(`${s.url}/boot/grub/52:54:00:aa:bb:cc`);
    expect(res.status).toBe(200);
    const text = await res.text();
    grubCheck(text);
    expect(text).toMatch(/live/);
    const bad = await fetch(`${s.url}/boot/grub/52:54:00:aa:bb:cc;reboot`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('allocates, refuses and releases through the IPAM API', async () => {
    const post = (path: string, body: unknown, auth = s.adminAuth) =>
      fetch(`${s.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = (path: string, auth = s.adminAuth) => fetch(`${s.url}${path}`, { headers: { authorization: auth } });
    const peek = await get('/api/v1/ipam/next-free?pool=loopback');
    expect(peek.status).toBe(200);
    const next = ((await peek.json()) as { next: { prefix: string; address: string } | null }).next;
    expect(next?.prefix).toMatch(/^10\.255\.0\.\d+\/32$/);
    const a = await post('/api/v1/ipam/allocate', { what: 'address', pool: 'loopback', node: 'n1', function: 'test' });
    expect(a.status).toBe(201);
    const prefix = ((await a.json()) as { prefix: string }).prefix;
    expect(prefix).toBe(next?.prefix);
    // Prefixes too, and a bad source is the allocation's own 4xx.
    const peekNet = (await (await get('/api/v1/ipam/next-free?what=prefix&pool=transfer')).json()) as {
      next: { prefix: string } | null;
    };
    const net = await post('/api/v1/ipam/allocate', { what: 'prefix', pool: 'transfer' });
    expect(((await net.json()) as { prefix: string }).prefix).toBe(peekNet.next?.prefix);
    const noPool = await get('/api/v1/ipam/next-free?pool=nope');
    expect(noPool.status).toBe(404);
    expect(((await noPool.json()) as { code: string }).code).toBe('IPAM_NOT_FOUND');
    expect((await get('/api/v1/ipam/next-free?pool=loopback&length=x')).status).toBe(400);
    expect((await fetch(`${s.url}/api/v1/ipam/next-free?pool=loopback`)).status).toBe(401);
    const bad = await post('/api/v1/ipam/prefixes', { prefix: '10.0.0.1/24', kind: 'assignment' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('IPAM_HOST_BITS_SET');
    const unknown = await post('/api/v1/ipam/allocate', { what: 'address', pool: 'loopback', extra: 1 });
    expect(unknown.status).toBe(400);
    const anon = await fetch(`${s.url}/api/v1/ipam/pools`);
    expect(anon.status).toBe(401);
    const released = await post('/api/v1/ipam/release', { prefix });
    expect(released.status).toBe(200);
    const pools = (await (
      await fetch(`${s.url}/api/v1/ipam/pools`, { headers: { authorization: s.adminAuth } })
    ).json()) as { name: string }[];
    expect(pools.map((p) => p.name).sort()).toEqual(['bmc', 'loopback', 'primary', 'transfer']);
  });

  it('records the authenticated identity as the IPAM actor, whatever x-fleet-actor says', async () => {
    const res = await fetch(`${s.url}/api/v1/ipam/allocate`, {
      method: 'POST',
      headers: { authorization: s.adminAuth, 'content-type': 'application/json', 'x-fleet-actor': 'mallory' },
      body: JSON.stringify({ what: 'address', pool: 'loopback', node: 'n-actor', function: 'actor-test' }),
    });
    expect(res.status).toBe(201);
    const history = (await (
      await fetch(`${s.url}/api/v1/ipam/history?limit=5`, { headers: { authorization: s.adminAuth } })
    ).json()) as Array<{ actor: string }>;
    expect(history.length).toBeGreaterThan(0);
    expect(history.map((h) => h.actor)).not.toContain('mallory');
    expect(history[0]?.actor).toBe('user:admin');
  });

  it('refuses wrong types with 400 VALIDATION_FAILED naming the field, never coercing them', async () => {
    const before = await s.server.ipam.history({ limit: 5000 });
    const post = (body: unknown) =>
      fetch(`${s.url}/api/v1/ipam/allocate`, {
        method: 'POST',
        headers: { authorization: s.adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [body, field] of [
      [{ what: 'address', pool: 'loopback', node: 123 }, 'body.node'],
      [{ what: 'address', pool: 'loopback', function: null }, 'body.function'],
      [{ what: 'address', pool: 'loopback', count: '2' }, 'body.count'],
      [{ what: 'address', pool: 'loopback', extra: 1 }, 'body.extra'],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field, in: 'body' } });
    }
    const badLimit = await fetch(`${s.url}/api/v1/ipam/history?limit=lots`, {
      headers: { authorization: s.adminAuth },
    });
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'query.limit' } });
    const notJson = await fetch(`${s.url}/api/v1/ipam/allocate`, {
      method: 'POST',
      headers: { authorization: s.adminAuth, 'content-type': 'application/json' },
      body: '{"what":',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    // One code for missing credentials across route families.
    for (const path of ['/api/v1/ipam/pools', '/api/v1/nodes', '/api/v1/drift']) {
      const anon = await fetch(`${s.url}${path}`);
      expect(anon.status, path).toBe(401);
      expect(await anon.json(), path).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(await s.server.ipam.history({ limit: 5000 })).toEqual(before);
  });

  it('takes a node to install: GRUB offers the installer, the preseed is served only while installing', async () => {
    const anonymous = createMachineDbClient({ baseUrl: s.url });
    const enrol = await anonymous.submitInventory(inventory(1));
    await anonymous.close();
    const node = await s.admin.getNode(enrol.nodeId);
    await s.admin.updateNode(
      node.id,
      {
        hostname: 'cmp-0001',
        location: { site: 'lab', rack: 'r01' },
        systemDisk: { byId: '/dev/disk/by-id/nvme-DISK_1' },
      },
      { version: node.version },
    );
    const before = await fetch(`${s.url}/boot/installer/3c:ec:ef:00:01:01/preseed.cfg`);
    expect(before.status).toBe(404);
    const nodeClient = createMachineDbClient({ baseUrl: s.url, token: enrol.token ?? '' });
    await nodeClient.reportNodeEvent(node.id, { type: 'bmc-configured' });
    const grubRes = await fetch(`${s.url}/boot/grub/3c:ec:ef:00:01:01`);
    const grub = await grubRes.text();
    expect(grubRes.status, grub).toBe(200);
    grubCheck(grub);
    expect(grub).toMatch(/set default="?install/);
    const preseed = await fetch(`${s.url}/boot/installer/3c:ec:ef:00:01:01/preseed.cfg`);
    expect(preseed.status).toBe(200);
    const text = await preseed.text();
    expect(text).toContain('/dev/disk/by-id/nvme-DISK_1');
    expect(text).toContain('cmp-0001');
    // Fetching the installer file changes nothing: the installer reports start and end itself, with the
    // install token its files carry.
    expect((await s.admin.getNode(node.id)).state).toBe('bmc-configured');
    const token = /mdbi\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(lateCommand(text))?.[0];
    expect(token).toBeDefined();
    const installer = createMachineDbClient({ baseUrl: s.url, token: token ?? '' });
    expect((await installer.reportNodeEvent(node.id, { type: 'install-started' })).state).toBe('installing');
    expect((await installer.reportNodeEvent(node.id, { type: 'install-finished' })).state).toBe('deployed');
    await installer.close();
    // The boot files for admins show secrets only as a placeholder.
    const files = (await (
      await fetch(`${s.url}/api/v1/nodes/${node.id}/boot-files`, { headers: { authorization: s.adminAuth } })
    ).json()) as { path: string; content: string; secret: boolean }[];
    expect(files.find((f) => f.path === '/etc/netplan/60-fleet.yaml')?.content).toContain('mtu: 9000');
    for (const f of files.filter((f) => f.secret)) expect(f.content).toMatch(/^\[secret/);
    await nodeClient.close();
  });

  it('refuses what could not be rendered: a bad rack name (400) and a duplicate host name (409)', async () => {
    const anonymous = createMachineDbClient({ baseUrl: s.url });
    const a = await anonymous.submitInventory(inventory(5));
    const b = await anonymous.submitInventory(inventory(6));
    await anonymous.close();
    const put = async (id: string, body: unknown) => {
      const node = await s.admin.getNode(id);
      return await fetch(`${s.url}/api/v1/nodes/${id}`, {
        method: 'PATCH',
        headers: { authorization: s.adminAuth, 'content-type': 'application/json', 'if-match': `"${node.version}"` },
        body: JSON.stringify(body),
      });
    };
    const badRack = await put(a.nodeId, { location: { site: 'lab', rack: 'node..example' } });
    expect(badRack.status).toBe(400);
    expect(await badRack.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'location.rack' } });
    expect((await put(a.nodeId, { hostname: 'cmp-0505' })).status).toBe(200);
    const duplicate = await put(b.nodeId, { hostname: 'cmp-0505' });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cmp-0505') });
    // A rack the site's ASN scheme lacks is refused when set (not a 409 when the node netboots).
    const noAsn = await put(a.nodeId, { location: { site: 'lab', rack: 'r99' } });
    expect(noAsn.status).toBe(400);
    expect(await noAsn.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/rack "r99" is not in site lab's ASN scheme: use one of its racks \(r01, .*asnScheme\.sites\.lab\.racks/),
      details: { field: 'location.rack', rack: 'r99' },
    });
    expect((await s.admin.getNode(a.nodeId)).location).toBeNull();
    expect((await put(a.nodeId, { location: { site: 'lab', rack: 'r32' } })).status).toBe(200);
    // NIC names reach GRUB, iPXE and netplan: refused at inventory by the renderers' rule.
    const bad = inventory(7);
    const enrol = await fetch(`${s.url}/api/v1/inventory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...bad, nics: [{ name: 'eth0 $(id)', mac: '3c:ec:ef:00:07:01' }] }),
    });
    expect(enrol.status).toBe(400);
    expect(await enrol.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'nics.0.name' } });
  });

  it('a pool whose name exists is 409 IPAM_DUPLICATE, not 500', async () => {
    const res = await fetch(`${s.url}/api/v1/ipam/pools`, {
      method: 'POST',
      headers: { authorization: s.adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'loopback' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'IPAM_DUPLICATE', message: 'pool loopback already exists' });
  });

  it("an address asked of a reservation is 409 IPAM_KIND_MISMATCH (the error's kind), not 500", async () => {
    const call = (path: string, body: unknown) =>
      fetch(`${s.url}${path}`, {
        method: 'POST',
        headers: { authorization: s.adminAuth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const added = await call('/api/v1/ipam/prefixes', { prefix: '10.77.0.0/16', kind: 'reservation' });
    expect(added.status).toBe(201);
    const res = await call('/api/v1/ipam/allocate', { what: 'address', from: '10.77.0.0/16' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'IPAM_KIND_MISMATCH' });
  });

  it('serves the drift report only when Consul is configured and only to logged-in users', async () => {
    expect((await fetch(`${s.url}/api/v1/drift`)).status).toBe(401);
    const res = await fetch(`${s.url}/api/v1/drift`, { headers: { authorization: s.adminAuth } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      code: 'DRIFT_NOT_CONFIGURED',
      message: expect.stringMatching(/FLEET_CONSUL_DATACENTERS/),
    });
  });
});

describe('drift against two Consul datacenters (Consul HTTP API test double)', () => {
  it('reports a deployed node that is absent from its datacenter', async () => {
    const lab = await startConsulDouble({ datacenter: 'lab' });
    const prod = await startConsulDouble({ datacenter: 'prod' });
    const s = await startServer({ FLEET_CONSUL_DATACENTERS: `lab=${lab.url},prod=${prod.url}` });
    try {
      prod.registerNode({ node: 'stranger', address: '10.9.9.9' });
      const res = await fetch(`${s.url}/api/v1/drift`, { headers: { authorization: s.adminAuth } });
      expect(res.status).toBe(200);
      const report = (await res.json()) as { findings: { kind: string; node: string; datacenter: string }[] };
      expect(report.findings).toContainEqual(
        expect.objectContaining({ kind: 'unknown', node: 'stranger', datacenter: 'prod' }),
      );
    } finally {
      await s.stop();
      await lab.close();
      await prod.close();
    }
  });
});

describe.skipIf(!hasService('postgres'))('the provisioning server on PostgreSQL', () => {
  it('runs two stateless instances on one database', async () => {
    const db = await createScratchDatabase('fleet_server');
    const env = { FLEET_DATABASE_URL: db.url, FLEET_SERVER_KEY: 'ab'.repeat(32) };
    const first = await startServer(env);
    const second = await startServer({ ...env, ADMIN_PASSWORD: first.server.initialAdmin?.password ?? '' });
    try {
      expect(second.server.initialAdmin).toBeNull();
      const anonymous = createMachineDbClient({ baseUrl: first.url });
      const enrol = await anonymous.submitInventory(inventory(2));
      await anonymous.close();
      const seen = await second.admin.getNode(enrol.nodeId);
      expect(seen.state).toBe('inventoried');
    } finally {
      await second.stop();
      await first.stop();
      await db.drop();
    }
  });
});
